"""Four companies that differ get different modules, questions, radar pairs, legal rules and
first actions — and never advice meant for another region or for products they do not have.

The companies are in tests/companies.py; each answers every question that applies with a
plausible, imperfect answer (``middling``). The figures below are the tailoring's result:
when content changes on purpose, update them here after reading the new values.
"""

from __future__ import annotations

from datetime import date

import pytest
from companies import COMPANIES, complete, walk
from pypdf import PdfReader
from test_tailoring import report_texts, unfit_names

from hrdd.conditions import applicable_questions, applies
from hrdd.radar import legal_radar, risk_flags
from hrdd.report import write_report
from hrdd.report.content import ModuleInput, build_content

EXPECTED = {
    "micro_services": {
        "modules": {"due_diligence": 17, "forced_labour": 5},
        "radar": set(),
        "legal": [("csddd", "via_customers"), ("csrd", "via_customers")],
    },
    "walloon_manufacturer": {
        "modules": {"due_diligence": 23, "workforce": 12, "children": 18, "forced_labour": 21,
                    "conflict_minerals": 15},
        "radar": {("cahra", "tantalum_capacitors", "MX"), ("child_labour", "electronics", "CN"),
                  ("child_labour", "tantalum_capacitors", "CN"), ("forced_labour", "electronics", "CN"),
                  ("forced_labour", "tantalum_capacitors", "CN")},
        "legal": [("csddd", "via_customers"), ("csrd", "via_customers"), ("conflict_minerals", "via_customers"),
                  ("forced_labour_regulation", "direct"), ("pay_transparency", "direct"),
                  ("wellbeing_at_work", "direct"), ("joint_liability_wages", "via_customers")],
    },
    "brussels_cleaning": {
        "modules": {"due_diligence": 24, "workforce": 20, "children": 17, "forced_labour": 22},
        "radar": {("forced_labour", "gloves", "MY")},
        "legal": [("csddd", "via_customers"), ("csrd", "via_customers"), ("whistleblower_law", "direct"),
                  ("pay_transparency", "direct"), ("wellbeing_at_work", "direct"), ("joint_liability_wages", "direct"),
                  ("art30bis_presence_registration", "direct"), ("limosa", "direct"),
                  ("child_labour_student_work", "direct")],
    },
    "flemish_food": {
        "modules": {"due_diligence": 22, "workforce": 17, "children": 18, "forced_labour": 21},
        "radar": {("child_labour", "cocoa", "CI"), ("child_labour", "cocoa", "GH"), ("child_labour", "coffee", "BR"),
                  ("child_labour", "coffee", "HN"), ("child_labour", "sugarcane", "BR"),
                  ("forced_labour", "cocoa", "CI"), ("forced_labour", "coffee", "BR"),
                  ("forced_labour", "sugarcane", "BR")},
        "legal": [("csddd", "via_customers"), ("csrd", "via_customers"), ("forced_labour_regulation", "direct"),
                  ("eudr", "direct"), ("whistleblower_law", "direct"), ("pay_transparency", "direct"),
                  ("wellbeing_at_work", "direct"), ("joint_liability_wages", "via_customers"),
                  ("child_labour_student_work", "direct")],
    },
}

TOP_FIVE = {
    "micro_services": [
        ("Due diligence", "Have you mapped where in your operations and supply chain human-rights risks are most likely?"),
        ("Forced labour", "Does your commitment or supplier code of conduct state clearly that you do not accept "
                          "forced labour and that workers never pay to get a job?"),
        ("Forced labour", "What do you do if it turns out that workers paid recruitment fees, lost wages or were "
                          "exploited at your company or a partner's?"),
        ("Forced labour", "What do you do if you pick up signs of forced labour at a supplier, subcontractor or "
                          "temporary agency, in Belgium or abroad?"),
        ("Due diligence", "If you have caused or contributed to harm to people, how do you make sure it is put right?"),
    ],
    "walloon_manufacturer": [
        ("Forced labour", "Have you checked whether forced labour is a known risk for the products you buy and the "
                          "countries where they, or their raw materials, come from?"),
        ("Risk radar", "Forced labour reported: China; Child labour reported: China"),
        ("Risk radar", "Forced labour reported: China; Child labour reported: China; Conflict-affected or high-risk "
                       "area: Mexico"),
        ("Own workforce", "Do agency and seasonal workers get the same safety induction, protective equipment and pay "
                          "as your own staff doing the same work?"),
        ("Own workforce", "Does everyone who works for you earn at least the minimum wage of your joint committee, in "
                          "full, on time and with a payslip?"),
    ],
    "brussels_cleaning": [
        ("Forced labour", "Have you checked whether forced labour is a known risk for the products you buy and the "
                          "countries where they, or their raw materials, come from?"),
        ("Risk radar", "Forced labour reported: Malaysia"),
        ("Own workforce", "How do you make sure that subcontractors working on your sites or at your customers' "
                          "premises pay their workers correctly?"),
        ("Own workforce", "Do agency and seasonal workers get the same safety induction, protective equipment and pay "
                          "as your own staff doing the same work?"),
        ("Own workforce", "When a foreign company posts workers to work for you in Belgium, do you check before they "
                          "start that they have been declared in Limosa and are paid according to Belgian rules?"),
    ],
    "flemish_food": [
        ("Children's rights", "Do you know whether child labour is a known risk for the products you buy and the "
                              "countries they come from?"),
        ("Forced labour", "Have you checked whether forced labour is a known risk for the products you buy and the "
                          "countries where they, or their raw materials, come from?"),
        ("Risk radar", "Forced labour reported: Côte d’Ivoire; Child labour reported: Côte d’Ivoire, Ghana"),
        ("Risk radar", "Forced labour reported: Brazil; Child labour reported: Brazil, Honduras"),
        ("Risk radar", "Forced labour reported: Brazil; Child labour reported: Brazil"),
    ],
}


