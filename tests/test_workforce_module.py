"""The own-workforce module (issue 9): asked only where there is staff, proportionate to size,
sector-specific law only for the sectors and workforces it concerns, red flags that never score
above another answer, and regional help only for companies in that region."""

from __future__ import annotations

import re

import pytest

from hrdd.answers import Answer
from hrdd.conditions import applicable_questions, applies, tailored
from hrdd.loader import load_bundled
from hrdd.models import SIZE_CLASSES, Profile, Questionnaire
from hrdd.scoring import question_fraction, score_module

from companies import BRUSSELS_CLEANING

CORE = {"prevention_organisation", "risk_analysis", "working_time", "fair_wages", "accidents",
        "harassment_contact"}
"""What every company with staff is asked: safety organisation and risk analysis, hours and pay,
accidents, and whom to turn to about harassment or discrimination."""

SECTOR_OR_WORKFORCE = {"temporary_workers", "student_workers", "subcontractor_wages", "posted_workers",
                       "presence_registration"}
"""Questions asked only because of the workforce or the sector the law names."""


@pytest.fixture(scope="module")
def workforce() -> Questionnaire:
    q = load_bundled().questionnaire("workforce")
    assert q is not None, "questionnaires/workforce.yaml is bundled"
    return q


def asked(q: Questionnaire, profile: Profile) -> list[str]:
    return [x.id for x in applicable_questions(q, profile, {})] if applies(q, profile) else []


MICRO = Profile(name="Bakkerij Claes", employees=4, turnover_eur_m=0.6, nace="C", region="flanders",
                workforce=[])
SMALL = Profile(name="Atelier Dupont SRL", employees=25, turnover_eur_m=3.0, nace="C", region="wallonia",
                workforce=[])
MEDIUM = Profile(name="Logistiek Mertens NV", employees=120, turnover_eur_m=30.0, nace="H",
                 region="flanders", workforce=[])
LARGE = Profile(name="Groupe Lambert SA", employees=300, turnover_eur_m=80.0, nace="M", region="brussels",
                workforce=[])
LARGE_BUILDER = Profile(name="Bouw Peeters NV", employees=300, turnover_eur_m=90.0, nace="F",
                        region="flanders", workforce=["agency", "students", "seasonal",
                                                      "subcontractors_on_site", "posted", "self_employed"])
FLEMISH_OFFICE = Profile(name="Adviesbureau Wouters BV", employees=12, turnover_eur_m=1.5, nace="M",
                         region="flanders", supplies="services", workforce=[])


# --- who is asked what -----------------------------------------------------------------------

@pytest.mark.parametrize("workforce_kinds", [[], ["self_employed"], None])
def test_a_sole_trader_without_staff_does_not_get_the_module(workforce, workforce_kinds):
    sole = Profile(name="Lies Peeters", employees=0, nace="J", region="flanders", workforce=workforce_kinds)
    assert not sole.has_staff
    assert not applies(workforce, sole)
    assert asked(workforce, sole) == []


def test_a_sole_trader_with_student_workers_does_get_it(workforce):
    assert applies(workforce, Profile(name="Frituur", employees=0, workforce=["students"]))


def test_a_micro_company_gets_only_the_core(workforce):
    ids = asked(workforce, MICRO)
    assert MICRO.size_class == "micro"
    assert len(ids) <= 6
    assert set(ids) == CORE


def test_a_small_company_gets_more_and_a_medium_one_more_still(workforce):
    micro, small, medium = (set(asked(workforce, p)) for p in (MICRO, SMALL, MEDIUM))
    assert micro < small < medium
    assert {"psychosocial_risks", "worker_voice", "safety_induction"} <= small - micro
    assert {"whistleblower_channel", "equal_treatment_review", "indicators"} <= medium - small


def test_a_300_person_company_gets_the_full_set(workforce):
    everything = [x.id for x in workforce.questions]
    assert asked(workforce, LARGE_BUILDER) == everything
    general = asked(workforce, LARGE)
    assert general == [i for i in everything if i not in SECTOR_OR_WORKFORCE]
    assert 14 <= len(general) <= 18
    assert asked(workforce, MEDIUM) == general


