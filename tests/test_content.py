"""The bundled content is grounded and complete: sources, steps, red flags with help, three languages."""

from __future__ import annotations

import pytest

from hrdd.models import LANGS, Text


def all_texts(model, path=""):
    """Every Text inside a pydantic model, with where it is."""
    if isinstance(model, Text):
        yield path, model
        return
    if isinstance(model, list):
        for i, item in enumerate(model):
            yield from all_texts(item, f"{path}[{i}]")
        return
    fields = getattr(type(model), "model_fields", None)
    if fields:
        for name in fields:
            yield from all_texts(getattr(model, name), f"{path}.{name}")


def test_every_module_is_there(bundle):
    assert {q.id for q in bundle.questionnaires} >= {"due_diligence", "children", "conflict_minerals"}


@pytest.mark.parametrize("module", ["due_diligence", "children", "forced_labour", "conflict_minerals"])
def test_module_is_grounded(bundle, module):
    q = bundle.questionnaire(module)
    if q is None:
        pytest.skip(f"{module} not bundled")
    known = {r.id for r in bundle.catalogue.resources}
    steps = range(1, 6) if q.framework == "oecd_minerals" else range(1, 7)
    assert {x.step for x in q.questions} == set(steps), "every step has questions"
    for question in q.questions:
        assert question.refs, question.id
        assert question.step in steps
        assert set(question.resources) <= known
        if question.scored:
            assert question.action is not None, question.id
        for option in question.options:
            if option.red_flag:
                assert option.red_flag.resources and set(option.red_flag.resources) <= known
    assert any(o.red_flag for x in q.questions for o in x.options), "at least one red flag"
    assert q.nap


def test_no_text_is_missing_or_left_untranslated(bundle):
    suspicious = []
    for q in bundle.questionnaires:
        for path, text in all_texts(q, q.id):
            values = [text.get(lang) for lang in LANGS]
            assert all(v.strip() for v in values), path
            long_enough = len(text.en) > 25
            if long_enough and (text.nl == text.en or text.fr == text.en or text.nl == text.fr):
                suspicious.append(path)
    assert not suspicious, suspicious


def test_belgian_usage_in_questionnaires(bundle):
    nl = " ".join(t.nl for q in bundle.questionnaires for _, t in all_texts(q)).lower()
    fr = " ".join(t.fr for q in bundle.questionnaires for _, t in all_texts(q)).lower()
    assert "mkb" not in nl and "kmo" in nl and "onderneming" in nl
    assert "pme" in fr and "entreprise" in fr


def test_catalogue_entries_are_complete(bundle):
    for r in bundle.catalogue.resources:
        assert r.urls.get("en").startswith("https://")
        assert r.region in {"federal", "flanders", "wallonia", "brussels", "eu", "international"}
        assert r.source


# --- due_diligence: proportionate and tailored (issue 8) ---------------------------------------

from companies import MICRO_SERVICES, WALLOON_MANUFACTURER  # noqa: E402

from hrdd.answers import Answer  # noqa: E402
from hrdd.conditions import applicable_questions  # noqa: E402
from hrdd.models import Profile, ProfileCondition, Sourcing  # noqa: E402

FOLLOW_UPS = {"policy_commitment": Answer(question_id="policy_commitment", value="approved"),
              "grievance_mechanism": Answer(question_id="grievance_mechanism", value="open")}
"""The answers that open every follow-up question of the due-diligence module."""

STAFF_QUESTIONS = {"responsibility", "equal_treatment", "worker_feedback", "wellbeing_at_work",
                   "communication_affected", "grievance_criteria", "retaliation"}

LARGE_MANUFACTURER = Profile(
    name="Groot NV", employees=300, turnover_eur_m=80, nace="C", region="flanders", supplies="both",
    workforce=["agency", "subcontractors_on_site", "self_employed"], sells_to_large_companies=True,
    public_buyer=True, imports_non_eu=True, b2c=True, minerals_3tg="yes",
    sourcing=[Sourcing(product="cocoa", origins=["CI"], channel="direct")])


def asked(bundle, profile):
    return [q.id for q in applicable_questions(bundle.questionnaire("due_diligence"), profile, FOLLOW_UPS)]


def test_a_services_sole_trader_gets_a_short_module_without_staff_questions(bundle):
    ids = asked(bundle, MICRO_SERVICES)
    assert len(ids) <= 18, ids
    assert not STAFF_QUESTIONS & set(ids)
    assert {"customers_use", "freelancers", "policy_commitment", "grievance_mechanism"} <= set(ids)
    assert not {"supplier_count", "purchasing_practices", "non_eu_supplier_check"} & set(ids)


