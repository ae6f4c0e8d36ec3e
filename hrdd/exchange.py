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

from .answers import MAX_NOTE, Answer, check_answer
from .i18n import _, fmt_number
from .models import Profile, Questionnaire
from .paths import atomic_path
from .storage import Assessment, NotFound, Store, now

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
    note: str | None = Field(default=None, max_length=MAX_NOTE)
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


class ExportProblem(ValueError):
    """An assessment that cannot be exported as it is; the message says what to change."""


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
    answers = sorted(store.answers(assessment_id).values(), key=lambda a: a.question_id)
    if include_notes:
        for a in answers:  # only notes saved before the limit applied to every answer can be longer
            if a.note is not None and len(a.note) > MAX_NOTE:
                raise ExportProblem(_("the note to question '{question}' of assessment {id} is longer than "
                                      "20,000 characters: shorten it, or export without --notes").format(
                                          question=a.question_id, id=assessment_id))
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
                 for a in answers],
    )


def company_exports(store: Store, company_id: int) -> list[Assessment]:
    """What ``hrdd export --company`` writes: per module, the latest completed assessment, else the latest."""
    store.company(company_id)
    chosen: dict[str, Assessment] = {}
    for a in store.assessments(company_id):  # newest first
        current = chosen.get(a.questionnaire_id)
        if current is None or (a.completed and not current.completed):
            chosen[a.questionnaire_id] = a
    return sorted(chosen.values(), key=lambda a: a.id)


def export_name(company: str, questionnaire_id: str, assessment_id: int) -> str:
    """A file name a person recognises: ``hrdd-<company>-<module>-<assessment id>.json``."""
    safe = "-".join("".join(c if c.isalnum() else " " for c in company.lower()).split())
    return f"hrdd-{safe[:40] or 'company'}-{questionnaire_id}-{assessment_id}.json"


def write_export(record: ExportFile, out: Path) -> Path:
    """Write ``record`` to ``out`` through a temporary file: never a half-written export."""
    with atomic_path(out) as temp:
        temp.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return out


def read_export(path: Path) -> ExportFile:
    """Read and fully validate an export file; :class:`ImportProblem` says what is wrong."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportProblem(_("cannot read the file ({error})").format(error=exc.strerror)) from None
    if size > MAX_BYTES:
        raise ImportProblem(_("the file is {size} bytes; files over {limit} bytes are refused").format(
            size=fmt_number(size), limit=fmt_number(MAX_BYTES)))
    return parse_export(path.read_bytes())


def parse_export(raw: bytes) -> ExportFile:
    """Parse and fully validate the bytes of an export file (a JSON file, or one embedded in a PDF)."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem(_("the file is {size} bytes; files over {limit} bytes are refused").format(
            size=fmt_number(len(raw)), limit=fmt_number(MAX_BYTES)))
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem(_("not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise ImportProblem(_("not valid JSON at line {line}, column {column}: {error} (is the file truncated?)")
                            .format(line=exc.lineno, column=exc.colno, error=exc.msg)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem(_("not an hrdd export (expected {expected})").format(expected=f'"format": "{FORMAT}"'))
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportProblem(_("format version {found} is not supported; this hrdd reads version {supported}").format(
            found=repr(data.get("format_version")), supported=FORMAT_VERSION))
    try:
        return ExportFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[:5]
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in first)
        raise ImportProblem(_("{n} problem(s): {details}").format(n=len(exc.errors()), details=details)) from None


def _questionnaire_for(store: Store, installed: list[Questionnaire], ref: ExportedQuestionnaire) -> Questionnaire:
    for q in installed:
        if q.content_hash() == ref.content_hash:
            return q
    try:
        return store.questionnaire(ref.content_hash)
    except NotFound:
        raise ImportProblem(_("made with questionnaire '{id}' version {version} ({hash}…), which is not installed "
                              "here: install that pack version first").format(
                                  id=ref.id, version=ref.version, hash=ref.content_hash[:12])) from None


def import_file(store: Store, installed: list[Questionnaire], path: Path) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction (or not at all)."""
    return _import_record(store, installed, read_export(path), path)


def pdf_exports(path: Path) -> list[tuple[str, ExportFile]]:
    """The export files embedded in a report PDF (by ``hrdd report``), each fully validated."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        attachments = reader.attachments
        files = [(name, data) for name in sorted(attachments) if name.lower().endswith(".json")
                 for data in attachments[name]]
    except OSError as exc:
        raise ImportProblem(_("cannot read the file ({error})").format(error=exc.strerror)) from None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ImportProblem(_("not a readable PDF ({error})").format(error=exc)) from None
    if not files:
        raise ImportProblem(_("this PDF carries no hrdd assessment data (reports written by hrdd embed it)"))
    out = []
    for name, data in files:
        try:
            out.append((name, parse_export(data)))
        except ImportProblem as exc:
            raise ImportProblem(f"{name}: {exc}") from None
    return out


def import_pdf(store: Store, installed: list[Questionnaire], path: Path) -> list[ImportResult]:
    """Import every assessment embedded in a report PDF, with the same validation as a JSON file.
    All of them are checked before anything is written; each is then written in one transaction."""
    records = pdf_exports(path)
    for name, record in records:  # check all first: a bad one refuses the whole PDF
        try:
            _checked_answers(store, installed, record)
        except ImportProblem as exc:
            raise ImportProblem(f"{name}: {exc}") from None
    return [_import_record(store, installed, record, path) for _name, record in records]


def _checked_answers(store: Store, installed: list[Questionnaire],
                     record: ExportFile) -> tuple[Questionnaire, list[tuple[Answer, datetime]]]:
    questionnaire = _questionnaire_for(store, installed, record.questionnaire)
    answers = []
    for exported in record.answers:
        question = questionnaire.question(exported.question_id)
        if question is None:
            raise ImportProblem(_("answer to unknown question '{id}'").format(id=exported.question_id))
        answer = Answer(question_id=exported.question_id, value=exported.value, dont_know=exported.dont_know,
                        note=exported.note)
        try:
            check_answer(question, answer)
        except ValueError as exc:
            raise ImportProblem(_("answer to '{id}': {error}").format(id=exported.question_id, error=exc)) from None
        answers.append((answer, exported.answered_at))
    if len({a.question_id for a, _ in answers}) != len(answers):
        raise ImportProblem(_("the same question is answered twice"))
    return questionnaire, answers


def _import_record(store: Store, installed: list[Questionnaire], record: ExportFile, path: Path) -> ImportResult:
    questionnaire, answers = _checked_answers(store, installed, record)
    existing = store.assessment_by_uid(record.assessment.uid)
    if existing is not None:
        if existing.content_hash != record.questionnaire.content_hash:
            raise ImportProblem(_("an assessment with this uid exists here for another questionnaire version"))
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
