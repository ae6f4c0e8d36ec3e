"""Scores per OECD step and module, don't-know as a knowledge gap, red flags first in the plan."""

from __future__ import annotations

from hrdd.answers import Answer, check_answer
from hrdd.conditions import applicable_questions
from hrdd.models import Profile
from hrdd.scoring import fitting_resources, level_for, score_module

import pytest

FLEMISH = Profile(name="A", region="flanders", imports_non_eu=False)
WALLOON = Profile(name="B", region="wallonia", imports_non_eu=True)


def answers(**values) -> dict[str, Answer]:
    out = {}
    for qid, value in values.items():
        out[qid] = Answer(question_id=qid, dont_know=True) if value == "?" else Answer(question_id=qid, value=value)
    return out


def test_profile_and_answers_decide_what_applies(mini):
    q = mini.questionnaire("mini")
    assert [x.id for x in applicable_questions(q, FLEMISH, {})] == ["policy", "grievance", "suppliers"]
    assert [x.id for x in applicable_questions(q, WALLOON, answers(policy="draft"))] == [
        "policy", "approved", "grievance", "suppliers", "imports"]


def test_step_and_module_scores(mini):
    q = mini.questionnaire("mini")
    result = score_module(q, WALLOON, answers(policy="draft", approved="yes", grievance="yes",
                                              suppliers=12, imports=["country"]))
    steps = {s.step: s for s in result.steps}
    assert steps[1].score == round(100 * (0.5 * 2 + 1 * 1) / 3)  # weighted: policy weight 2
    assert steps[2].score == 50
    assert steps[6].score == 100
    assert result.score == round(100 * (0.5 * 2 + 1 + 0.5 + 1) / 5)
    assert result.level == level_for(result.score) == "established"
    assert result.complete


def test_dont_know_is_a_knowledge_gap_not_a_zero(mini):
    q = mini.questionnaire("mini")
    result = score_module(q, FLEMISH, answers(policy="adopted", approved="?", grievance="yes", suppliers=3))
    assert result.knowledge_gaps == ["approved"]
    assert {s.step: s.score for s in result.steps}[1] == 100
    assert [a.kind for a in result.actions] == ["find_out"]


def test_red_flags_come_first_in_the_action_plan(mini):
    q = mini.questionnaire("mini")
    result = score_module(q, FLEMISH, answers(policy="none", grievance="no"))
    assert [f.question_id for f in result.red_flags] == ["grievance"]
    assert result.red_flags[0].severity == "high"
    assert [(a.kind, a.question_id) for a in result.actions] == [
        ("red_flag", "grievance"), ("gap", "policy"), ("gap", "grievance")]
    assert result.open_questions == ["suppliers"] and not result.complete


def test_resources_fit_the_region(mini):
    ids = ["toolbox", "regional"]
    assert [r.id for r in fitting_resources(ids, mini.catalogue, FLEMISH)] == ["toolbox", "regional"]
    assert [r.id for r in fitting_resources(ids, mini.catalogue, WALLOON)] == ["toolbox"]


def test_answers_are_checked_against_the_question(mini):
    q = mini.questionnaire("mini")
    with pytest.raises(ValueError, match="expected option ids"):
        check_answer(q.question("policy"), Answer(question_id="policy", value="maybe"))
    with pytest.raises(ValueError, match="a number"):
        check_answer(q.question("suppliers"), Answer(question_id="suppliers", value="twelve"))
    check_answer(q.question("imports"), Answer(question_id="imports", value=[]))
    for bad in (float("nan"), float("inf"), 1e300, -5):
        with pytest.raises(ValueError, match="from 0 to"):
            check_answer(q.question("suppliers"), Answer(question_id="suppliers", value=bad))


def best(question):
    """The best answer to ``question`` for a company of unknown size."""
    if question.kind == "multi":
        return Answer(question_id=question.id, value=[o.id for o in question.options if o.score > 0])
    if question.kind in ("single", "yes_no"):
        return Answer(question_id=question.id, value=max(question.options, key=lambda o: o.score).id)
    if question.kind == "number":
        return Answer(question_id=question.id, value=question.min)
    if question.kind == "countries":
        return Answer(question_id=question.id, value=["NL"])
    return Answer(question_id=question.id, value="x")