def test_a_large_company_with_everything_gets_every_question(bundle):
    module = bundle.questionnaire("due_diligence")
    ids = asked(bundle, LARGE_MANUFACTURER)
    # sourcing_countries is the one exception: the profile already names where goods come from
    assert set(ids) == {q.id for q in module.questions} - {"sourcing_countries"}


def test_origin_not_import_decides_the_supply_chain_questions(bundle):
    """Components from China bought through an EU distributor are asked about; an importer with
    no origins in its profile is asked where it buys; one with origins is not asked again."""
    assert WALLOON_MANUFACTURER.imports_non_eu is False
    ids = asked(bundle, WALLOON_MANUFACTURER)
    assert "non_eu_supplier_check" in ids and "sourcing_countries" not in ids
    assert "customers_use" not in ids  # it supplies goods only
    legacy = Profile(name="Oud", imports_non_eu=True)
    assert {"sourcing_countries", "non_eu_supplier_check"} <= set(asked(bundle, legacy))
    eu_only = Profile(name="EU", imports_non_eu=False, supplies="services",
                      sourcing=[Sourcing(product="coffee", origins=["NL"])])
    assert not {"sourcing_countries", "non_eu_supplier_check"} & set(asked(bundle, eu_only))


def test_the_sourcing_countries_question_is_asked_only_when_the_profile_names_no_origin(bundle):
    """A profile with product → origin pairs is never asked for its countries again."""
    from hrdd.conditions import holds
    from hrdd.models import Profile, Sourcing

    cond = bundle.questionnaire("due_diligence").question("sourcing_countries").applies_if
    assert holds(cond, Profile(name="Old", imports_non_eu=True), {})
    paired = Profile(name="New", imports_non_eu=True, sourcing=[Sourcing(product="cocoa", origins=["GH"])])
    assert not holds(cond, paired, {})


def test_what_is_good_scales_with_size_and_says_why(bundle):
    module = bundle.questionnaire("due_diligence")
    grievance = module.question("grievance_mechanism")
    contact = grievance.option("named_contact")
    assert contact.score_for("micro") == 100 > contact.score_for("medium") and contact.score_for("large") < 100
    assert grievance.max_score_for("micro") == 100
    scaled = [q for q in module.questions if any(o.score_by_size for o in q.options)]
    assert {"grievance_mechanism", "policy_commitment", "responsibility", "tracking_indicators",
            "public_communication"} <= {q.id for q in scaled}
    size_fields = {"size_class", "employees"}

    def tests_size(cond):
        if isinstance(cond, ProfileCondition):
            return cond.profile in size_fields
        return any(tests_size(c) for c in getattr(cond, "all", None) or getattr(cond, "any", None) or [])

    for q in scaled:
        assert any(tests_size(b.when) for b in q.help_if), f"{q.id}: explain the size-scaled score in help_if"


def test_red_flags_have_ids_and_never_score_above_a_plain_answer(bundle):
    module = bundle.questionnaire("due_diligence")
    for q in module.questions:
        for o in q.options:
            if not o.red_flag:
                continue
            assert o.red_flag.id, q.id
            for size in (None, "micro", "small", "medium", "large"):
                assert all(o.score_for(size) <= other.score_for(size) for other in q.options
                           if not other.red_flag), (q.id, o.id, size)


def test_one_red_flag_id_means_one_severity_in_every_module(bundle):
    severity: dict[str, set[str]] = {}
    for questionnaire in bundle.questionnaires:
        for q in questionnaire.questions:
            for o in q.options:
                if o.red_flag and o.red_flag.id:
                    severity.setdefault(o.red_flag.id, set()).add(o.red_flag.severity)
    assert {k: v for k, v in severity.items() if len(v) > 1} == {}


def test_regional_support_entries_follow_the_december_2026_reference(bundle):
    by_id = {r.id: r for r in bundle.catalogue.resources}
    assert "sowalfin" not in by_id  # merged into Wallonie Entreprendre in 2023; no address known
    assert (by_id["cheques_entreprises"].region, by_id["cheques_entreprises"].urls.get("fr")) == (
        "wallonia", "https://www.cheques-entreprises.be/")
    assert (by_id["akt"].region, by_id["akt"].urls.get("fr")) == ("wallonia", "https://akt.be/")
    premium = by_id["brussels_consultancy_premium"]
    assert (premium.region, premium.urls.get("fr")) == ("brussels", "https://economy-employment.brussels/node/361095")
    assert premium.name.fr == "Prime Consultance transition économique"
    for entry in (premium, by_id["cheques_entreprises"], by_id["vlaio"]):
        assert "large" not in entry.sizes and entry.sizes  # schemes for SMEs only
    # the kmo-portefeuille pays for training; advice only for cybersecurity since 1 February 2026
    assert "1 February 2026" in by_id["vlaio"].description.en
