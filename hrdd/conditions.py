"""Evaluates applicability conditions against a profile and the answers given so far."""

from __future__ import annotations

from collections.abc import Mapping

from .answers import Answer
from .models import (
    AllCondition,
    AnswerCondition,
    AnyCondition,
    Condition,
    ConditionalText,
    NotCondition,
    Profile,
    ProfileCondition,
    Question,
    Questionnaire,
    Text,
    texts_for,
)


def holds(cond: Condition | None, profile: Profile, answers: Mapping[str, Answer]) -> bool:
    """Whether ``cond`` is true; no condition means "always applies".

    A profile field the company left empty makes a profile test false, and so does an
    earlier question that is unanswered or answered "don't know": a question that depends
    on something unknown is not asked.
    """
    if cond is None:
        return True
    if isinstance(cond, AllCondition):
        return all(holds(c, profile, answers) for c in cond.all)
    if isinstance(cond, AnyCondition):
        return any(holds(c, profile, answers) for c in cond.any)
    if isinstance(cond, NotCondition):
        return not holds(cond.not_, profile, answers)
    if isinstance(cond, ProfileCondition):
        value = profile.value(cond.profile)
        if value is None:
            return False
        if isinstance(value, list):
            return bool(set(value) & set(cond.in_ or []))
        if cond.equals is not None:
            return value == cond.equals
        if cond.in_ is not None:
            return value in cond.in_
        return ((cond.min is None or value >= cond.min) and (cond.max is None or value <= cond.max)
                and (cond.above is None or value > cond.above))
    if isinstance(cond, AnswerCondition):
        answer = answers.get(cond.answer)
        return answer is not None and not answer.dont_know and bool(set(answer.choices()) & set(cond.in_))
    raise TypeError(f"unknown condition {cond!r}")


def applies(questionnaire: Questionnaire, profile: Profile) -> bool:
    """Whether a module applies to the company at all."""
    return holds(questionnaire.applies_if, profile, {})


def applicable_questions(questionnaire: Questionnaire, profile: Profile,
                         answers: Mapping[str, Answer]) -> list[Question]:
    """The questions to ask, in order, given the profile and the answers so far.

    A follow-up sees only the answers to questions that are themselves asked: an answer
    left from an earlier profile (a question that no longer applies) opens nothing.
    """
    asked: list[Question] = []
    live: dict[str, Answer] = {}
    for q in questionnaire.questions:
        if holds(q.applies_if, profile, live):
            asked.append(q)
            if q.id in answers:
                live[q.id] = answers[q.id]
    return asked


def first_open_question(questionnaire: Questionnaire, profile: Profile,
                        answers: Mapping[str, Answer]) -> Question | None:
    """Where to resume: the first applicable question without an answer, if any."""
    return next((q for q in applicable_questions(questionnaire, profile, answers) if q.id not in answers), None)


def tailored(core: Text | None, blocks: tuple[ConditionalText, ...] | list[ConditionalText],
             profile: Profile, lang: str) -> str:
    """A help or action text with the conditional blocks that fit this company (region, size,
    sector, products): what the TUI and the report both show."""
    return texts_for(core, list(blocks), lambda cond: holds(cond, profile, {}), lang)
