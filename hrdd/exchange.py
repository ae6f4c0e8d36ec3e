"""Answer once, share with many: export an assessment to a self-describing JSON file and import it.

The file says what it is (``format``, ``format_version``), which questionnaire version the
answers belong to (id, version, content hash and the pack it came from), the company's
profile and the answers. Notes and free-text answers leave only when asked for
(``--notes``); nothing else leaves the database (no adviser commentary, no other company).

Import validates a whole file before it writes anything, and writes each file in one
transaction: a file is imported completely or not at all. Assessments are recognised by
their ``uid``. The rule for a file whose assessment is here already:

- its ``assessment.updated`` is later than the one here: the file **replaces** it (answers,
  language, dates; and the company's profile when no other assessment of the company is
  newer) — the status is "updated";
- the same or earlier: nothing changes — the status is "unchanged";
- another questionnaire version or another company: refused.

The pack a questionnaire version comes from is what this computer knows (the installed
packs, or the copy stored with earlier assessments), never what a file claims: a file
whose label differs is refused, so a forged label cannot relabel local assessments.
"""

from __future__ import annotations

import json
import math
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .answers import MAX_NOTE, Answer, check_answer
from .i18n import _, fmt_number, ngettext
from .limits import MAX_ANSWERS, MAX_DIGITS, MAX_EXPORT_BYTES, MAX_ID, MAX_ITEMS, MAX_JSON_DEPTH, MAX_TEXT_ANSWER
from .models import Profile, Questionnaire
from .paths import atomic_path
from .storage import Assessment, NotFound, Store, now

FORMAT = "hrdd-assessment"
FORMAT_VERSION = 1
MAX_BYTES = MAX_EXPORT_BYTES
"""Larger files are refused before they are parsed."""

Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID)]
Uid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{8,64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportedQuestionnaire(_Strict):
    id: Id
    version: Id
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    pack: Id | None = None
    pack_version: Id | None = None


class ExportedAnswer(_Strict):
    question_id: Id
    value: Annotated[str, StringConstraints(max_length=MAX_TEXT_ANSWER)] | Annotated[
        float, Field(allow_inf_nan=False)] | Annotated[list[Id], Field(max_length=MAX_ITEMS)] | None = None
    dont_know: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)
    answered_at: datetime


class ExportedAssessment(_Strict):
    uid: Uid
    lang: Literal["nl", "fr", "en"]
    started: datetime
    updated: datetime
    completed: datetime | None = None


class ExportedCompany(_Strict):
    uid: Uid
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
    answers: list[ExportedAnswer] = Field(max_length=MAX_ANSWERS)


class ImportProblem(Exception):
    """A file that cannot be imported; the message says why, in plain words."""


class ExportProblem(ValueError):
    """An assessment that cannot be exported as it is; the message says what to change."""


@dataclass(frozen=True)
class ImportResult:
    path: Path
    status: Literal["imported", "updated", "unchanged"]
    """"updated": the file replaced an earlier copy of the same assessment (see the module's rule)."""
    assessment_id: int
    company_id: int


def export_assessment(store: Store, assessment_id: int, include_notes: bool = False) -> ExportFile:
    """The exchange record of one assessment."""
    assessment = store.assessment(assessment_id)
    company = store.company(assessment.company_id)
    pack = store.pack_of(assessment.content_hash)
    answers = sorted(store.answers(assessment_id).values(), key=lambda a: a.question_id)
    if not include_notes:  # free text is like a note: it leaves only when asked for
        try:
            questionnaire: Questionnaire | None = store.questionnaire(assessment.content_hash)
        except NotFound:
            questionnaire = None
        answers = [a for a in answers if not _free_text(questionnaire, a)]
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


def _free_text(questionnaire: Questionnaire | None, answer: Answer) -> bool:
    """An answer in the company's own words (a text question); without the questionnaire, any text
    that is not an option id counts as such."""
    question = questionnaire.question(answer.question_id) if questionnaire else None
    if question is not None:
        return question.kind == "text"
    return isinstance(answer.value, str) and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", answer.value)


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