def test_every_step_is_covered_for_a_large_company(workforce):
    steps = {x.step for x in applicable_questions(workforce, LARGE, {})}
    assert steps == set(range(1, 7))


def test_a_company_of_unknown_size_is_asked_when_in_doubt(workforce):
    ids = set(asked(workforce, Profile(name="Unknown")))
    assert CORE | {"psychosocial_risks", "equal_treatment_review", "remediation"} <= ids
    assert "whistleblower_channel" not in ids  # a legal duty from 50 workers: not assumed


def test_whistleblower_channel_from_50_workers(workforce):
    at = {n: "whistleblower_channel" in asked(workforce, Profile(name="X", employees=n)) for n in (49, 50)}
    assert at == {49: False, 50: True}


def test_brussels_cleaning_company_gets_the_sector_and_posting_questions(workforce):
    ids = set(asked(workforce, BRUSSELS_CLEANING))
    assert {"posted_workers", "subcontractor_wages", "presence_registration"} <= ids
    help_en = tailored(workforce.question("subcontractor_wages").help, (), BRUSSELS_CLEANING, "en")
    assert "jointly and severally liable" in help_en and "cleaning" in help_en
    assert "Limosa" in workforce.question("posted_workers").text.en


def test_flemish_office_of_12_does_not_get_them(workforce):
    ids = set(asked(workforce, FLEMISH_OFFICE))
    assert not ids & SECTOR_OR_WORKFORCE
    assert FLEMISH_OFFICE.size_class == "small"


def test_each_workforce_kind_brings_only_its_own_question(workforce):
    expected = {"agency": {"temporary_workers"}, "seasonal": {"temporary_workers"},
                "students": {"student_workers"}, "subcontractors_on_site": {"subcontractor_wages"},
                "posted": {"subcontractor_wages", "posted_workers"}, "self_employed": set()}
    for kind, questions in expected.items():
        profile = Profile(name="X", employees=30, nace="M", region="flanders", workforce=[kind])
        assert set(asked(workforce, profile)) & SECTOR_OR_WORKFORCE == questions, kind


def test_presence_registration_only_in_construction_and_cleaning(workforce):
    for nace, expected in (("F", True), ("N", True), ("C", False), ("M", False)):
        profile = Profile(name="X", employees=30, nace=nace, workforce=[])
        assert ("presence_registration" in asked(workforce, profile)) is expected, nace


# --- scores and red flags ---------------------------------------------------------------------

def test_red_flag_options_score_no_more_than_any_other_option(workforce):
    flagged = 0
    for question in workforce.questions:
        for size in (None, *SIZE_CLASSES):
            red = [o.score_for(size) for o in question.options if o.red_flag]
            other = [o.score_for(size) for o in question.options if not o.red_flag]
            if red:
                assert max(red) <= min(other), (question.id, size)
        flagged += sum(1 for o in question.options if o.red_flag)
    assert flagged >= 5


def test_every_red_flag_has_an_id_a_severity_and_an_immediate_action(workforce):
    ids = []
    for question in workforce.questions:
        for option in question.options:
            if option.red_flag:
                assert option.red_flag.id, (question.id, option.id)
                assert option.red_flag.severity in ("critical", "high", "medium")
                assert option.red_flag.resources
                ids.append(option.red_flag.id)
    assert len(ids) == len(set(ids))
    assert {"serious_accident_not_investigated", "wages_below_legal_minimum", "excessive_working_hours",
            "harassment_reports_ignored", "anti_union_reprisals"} <= set(ids)


def test_never_checked_scores_like_a_gap_and_the_help_says_how_it_differs_from_dont_know(workforce):
    found = 0
    for question in workforce.questions:
        never = question.option("never_checked")
        if never is None:
            continue
        found += 1
        best = question.max_score
        assert never.score <= 0.25 * best, question.id
        assert all(never.score >= o.score for o in question.options if o.red_flag), question.id
        for lang in ("nl", "fr", "en"):
            assert "Ctrl+D" in question.help.get(lang), (question.id, lang)
    assert found >= 3