def content_of(bundle, key: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    profile, _ = COMPANIES[key]
    items = [ModuleInput(q, walk(q, profile)) for q in bundle.questionnaires if applies(q, profile)]
    return build_content(profile, items, bundle, lang, date(2026, 12, 1))


@pytest.mark.parametrize("key", sorted(COMPANIES))
def test_modules_and_number_of_questions(bundle, key):
    profile, _ = COMPANIES[key]
    counts = {q.id: len(walk(q, profile)) for q in bundle.questionnaires if applies(q, profile)}
    assert counts == EXPECTED[key]["modules"]
    for q in bundle.questionnaires:
        if applies(q, profile):
            answers = walk(q, profile)
            assert [x.id for x in applicable_questions(q, profile, answers)] == list(answers)


def test_the_micro_services_business_has_a_short_path(bundle):
    profile, _ = COMPANIES["micro_services"]
    assert sum(len(walk(q, profile)) for q in bundle.questionnaires if applies(q, profile)) <= 30


@pytest.mark.parametrize("key", sorted(COMPANIES))
def test_exact_radar_pairs_and_legal_rules(bundle, key):
    profile, _ = COMPANIES[key]
    ref = bundle.reference
    assert {(f.kind, f.product, f.country) for f in risk_flags(profile, ref)} == EXPECTED[key]["radar"]
    assert [(h.rule.id, h.how) for h in legal_radar(profile, ref)] == EXPECTED[key]["legal"]


@pytest.mark.parametrize("key", sorted(COMPANIES))
def test_the_top_five_actions(bundle, key):
    top = content_of(bundle, key).top_actions
    assert len(top) == len(TOP_FIVE[key])
    for row, (module, why) in zip(top, TOP_FIVE[key]):  # the why names the question, then the answer given
        assert row.module == module and row.why.startswith(why), (row.module, row.why)


def test_companies_that_differ_get_different_first_actions(bundle):
    firsts = {key: tuple(row.why for row in content_of(bundle, key).top_actions) for key in COMPANIES}
    assert len(set(firsts.values())) == len(firsts)


def test_the_component_buyer_is_sent_to_cmrt_not_to_importer_duties(bundle):
    profile, _ = COMPANIES["walloon_manufacturer"]
    cahra = [f for f in risk_flags(profile, bundle.reference) if f.kind == "cahra"]
    assert cahra and all(f.component for f in cahra)
    assert ("conflict_minerals", "via_customers") in [(h.rule.id, h.how) for h in legal_radar(profile, bundle.reference)]
    minerals = bundle.questionnaire("conflict_minerals")
    asked = {q.id for q in applicable_questions(minerals, profile, walk(minerals, profile))}
    assert "cmrt_requests" in asked and not {"importer_status", "importer_system", "importer_audit"} & asked


@pytest.mark.parametrize("key", sorted(COMPANIES))
def test_no_help_for_another_region_or_a_product_it_lacks_in_the_content(bundle, key):
    profile, lang = COMPANIES[key]
    for language in ("nl", "fr", "en"):
        assert not unfit_names(report_texts(content_of(bundle, key, language)), profile)


@pytest.mark.parametrize("key", sorted(COMPANIES))
def test_the_pdf_in_the_company_s_language_names_only_help_that_fits(tmp_path, store, bundle, key):
    profile, lang = COMPANIES[key]
    company, _ = complete(store, bundle, profile, lang)
    pdf = write_report(store, bundle, company, lang, tmp_path / f"{key}.pdf")
    text = " ".join(" ".join(page.extract_text().replace("-\n", "-").split()) for page in PdfReader(pdf).pages)
    assert not unfit_names([text], profile)
    if key == "flemish_food":
        assert "Beyond Chocolate" in text
    links = {link.name for row in content_of(bundle, key, lang).actions for link in row.links}
    if profile.region == "wallonia":  # its own region's help is offered somewhere in the plan
        assert any("AKT" in name or "AWEX" in name or "chèques" in name.lower() for name in links), links