class _Refused(ValueError):
    """Raised while parsing JSON: a construct an exchange file may not hold."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(_("the key \"{key}\" appears twice in one object").format(key=key[:60]))
        out[key] = value
    return out


def _whole_number(text: str) -> int:
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise _Refused(_("a number with more than {n} digits").format(n=MAX_DIGITS))
    return int(text)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(_("a number too large to be read ({number}…)").format(number=text[:20]))
    return value


def _not_a_number(text: str) -> Any:
    raise _Refused(_("{value} is not a number JSON allows").format(value=text))


def _depth(data: Any, limit: int) -> bool:
    """Whether ``data`` nests lists and objects at most ``limit`` deep (without recursion)."""
    stack = [(data, 0)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return False
        if isinstance(node, dict):
            stack += [(v, level + 1) for v in node.values()]
        elif isinstance(node, list):
            stack += [(v, level + 1) for v in node]
    return True


def read_export(path: Path) -> ExportFile:
    """Read and fully validate an export file; :class:`ImportProblem` says what is wrong.

    Refused before anything else: a file over :data:`~hrdd.limits.MAX_EXPORT_BYTES`, anything but
    a regular file, text that is not UTF-8, JSON that is not strict (a key twice in one object,
    NaN or Infinity, numbers too long or too large), lists and objects nested deeper than
    :data:`~hrdd.limits.MAX_JSON_DEPTH`, and characters that cannot be stored (lone surrogates)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise ImportProblem(_("not a regular file"))
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImportProblem(_("cannot read the file ({error})").format(error=exc.strerror or exc)) from None
    if len(raw) > MAX_BYTES:
        size = path.stat().st_size
        raise ImportProblem(_("the file is {size} bytes; files over {limit} bytes are refused").format(
            size=fmt_number(max(size, len(raw))), limit=fmt_number(MAX_BYTES)))
    return parse_export(raw)


def parse_export(raw: bytes) -> ExportFile:
    """Parse and fully validate the bytes of an export file (a JSON file, or one embedded in a
    report PDF), with every check of :func:`read_export`."""
    if len(raw) > MAX_BYTES:
        raise ImportProblem(_("the file is {size} bytes; files over {limit} bytes are refused").format(
            size=fmt_number(len(raw)), limit=fmt_number(MAX_BYTES)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportProblem(_("not UTF-8 text")) from None
    try:
        data: Any = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_whole_number,
                               parse_float=_finite, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise ImportProblem(_("not valid JSON at line {line}, column {column}: {error} (is the file truncated?)")
                            .format(line=exc.lineno, column=exc.colno, error=exc.msg)) from None
    except _Refused as exc:
        raise ImportProblem(_("not accepted: {reason}").format(reason=exc)) from None
    except RecursionError:
        raise ImportProblem(_("lists or objects nested more than {n} levels deep").format(n=MAX_JSON_DEPTH)) \
            from None
    if not _depth(data, MAX_JSON_DEPTH):
        raise ImportProblem(_("lists or objects nested more than {n} levels deep").format(n=MAX_JSON_DEPTH))
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ImportProblem(_("the text holds a character that cannot be stored (a lone surrogate)")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem(_("not an hrdd export (expected {expected})").format(expected=f'"format": "{FORMAT}"'))
    if data.get("format_version") != FORMAT_VERSION:
        raise ImportProblem(_("format version {found} is not supported; this hrdd reads version {supported}").format(
            found=repr(data.get("format_version"))[:40], supported=FORMAT_VERSION))
    try:
        return ExportFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[:5]
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])[:120]}: {str(e['msg'])[:200]}" for e in first)
        raise ImportProblem(ngettext("{n} problem: {details}", "{n} problems: {details}", len(exc.errors())).format(
            n=len(exc.errors()), details=details)) from None


def _pack_in_version(version: str) -> tuple[str, str] | None:
    """The pack(s) a module's version names: "1.1+a.1.0+b.2.0" → ("a+b", "1.0+2.0")."""
    parts = version.split("+")[1:]
    if not parts:
        return None
    pairs = [part.split(".", 1) for part in parts]
    if not all(len(pair) == 2 for pair in pairs):
        return None
    return "+".join(p[0] for p in pairs), "+".join(p[1] for p in pairs)


def _label(pack: tuple[str, str] | None) -> str:
    return _("pack '{pack}' {version}").format(pack=pack[0], version=pack[1]) if pack else \
        _("hrdd's own modules")


def _questionnaire_for(store: Store, installed: Any, ref: ExportedQuestionnaire) -> tuple[Questionnaire, Any]:
    """The questionnaire version a file was made with, and the pack it comes from *here*."""
    modules = installed.questionnaires if hasattr(installed, "questionnaires") else installed
    origins = getattr(installed, "packs", None)
    stored = next(store.db["questionnaires"].rows_where("hash = ?", [ref.content_hash]), None)
    if stored is not None:
        return store.questionnaire(ref.content_hash), \
            (stored["pack"], stored["pack_version"]) if stored["pack"] else None
    for q in modules:
        if q.content_hash() == ref.content_hash:
            return q, origins.get(q.id) if origins is not None else _pack_in_version(q.version)
    raise ImportProblem(_("made with questionnaire '{id}' version {version} ({hash}…), which is not installed "
                          "here: install that pack version first").format(
                              id=ref.id, version=ref.version, hash=ref.content_hash[:12]))


