"""Maturity scores, red flags and the action plan: pure functions, no I/O.

How a score is computed (also printed in the report's method note):

* each applicable, scored question answered with an option gives ``score / max_score``
  (for multiple choice: the sum of the chosen options' scores over the sum of all);
* a step's score is the weighted mean of its questions, 0-100; the module's score is the
  weighted mean over all its scored questions;
* "don't know" is not a zero: it is left out of the score and counted as a knowledge gap;
* unanswered questions are left out and counted as open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .answers import Answer
from .conditions import applicable_questions
from .i18n import N_
from .models import Catalogue, Profile, Question, Questionnaire, Resource, Severity, Text

LEVELS: tuple[tuple[int, str, str], ...] = (
    (0, "initial", N_("Initial")),
    (25, "developing", N_("Developing")),
    (50, "established", N_("Established")),
    (75, "advanced", N_("Advanced")),
)
"""(lowest score, key, English name) of each maturity level."""

LEVEL_NAMES = {key: name for _, key, name in LEVELS}

STEP_NAMES = {
    1: N_("Embed responsible business conduct"),
    2: N_("Identify and assess impacts"),
    3: N_("Cease, prevent and mitigate"),
    4: N_("Track implementation and results"),
    5: N_("Communicate"),
    6: N_("Remediation"),
}
"""Short names of the six OECD due-diligence steps (OECD DDG 2018)."""

MINERALS_STEP_NAMES = {
    1: N_("Strong management systems"),
    2: N_("Identify and assess supply-chain risks"),
    3: N_("Respond to identified risks"),
    4: N_("Independent audit of smelters and refiners"),
    5: N_("Report on supply-chain due diligence"),
}
"""Short names of the five steps of the OECD minerals due-diligence guidance."""


def step_name(questionnaire: Questionnaire, step: int) -> str:
    """The English msgid naming ``step`` in the questionnaire's framework."""
    names = MINERALS_STEP_NAMES if questionnaire.framework == "oecd_minerals" else STEP_NAMES
    return names[step]

THEME_NAMES = {
    "due_diligence": N_("Due diligence"),
    "children": N_("Children's rights"),
    "forced_labour": N_("Forced labour"),
    "conflict_minerals": N_("Conflict minerals"),
}
"""Short names of the four NAP themes, for charts and tables."""

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2}
SEVERITY_NAMES = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium")}


def level_for(score: float) -> str:
    """The maturity level key for a 0-100 score."""
    return next(key for low, key, _ in reversed(LEVELS) if score >= low)


@dataclass(frozen=True)
class StepScore:
    step: int
    score: int | None
    """0-100, or None when no scored question of the step was answered."""
    level: str | None
    applicable: int
    answered: int
    dont_know: int


@dataclass(frozen=True)
class Flag:
    question_id: str
    option_id: str
    severity: Severity
    finding: Text
    action: Text
    resources: list[str]


@dataclass(frozen=True)
class Action:
    question_id: str
    step: int
    kind: Literal["red_flag", "gap", "find_out"]
    severity: Severity | None
    text: Text
    finding: Text
    """The question (for a gap) or the red flag's finding."""
    resources: list[str]
    nap: list[int]
    effort: Literal["now", "small", "moderate", "substantial"]
    """How much work closing the gap takes, from the question's weight ("now" for red flags)."""


EFFORT_NAMES = {"now": N_("Now"), "small": N_("Small step"), "moderate": N_("Moderate"),
                "substantial": N_("Substantial")}
_EFFORT_BY_WEIGHT: dict[int, Literal["small", "moderate", "substantial"]] = {
    1: "small", 2: "moderate", 3: "substantial"}


@dataclass(frozen=True)
class ModuleResult:
    questionnaire_id: str
    score: int | None
    level: str | None
    steps: list[StepScore]
    red_flags: list[Flag]
    knowledge_gaps: list[str]
    """Ids of questions answered "don't know"."""
    actions: list[Action]
    applicable: int
    answered: int
    open_questions: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.open_questions


