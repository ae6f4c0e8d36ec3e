"""Maturity scores, red flags and the action plan: pure functions, no I/O.

How a score is computed (also printed in the report's method note):

* each applicable, scored question answered with an option gives ``score / max_score``
  (for multiple choice: the sum of the chosen options' scores over the sum of all);
* a step's score is the weighted mean of its questions, 0-100; the module's score is the
  weighted mean over all its scored questions;
* "don't know" is not a zero: it is left out of the score and counted as a knowledge gap;
* unanswered questions are left out and counted as open;
* what an answer is worth may depend on the company's size class (``score_by_size``);
* an open critical or high red flag caps the module's level at "urgent attention", whatever
  the average says (UNGP 14 and 24: the most severe impacts come first).
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .answers import Answer
from .conditions import applicable_questions
from .i18n import N_
from .models import Catalogue, Profile, ProfileCondition, Question, Questionnaire, Resource, Severity, Text

LEVELS: tuple[tuple[int, str, str], ...] = (
    (0, "initial", N_("Initial")),
    (25, "developing", N_("Developing")),
    (50, "established", N_("Established")),
    (75, "advanced", N_("Advanced")),
)
"""(lowest score, key, English name) of each maturity level."""

URGENT = "urgent"
LEVEL_NAMES = {key: name for _, key, name in LEVELS} | {URGENT: N_("Urgent attention")}
CAP_SEVERITIES = ("critical", "high")
CAP_REASON = N_("Level capped at “Urgent attention” because of open critical or high red flags ({n}), "
                "whatever the average score says. It lifts once the situation is resolved and the answer "
                "updated.")
"""One sentence explaining a capped level (format with n)."""

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
    "workforce": N_("Own workforce"),
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
    action_if: tuple[Any, ...] = ()


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
    impact: Literal["critical", "high", "medium", "low"] = "medium"
    """Severity of the impact: the red flag's, or the question's."""
    gap: float = 0.0
    """How far the answer is from the best one for this company, 0-3 (share missed × weight)."""
    profile_fields: frozenset[str] = frozenset()
    """The profile fields that made the question apply (its condition's fields): they tell
    whether it is about the supply chain, the workforce or the sector."""
    theme: str = ""
    text_if: tuple[Any, ...] = ()
    """Conditional blocks of the action text (shown when their condition holds for the company)."""


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
    capped: bool = False
    """An open critical or high red flag caps ``level`` at "urgent" whatever ``score`` says."""

    @property
    def complete(self) -> bool:
        return not self.open_questions

    @property
    def cap_flags(self) -> list[Flag]:
        return [f for f in self.red_flags if f.severity in CAP_SEVERITIES]


_MEMO: dict[int, dict[Any, Any]] = {}
"""Per question object (by id, dropped when the object goes): its best scores by size, whether it
is scored, the profile fields of its condition. Questions are frozen, so these never change."""


def _memo(question: Question) -> dict[Any, Any]:
    memo = _MEMO.get(id(question))
    if memo is None:
        memo = _MEMO[id(question)] = {}
        weakref.finalize(question, _MEMO.pop, id(question), None)
    return memo


def _best(question: Question, size: str | None) -> int:
    """``question.max_score_for(size)``, computed once per question and size."""
    memo = _memo(question)
    key = ("best", size)
    if key not in memo:
        memo[key] = question.max_score_for(size)
    return memo[key]  # type: ignore[no-any-return]


def _scored(question: Question) -> bool:
    """``question.scored``, computed once per question."""
    memo = _memo(question)
    if "scored" not in memo:
        memo["scored"] = question.scored
    return memo["scored"]  # type: ignore[no-any-return]


def _question_fields(question: Question) -> frozenset[str]:
    """``profile_fields(question.applies_if)``, computed once per question."""
    memo = _memo(question)
    if "fields" not in memo:
        memo["fields"] = profile_fields(question.applies_if)
    return memo["fields"]  # type: ignore[no-any-return]


def question_fraction(question: Question, answer: Answer, size: str | None = None) -> float | None:
    """The share of the best answer (for a company of ``size``) this answer reaches, or None when
    it is not scored."""
    if answer.dont_know or not _scored(question):
        return None
    best = _best(question, size)
    if best <= 0:
        return None
    picked = set(answer.choices())
    chosen = [o for o in question.options if o.id in picked]
    if not chosen and question.kind != "multi":
        return None
    if question.kind == "multi":
        return min(1.0, sum(o.score_for(size) for o in chosen) / best)
    return min(1.0, chosen[0].score_for(size) / best)


def _weighted(pairs: list[tuple[float, int]]) -> int | None:
    total = sum(w for _, w in pairs)
    return round(100 * sum(f * w for f, w in pairs) / total) if total else None


def profile_fields(cond: Any) -> frozenset[str]:
    """The profile fields a condition tests (answers and negations included)."""
    if cond is None:
        return frozenset()
    if isinstance(cond, ProfileCondition):
        return frozenset({cond.profile})
    children = list(getattr(cond, "all", None) or getattr(cond, "any", None) or [])
    if getattr(cond, "not_", None) is not None:
        children.append(cond.not_)
    return frozenset(f for child in children for f in profile_fields(child))


def score_module(questionnaire: Questionnaire, profile: Profile,
                 answers: Mapping[str, Answer]) -> ModuleResult:
    """Score one module for one company."""
    questions = applicable_questions(questionnaire, profile, answers)
    size = profile.size_class
    theme = questionnaire.theme
    per_step: dict[int, list[tuple[float, int]]] = {}
    flags: list[Flag] = []
    gaps: list[Action] = []
    dont_know: list[str] = []
    open_ids: list[str] = []
    for q in questions:
        answer = answers.get(q.id)
        if answer is None:
            open_ids.append(q.id)
            continue
        specific = _question_fields(q)
        if answer.dont_know:
            dont_know.append(q.id)
            if q.action is not None:
                gaps.append(Action(q.id, q.step, "find_out", None, q.action, q.text, list(q.resources), list(q.nap),
                                   "small", impact=q.severity, gap=0.5 * q.weight, profile_fields=specific,
                                   theme=theme, text_if=tuple(q.action_if)))
            continue
        picked = set(answer.choices())
        for option in q.options:
            if option.red_flag and option.id in picked:
                rf = option.red_flag
                flags.append(Flag(q.id, option.id, rf.severity, rf.finding, rf.action, list(rf.resources),
                                  tuple(rf.action_if)))
        fraction = question_fraction(q, answer, size)
        if fraction is None:
            continue
        per_step.setdefault(q.step, []).append((fraction, q.weight))
        if fraction < 1 and q.action is not None:
            gaps.append(Action(q.id, q.step, "gap", None, q.action, q.text, list(q.resources), list(q.nap),
                               _EFFORT_BY_WEIGHT[q.weight], impact=q.severity, gap=(1 - fraction) * q.weight,
                               profile_fields=specific, theme=theme, text_if=tuple(q.action_if)))
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
    red_actions = []
    for f in flags:
        flagged = questionnaire.question(f.question_id)
        red_actions.append(Action(
            f.question_id, flagged.step if flagged else 1, "red_flag", f.severity, f.action, f.finding, f.resources,
            list(flagged.nap) if flagged else [], "now", impact=f.severity, gap=3.0,
            profile_fields=profile_fields(flagged.applies_if) if flagged else frozenset(), theme=theme,
            text_if=f.action_if))
    capped = any(f.severity in CAP_SEVERITIES for f in flags)
    level = None if overall is None and not capped else (URGENT if capped else level_for(overall or 0))
    return ModuleResult(
        questionnaire_id=questionnaire.id, score=overall, level=level, steps=steps, red_flags=flags,
        knowledge_gaps=dont_know, actions=red_actions + sorted(gaps, key=_gap_order),
        applicable=len(questions), answered=len(questions) - len(open_ids), open_questions=open_ids,
        capped=capped)


@dataclass(frozen=True)
class Figures:
    """What the sector benchmark counts of one completed assessment; stored when it completes
    (:meth:`hrdd.storage.Store.save_scores`), always computed by :func:`benchmark_figures`."""

    module: str
    """The questionnaire (module) id."""
    score: int | None
    level: str | None
    capped: bool
    steps: tuple[tuple[int, int | None, str | None], ...]
    """(step, score 0-100 or None, level or None) of every step with applicable questions."""
    red_flags: frozenset[tuple[str, str]]
    """(question id, option id) of the open red flags."""
    questions: tuple[tuple[str, bool], ...]
    """(question id, below the expected level), by question id, of each scored question answered with an option
    that counts for the company's size, or "don't know"; below: an answer short of the best one
    for a company of its size, or "don't know"."""


def benchmark_figures(questionnaire: Questionnaire, profile: Profile, answers: Mapping[str, Answer]) -> Figures:
    """The figures the benchmark counts for one company's assessment: :func:`score_module` and
    :func:`question_fraction`, nothing else."""
    result = score_module(questionnaire, profile, answers)
    by_id = {q.id: q for q in questionnaire.questions}
    size = profile.size_class
    questions = []
    for qid, answer in answers.items():
        question = by_id.get(qid)
        if question is None or not _scored(question):
            continue
        fraction = question_fraction(question, answer, size)
        if fraction is None and not answer.dont_know:
            continue
        questions.append((qid, answer.dont_know or (fraction is not None and fraction < 1)))
    return Figures(module=questionnaire.id, score=result.score, level=result.level, capped=result.capped,
                   steps=tuple((s.step, s.score, s.level) for s in result.steps),
                   red_flags=frozenset((f.question_id, f.option_id) for f in result.red_flags),
                   questions=tuple(sorted(questions)))


IMPACT_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
_KIND_ORDER = {"red_flag": 0, "gap": 1, "find_out": 1}
THEME_RISKS = {"children": "child_labour", "forced_labour": "forced_labour", "conflict_minerals": "cahra"}
"""The risk-radar kind that raises a theme's exposure."""
_WORKFORCE_THEMES = {"forced_labour": {"agency", "posted", "subcontractors_on_site", "seasonal"},
                     "workforce": {"agency", "posted", "subcontractors_on_site", "seasonal", "students"},
                     "children": {"students", "seasonal"}}


def _gap_order(a: Action) -> tuple[Any, ...]:
    return (IMPACT_ORDER[a.impact], -a.gap, a.step)


SUPPLY_FIELDS = frozenset({"non_eu_origin", "products", "origin_countries", "sourcing_countries", "imports_non_eu",
                           "imports_directly", "minerals_3tg", "minerals_form"})
"""Profile fields whose test makes a question one about the supply chain."""


def exposure(action: Action, profile: Profile, radar_kinds: Collection[str]) -> int:
    """How exposed this company is to the impact an action is about (0-5): risk-radar pairs
    (for supply-chain questions above all), the workforce that carries the risk, and the sector."""
    fields = action.profile_fields
    theme_risk = THEME_RISKS.get(action.theme)
    radar = theme_risk in radar_kinds if theme_risk else bool(radar_kinds)
    score = 0
    if fields & SUPPLY_FIELDS:
        score += 2 if radar else 1
    elif radar:
        score += 1
    if "workforce" in fields:
        score += 2
    elif set(profile.workforce or []) & _WORKFORCE_THEMES.get(action.theme, set()):
        score += 1
    if "nace" in fields:
        score += 1
    return score


_SEVERITY_TIER = {"critical": 0, "high": 0, "medium": 1, "low": 2}
"""Gaps are ranked by tier: the severe (critical and high) impacts first, then medium, then low;
within a tier the company's exposure decides. Red flags keep the full order (critical first)."""


def plan_key(action: Action, profile: Profile, radar_kinds: Collection[str]) -> tuple[int, int, int, float]:
    """Where an action stands in the plan: red flags first; then the severity of the impact
    (scale, scope, irremediability), the company's exposure, and the size of the gap
    (UNGP 14, 17, 24). Smaller comes first."""
    rank = IMPACT_ORDER[action.impact] if action.kind == "red_flag" else _SEVERITY_TIER[action.impact]
    return (_KIND_ORDER[action.kind], rank, -exposure(action, profile, radar_kinds), -action.gap)


RADAR_KEY = (1, _SEVERITY_TIER["high"], -3, -2.0)
"""A risk-radar pair in the plan: a severe impact (child or forced labour, conflict financing) the
company is exposed to by what it declared it buys, with the gap not yet known."""


def prioritise(actions: list[Action], profile: Profile, radar_kinds: Collection[str]) -> list[Action]:
    """The actions in plan order (see :func:`plan_key`), ties kept in questionnaire order."""
    indexed = list(enumerate(actions))
    indexed.sort(key=lambda ia: (plan_key(ia[1], profile, radar_kinds), ia[0]))
    return [a for _, a in indexed]


def fitting_resources(ids: list[str], catalogue: Catalogue, profile: Profile) -> list[Resource]:
    """The catalogue entries for ``ids`` that fit the company.

    Federal, EU and international bodies serve everyone; a regional body only serves
    companies in its region (a Walloon company sees AWEX, not VLAIO). A product initiative
    (Beyond Chocolate, TruStone) is shown only to companies with one of its products, and an
    entry for some size classes only to companies of those sizes. A sector federation (an entry
    with NACE sections) is shown only to companies in one of its sections. With no region or
    NACE section known, every regional or sector entry is kept.
    """
    region, products, size, nace = profile.region, set(profile.all_products), profile.size_class, profile.nace
    found = [r for r in (catalogue.get(i) for i in dict.fromkeys(ids)) if r is not None]
    return [r for r in found
            if (region is None or r.region in ("federal", "eu", "international", region))
            and (not r.products or set(r.products) & products)
            and (not r.sizes or size is None or size in r.sizes)
            and (not r.nace or nace is None or nace in r.nace)]