def _utc(moment: datetime | str) -> datetime:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def import_file(store: Store, installed: Any, path: Path) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction (or not at all).

    ``installed`` is the bundle as the user sees it (:func:`hrdd.packs.with_packs`) or its list
    of questionnaires; with the bundle, the installed packs say where each module comes from."""
    record = read_export(path)
    return _import_record(store, installed, record, path, _checked(store, installed, record))


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


def import_pdf(store: Store, installed: Any, path: Path) -> list[ImportResult]:
    """Import every assessment embedded in a report PDF, with the same validation as a JSON file.
    All of them are checked before anything is written; each is then written in one transaction."""
    records = pdf_exports(path)
    checked = []
    for name, record in records:  # check all first: a bad one refuses the whole PDF
        try:
            checked.append((record, _checked(store, installed, record)))
        except ImportProblem as exc:
            raise ImportProblem(f"{name}: {exc}") from None
    return [_import_record(store, installed, record, path, ready) for record, ready in checked]


def _checked(store: Store, installed: Any, record: ExportFile) -> tuple[Questionnaire, Any, list[tuple[Answer, datetime]]]:
    """Every check of a record against what is installed here, before anything is written."""
    questionnaire, pack = _questionnaire_for(store, installed, record.questionnaire)
    ref = record.questionnaire
    if (ref.id, ref.version) != (questionnaire.id, questionnaire.version):
        raise ImportProblem(_("the file names questionnaire '{id}' {version}, but its content hash is that of "
                              "'{real}' {real_version}").format(id=ref.id, version=ref.version, real=questionnaire.id,
                                                                 real_version=questionnaire.version))
    claimed = (ref.pack, ref.pack_version) if ref.pack or ref.pack_version else None
    if claimed != (tuple(pack) if pack else None):
        raise ImportProblem(_("the file says its questionnaire comes from {claimed}, but here it comes from "
                              "{local}").format(claimed=_label(claimed), local=_label(pack)))  # type: ignore[arg-type]
    answers = []
    for exported in record.answers:
        question = questionnaire.question(exported.question_id)
        if question is None:
            raise ImportProblem(_("answer to unknown question '{id}'").format(id=exported.question_id))
        try:
            answer = Answer(question_id=exported.question_id, value=exported.value, dont_know=exported.dont_know,
                            note=exported.note)
            check_answer(question, answer)
        except ValueError as exc:
            raise ImportProblem(_("answer to '{id}': {error}").format(id=exported.question_id, error=exc)) from None
        answers.append((answer, exported.answered_at))
    if len({a.question_id for a, _ in answers}) != len(answers):
        raise ImportProblem(_("the same question is answered twice"))
    return questionnaire, pack, answers


def _import_record(store: Store, installed: Any, record: ExportFile, path: Path,
                   ready: tuple[Questionnaire, Any, list[tuple[Answer, datetime]]]) -> ImportResult:
    questionnaire, pack, answers = ready
    ref = record.questionnaire
    times = {"started": record.assessment.started.isoformat(), "updated": record.assessment.updated.isoformat(),
             "completed": record.assessment.completed.isoformat() if record.assessment.completed else None}
    with store.write():  # checked and written under the write lock: no other import slips in between
        existing = store.assessment_by_uid(record.assessment.uid)
        company = store.company_by_uid(record.company.uid)
        if existing is not None:
            if existing.content_hash != ref.content_hash:
                raise ImportProblem(_("an assessment with this uid exists here for another questionnaire version"))
            if company is None or company.id != existing.company_id:
                raise ImportProblem(_("an assessment with this uid exists here for another company"))
            if _utc(record.assessment.updated) <= _utc(existing.updated):
                return ImportResult(path, "unchanged", existing.id, existing.company_id)
            for question_id in store.answers(existing.id):
                store.delete_answer(existing.id, question_id)
            assessment_id, company_id, status = existing.id, company.id, "updated"
            store.set_language(assessment_id, record.assessment.lang)
        else:
            company_id = company.id if company else store.create_company(record.company.profile,
                                                                         uid=record.company.uid)
            assessment_id = store.start_assessment(company_id, questionnaire, record.assessment.lang,
                                                   uid=record.assessment.uid, pack=pack)
            status = "imported"
        for answer, answered_at in answers:
            store.save_answer(assessment_id, answer, answered_at=answered_at.isoformat())
        store.set_times(assessment_id, started=times["started"] or "", updated=times["updated"] or "",
                        completed=times["completed"])
        if company is not None and company.profile != record.company.profile and all(
                _utc(a.updated) <= _utc(record.assessment.updated) for a in store.assessments(company.id)):
            store.update_company(company.id, record.company.profile)  # the profile of its newest assessment
    return ImportResult(path, status, assessment_id, company_id)  # type: ignore[arg-type]