def question_fraction(question: Question, answer: Answer) -> float | None:
    """The share of the best answer this answer reaches, or None when it is not scored."""
    if not question.scored or answer.dont_know:
        return None
    chosen = [o for o in question.options if o.id in answer.choices()]
    if not chosen and question.kind != "multi":
        return None
    return sum(o.score for o in chosen) / question.max_score if question.kind == "multi" \
        else chosen[0].score / question.max_score


def _weighted(pairs: list[tuple[float, int]]) -> int | None:
    total = sum(w for _, w in pairs)
    return round(100 * sum(f * w for f, w in pairs) / total) if total else None


def score_module(questionnaire: Questionnaire, profile: Profile,
                 answers: Mapping[str, Answer]) -> ModuleResult:
    """Score one module for one company."""
    questions = applicable_questions(questionnaire, profile, answers)
    per_step: dict[int, list[tuple[float, int]]] = {}
    flags: list[Flag] = []
    gaps: list[tuple[tuple[int, int, float], Action]] = []
    dont_know: list[str] = []
    open_ids: list[str] = []
    for q in questions:
        answer = answers.get(q.id)
        if answer is None:
            open_ids.append(q.id)
            continue
        if answer.dont_know:
            dont_know.append(q.id)
            if q.action is not None:
                gaps.append(((q.step, -q.weight, -1.0), Action(
                    q.id, q.step, "find_out", None, q.action, q.text, list(q.resources), list(q.nap), "small")))
            continue
        for option in q.options:
            if option.id in answer.choices() and option.red_flag:
                rf = option.red_flag
                flags.append(Flag(q.id, option.id, rf.severity, rf.finding, rf.action, list(rf.resources)))
        fraction = question_fraction(q, answer)
        if fraction is None:
            continue
        per_step.setdefault(q.step, []).append((fraction, q.weight))
        if fraction < 1 and q.action is not None:
            gaps.append(((q.step, -q.weight, fraction - 1), Action(
                q.id, q.step, "gap", None, q.action, q.text, list(q.resources), list(q.nap),
                _EFFORT_BY_WEIGHT[q.weight])))
    flags.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    steps = []
    for step in sorted({q.step for q in questions}):
        in_step = [q for q in questions if q.step == step]
        score = _weighted(per_step.get(step, []))
        steps.append(StepScore(
            step=step, score=score, level=None if score is None else level_for(score),
            applicable=len(in_step),
            answered=sum(1 for q in in_step if q.id in answers),
            dont_know=sum(1 for q in in_step if q.id in dont_know)))
    overall = _weighted([pair for pairs in per_step.values() for pair in pairs])
    red_actions = [Action(f.question_id, questionnaire.question(f.question_id).step, "red_flag", f.severity,
                          f.action, f.finding, f.resources, list(questionnaire.question(f.question_id).nap), "now")
                   for f in flags]
    gaps.sort(key=lambda pair: pair[0])
    return ModuleResult(
        questionnaire_id=questionnaire.id, score=overall,
        level=None if overall is None else level_for(overall), steps=steps, red_flags=flags,
        knowledge_gaps=dont_know, actions=red_actions + [a for _, a in gaps],
        applicable=len(questions), answered=len(questions) - len(open_ids), open_questions=open_ids)


def fitting_resources(ids: list[str], catalogue: Catalogue, region: str | None) -> list[Resource]:
    """The catalogue entries for ``ids`` that serve a company in ``region``.

    Federal, EU and international bodies serve everyone; a regional body only serves
    companies in its region (a Walloon company sees AWEX, not VLAIO). With no region
    known, every entry is kept.
    """
    found = [r for r in (catalogue.get(i) for i in ids) if r is not None]
    if region is None:
        return found
    return [r for r in found if r.region in ("federal", "eu", "international", region)]
