"""Answer once, share with many: export an assessment to a self-describing JSON file and import it.

The file says what it is (``format``, ``format_version``), which questionnaire version the
answers belong to (id, version, content hash and the pack it came from), the company's
profile and the answers — notes only when asked for. Nothing else leaves the database.

Import validates a whole file before it writes anything, and writes each file in one
transaction: a file is imported completely or not at all. Importing the same file again
changes nothing (assessments are recognised by their ``uid``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .answers import Answer, check_answer
from .models import Profile, Questionnaire
from .storage import NotFound, Store, now

FORMAT = "hrdd-assessment"
FORMAT_VERSION = 1
MAX_BYTES = 5_000_000
"""Larger files are refused before they are parsed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportedQuestionnaire(_Strict):
    id: str
    version: str
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    pack: str | None = None
    pack_version: str | None = None


class ExportedAnswer(_Strict):
    question_id: str
    value: str | float | list[str] | None = None
    dont_know: bool = False
    note: str | None = Field(default=None, max_length=20_000)
    answered_at: datetime


class ExportedAssessment(_Strict):
    uid: str = Field(min_length=8, max_length=64)
    lang: Literal["nl", "fr", "en"]
    started: datetime
    updated: datetime
    completed: datetime | None = None


class ExportedCompany(_Strict):
    uid: str = Field(min_length=8, max_length=64)
    profile: Profile


class ExportFile(_Strict):
    """The exchange format (its JSON Schema is committed as ``questionnaires/schema/export.schema.json``)."""

    format: Literal["hrdd-assessment"]
    format_version: Literal[1]
    exported_at: datetime
    notes_included: bool
    questionnaire: ExportedQuestionnaire
    company: ExportedCompany
    assessment: ExportedAssessment
    answers: list[ExportedAnswer] = Field(max_length=2000)


class ImportProblem(Exception):
    """A file that cannot be imported; the message says why, in plain words."""


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: Literal["imported", "unchanged"]
    assessment_id: int
    company_id: int


def export_assessment(store: Store, assessment_id: int, include_notes: bool = False) -> ExportFile:
    """The exchange record of one assessment."""
    assessment = store.assessment(assessment_id)
    company = store.company(assessment.company_id)
    pack = store.pack_of(assessment.content_hash)
    return ExportFile(
        format=FORMAT, format_version=FORMAT_VERSION, exported_at=datetime.fromisoformat(now()),
        notes_included=include_notes,
        questionnaire=ExportedQuestionnaire(id=assessment.questionnaire_id, version=assessment.questionnaire_version,
                                            content_hash=assessment.content_hash,
                                            pack=pack[0] if pack else None, pack_version=pack[1] if pack else None),
        company=ExportedCompany(uid=company.uid, profile=company.profile),
        assessment=ExportedAssessment(
            uid=assessment.uid, lang=assessment.lang, started=datetime.fromisoformat(assessment.started),
            updated=datetime.fromisoformat(assessment.updated),
            completed=datetime.fromisoformat(assessment.completed) if assessment.completed else None),
        answers=[ExportedAnswer(question_id=a.question_id, value=a.value, dont_know=a.dont_know,
                                note=a.note if include_notes else None, answered_at=a.answered_at or datetime.now())
                 for a in sorted(store.answers(assessment_id).values(), key=lambda a: a.question_id)],
    )


def write_export(record: ExportFile, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return out


def read_export(path: Path) -> ExportFile:
    """Read and fully validate an export file; :class:`ImportProblem` says what is wrong."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportProblem(f"cannot read the file ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise ImportProblem(f"the file is {size:,} bytes; files over {MAX_BYTES:,} bytes are refused")
    try:
        data: Any = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg} "
                            "(is the file truncated?)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem(f"not an hrdd export (expected \"format\": \"{FORMAT}\")")
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportProblem(f"format version {data.get('format_version')!r} is not supported; this hrdd reads "
                            f"version {FORMAT_VERSION}")
    try:
        return ExportFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[:5]
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in first)
        raise ImportProblem(f"{len(exc.errors())} problem(s): {details}") from None


def _questionnaire_for(store: Store, installed: list[Questionnaire], ref: ExportedQuestionnaire) -> Questionnaire:
    for q in installed:
        if q.content_hash() == ref.content_hash:
            return q
    try:
        return store.questionnaire(ref.content_hash)
    except NotFound:
        raise ImportProblem(f"made with questionnaire '{ref.id}' version {ref.version} "
                            f"({ref.content_hash[:12]}…), which is not installed here: install that pack "
                            "version first") from None


def import_file(store: Store, installed: list[Questionnaire], path: Path) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction (or not at all)."""
    record = read_export(path)
    questionnaire = _questionnaire_for(store, installed, record.questionnaire)
    answers = []
    for exported in record.answers:
        question = questionnaire.question(exported.question_id)
        if question is None:
            raise ImportProblem(f"answer to unknown question '{exported.question_id}'")
        answer = Answer(question_id=exported.question_id, value=exported.value, dont_know=exported.dont_know,
                        note=exported.note)
        try:
            check_answer(question, answer)
        except ValueError as exc:
            raise ImportProblem(f"answer to '{exported.question_id}': {exc}") from None
        answers.append((answer, exported.answered_at))
    if len({a.question_id for a, _ in answers}) != len(answers):
        raise ImportProblem("the same question is answered twice")
    existing = store.assessment_by_uid(record.assessment.uid)
    if existing is not None:
        if existing.content_hash != record.questionnaire.content_hash:
            raise ImportProblem("an assessment with this uid exists here for another questionnaire version")
        return ImportResult(path, "unchanged", existing.id, existing.company_id)
    with store.db.atomic():
        company = store.company_by_uid(record.company.uid)
        company_id = company.id if company else store.create_company(record.company.profile, uid=record.company.uid)
        q = record.questionnaire
        assessment_id = store.start_assessment(company_id, questionnaire, record.assessment.lang,
                                               uid=record.assessment.uid,
                                               pack=(q.pack, q.pack_version) if q.pack and q.pack_version else None)
        for answer, answered_at in answers:
            store.save_answer(assessment_id, answer, answered_at=answered_at.isoformat())
        store.set_times(assessment_id, started=record.assessment.started.isoformat(),
                        updated=record.assessment.updated.isoformat(),
                        completed=record.assessment.completed.isoformat() if record.assessment.completed else None)
    return ImportResult(path, "imported", assessment_id, company_id)
