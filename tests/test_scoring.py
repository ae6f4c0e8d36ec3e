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
    assert [r.id for r in fitting_resources(ids, mini.catalogue, "flanders")] == ["toolbox", "regional"]
    assert [r.id for r in fitting_resources(ids, mini.catalogue, "wallonia")] == ["toolbox"]


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