def test_a_named_contact_is_enough_for_a_micro_company_not_for_a_medium_one(workforce):
    question = workforce.question("harassment_contact")
    answer = Answer(question_id=question.id, value="named_contact")
    assert question_fraction(question, answer, "micro") == 1.0
    assert question_fraction(question, answer, "medium") < 1.0
    assert "fewer than 10 staff" in tailored(question.help, question.help_if, MICRO, "en")
    assert "fewer than 10 staff" not in tailored(question.help, question.help_if, MEDIUM, "en")


def test_the_employer_as_prevention_adviser_is_explained_only_under_20_workers(workforce):
    question = workforce.question("prevention_organisation")
    small_office = tailored(question.help, question.help_if, FLEMISH_OFFICE, "en")
    bigger = tailored(question.help, question.help_if, SMALL, "en")
    assert "fewer than 20 workers, the employer may act as prevention adviser" in small_office
    assert "fewer than 20 workers" not in bigger and "From 20 workers" in bigger


def test_open_red_flag_caps_the_level(workforce):
    answers = {"working_time": Answer(question_id="working_time", value="excessive")}
    result = score_module(workforce, MICRO, answers)
    assert [f.option_id for f in result.red_flags] == ["excessive"]
    assert result.capped


# --- regional help only where it fits ----------------------------------------------------------

REGIONAL = {"kmo-portefeuille": "flanders", "chèques-entreprises": "wallonia",
            "prime consultance": "brussels"}


@pytest.mark.parametrize("region", ["flanders", "wallonia", "brussels"])
def test_regional_instruments_reach_only_their_region(workforce, region):
    profile = Profile(name="X", employees=120, turnover_eur_m=20.0, nace="N", region=region,
                      workforce=["agency", "students", "subcontractors_on_site", "posted"])
    seen = set()
    for question in applicable_questions(workforce, profile, {}):
        for lang in ("nl", "fr", "en"):
            text = (tailored(question.help, question.help_if, profile, lang) + " "
                    + tailored(question.action, question.action_if, profile, lang)).lower()
            seen |= {name for name in REGIONAL if name in text}
    assert seen == {name for name, where in REGIONAL.items() if where == region}


def test_no_regional_support_is_offered_to_a_large_company(workforce):
    for question in workforce.questions:
        for lang in ("nl", "fr", "en"):
            text = tailored(question.action, question.action_if, LARGE, lang).lower()
            assert not any(name in text for name in REGIONAL), question.id


def test_the_brussels_premium_says_apply_before_the_mission(workforce):
    text = tailored(workforce.question("equal_treatment_review").action,
                    workforce.question("equal_treatment_review").action_if, BRUSSELS_CLEANING, "fr")
    assert "Prime Consultance transition économique" in text and "50 à 80 %" in text
    assert "avant le début de la mission" in text


def test_kmo_portefeuille_is_offered_for_training_not_advice(workforce):
    q = workforce.question("prevention_organisation")
    text = tailored(q.action, q.action_if, FLEMISH_OFFICE, "nl")
    assert "kmo-portefeuille" in text and "opleiding" in text
    assert "1 februari 2026" in text and "cyberveiligheid" in text


# --- grounded content ---------------------------------------------------------------------------

def test_module_is_grounded(workforce):
    bundle = load_bundled()
    known = {r.id for r in bundle.catalogue.resources} - {"sowalfin"}
    assert workforce.theme == "workforce" and workforce.framework == "oecd_ddg"
    assert workforce.version == "1.0" and workforce.nap
    for question in workforce.questions:
        assert question.text and question.help and question.refs, question.id
        assert question.kind in ("single", "multi") and question.options, question.id
        assert question.action is not None and question.scored, question.id
        assert 1 <= question.step <= 6 and 1 <= question.weight <= 3
        assert set(question.resources) <= known, question.id
        for option in question.options:
            assert option.red_flag is None or set(option.red_flag.resources) <= known
        for ref in question.refs:
            if ref.framework == "BE":
                assert re.search(r"\b(19|20)\d\d\b", ref.ref), (question.id, ref.ref)
