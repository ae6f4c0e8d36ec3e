"""An answer to one question, and the check that it fits the question."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .i18n import _, fmt_number
from .models import CHOICE_KINDS, Question

MAX_NOTE = 20_000
"""The longest note, in characters: the same limit for every answer, "don't know" included."""


class NoteTooLong(ValueError):
    """A note over :data:`MAX_NOTE` characters; the message says so in the active language."""


class Answer(BaseModel):
    """What the company said: a value, or "don't know", and an optional note."""

    model_config = ConfigDict(extra="forbid")

    question_id: str
    value: str | float | list[str] | None = None
    dont_know: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    """Free text, at most :data:`MAX_NOTE` characters (enforced on the model, whatever the answer)."""
    answered_at: datetime | None = None

    def __init__(self, **data: Any) -> None:
        note = data.get("note")
        if isinstance(note, str) and len(note) > MAX_NOTE:  # a plain message instead of pydantic's
            raise NoteTooLong(_("the note is longer than 20,000 characters"))
        super().__init__(**data)

    def choices(self) -> list[str]:
        """The option ids chosen (empty for non-choice answers)."""
        if isinstance(self.value, list):
            return list(self.value)
        if isinstance(self.value, str):
            return [self.value]
        return []


def check_answer(question: Question, answer: Answer) -> None:
    """Raise ``ValueError`` when ``answer`` does not fit ``question``."""
    if answer.question_id != question.id:
        raise ValueError(f"answer is for '{answer.question_id}', not '{question.id}'")
    if answer.dont_know:
        if answer.value not in (None, [], ""):
            raise ValueError(_("a “don't know” answer carries no value"))
        return
    value: Any = answer.value
    if question.kind in CHOICE_KINDS:
        ids = {o.id for o in question.options}
        chosen = value if question.kind == "multi" else [value]
        if not isinstance(chosen, list) or not all(isinstance(c, str) and c in ids for c in chosen):
            raise ValueError(_("expected option ids among {ids}").format(ids=", ".join(sorted(ids))))
    elif question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(_("expected a number"))
        if not math.isfinite(value) or not question.min <= value <= question.max:
            raise ValueError(_("expected a number from {low} to {high}").format(
                low=fmt_number(question.min), high=fmt_number(question.max)))
    elif question.kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise ValueError(_("expected some text"))
    elif question.kind == "countries":
        if not isinstance(value, list) or not all(isinstance(c, str) and len(c) == 2 and c.isupper() for c in value):
            raise ValueError(_("expected a list of two-letter country codes"))