def test_children_under_the_minimum_age_cap_the_level_whatever_the_average(bundle):
    from hrdd.conditions import first_open_question
    from hrdd.scoring import CAP_REASON, LEVEL_NAMES

    q = bundle.questionnaire("children")
    profile = Profile(name="Atelier", employees=8, region="wallonia", supplies="goods")
    given: dict[str, Answer] = {"young_workers_present": Answer(question_id="young_workers_present",
                                                               value="under_minimum_age")}
    while (question := first_open_question(q, profile, given)) is not None:
        given[question.id] = best(question)
    result = score_module(q, profile, given)
    assert result.score is not None and result.score >= 50  # the average alone would read "established" or better
    assert result.capped and result.level == "urgent"
    assert LEVEL_NAMES["urgent"] == "Urgent attention" and "{n}" in CAP_REASON
    assert [f.severity for f in result.cap_flags] == ["critical"]
    fixed = {**given, "young_workers_present": Answer(question_id="young_workers_present", value="young_15_18")}
    assert score_module(q, profile, fixed).level != "urgent"


def test_what_counts_as_good_scales_with_size():
    from hrdd.models import Questionnaire

    q = Questionnaire.model_validate({
        "kind": "questionnaire", "id": "sized", "version": "1.0", "theme": "due_diligence",
        "title": {"nl": "T", "fr": "T", "en": "T"}, "description": {"nl": "D", "fr": "D", "en": "D"},
        "questions": [{
            "id": "channel", "kind": "single", "step": 6, "refs": [{"framework": "BE", "ref": "Law of 28 Nov 2022"}],
            "text": {"nl": "Kanaal?", "fr": "Canal ?", "en": "Channel?"},
            "action": {"nl": "Doe", "fr": "Faites", "en": "Do"},
            "options": [
                {"id": "none", "label": {"nl": "Geen", "fr": "Aucun", "en": "None"}, "score": 0},
                {"id": "contact", "label": {"nl": "Persoon", "fr": "Personne", "en": "Person"}, "score": 40,
                 "score_by_size": {"micro": 100}},
                {"id": "formal", "label": {"nl": "Formeel", "fr": "Formel", "en": "Formal"}, "score": 100}]}]})
    contact = {"channel": Answer(question_id="channel", value="contact")}
    micro = score_module(q, Profile(name="M", employees=3, turnover_eur_m=0.4), contact)
    medium = score_module(q, Profile(name="L", employees=80), contact)
    assert micro.score == 100 and not micro.actions
    assert medium.score == 40 and [a.question_id for a in medium.actions] == ["channel"]


def test_size_class_follows_the_eu_sme_definition():
    from hrdd.models import size_class

    assert size_class(0, None) == "micro"
    assert size_class(9, 2.0) == "micro" and size_class(9, 2.5) == "small"
    assert size_class(10, 1.0) == "small" and size_class(49, 10.0) == "small"
    assert size_class(50, 1.0) == "medium" and size_class(249, 50.0) == "medium"
    assert size_class(250, 1.0) == "large" and size_class(20, 60.0) == "large"
    assert size_class(None, 1.0) is None


def test_a_product_initiative_is_offered_only_with_its_product(bundle):
    cocoa = Profile(name="C", region="flanders", products=["cocoa"])
    stone = Profile(name="S", region="flanders", products=["natural_stone"])
    ids = ["beyond_chocolate", "trustone", "duediligence_toolbox"]
    assert [r.id for r in fitting_resources(ids, bundle.catalogue, cocoa)] == ["beyond_chocolate", "duediligence_toolbox"]
    assert [r.id for r in fitting_resources(ids, bundle.catalogue, stone)] == ["trustone", "duediligence_toolbox"]


def test_a_stale_answer_to_a_question_that_no_longer_applies_opens_no_follow_up(mini):
    q = mini.questionnaire("mini")
    # 'approved' follows 'policy'; make 'policy' itself inapplicable by a profile condition
    from hrdd.models import Questionnaire

    data = q.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["questions"][0]["applies_if"] = {"profile": "region", "equals": "wallonia"}
    gated = Questionnaire.model_validate(data)
    stale = answers(policy="draft")
    assert "approved" in [x.id for x in applicable_questions(gated, WALLOON, stale)]
    assert "approved" not in [x.id for x in applicable_questions(gated, FLEMISH, stale)]
