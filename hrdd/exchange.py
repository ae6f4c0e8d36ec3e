"""Answer once, share with many: export an assessment to a self-describing JSON file and import it.

The file says what it is (``format``, ``format_version``), which questionnaire version the
answers belong to (id, version, content hash and the pack it came from), the company's
profile and the answers. Notes and free-text answers leave only when asked for
(``--notes``); nothing else leaves the database (no adviser commentary, no other company).

Import validates a whole file before it writes anything, and writes each file in a savepoint
of its own (many files per transaction, with plain batched statements): a file is imported
completely or not at all, and a bad one never blocks the others. A completed assessment's
scores are stored as it is written (for the benchmark). Assessments are recognised by
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
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .answers import MAX_NOTE, Answer, check_answer
from .i18n import _, fmt_number, ngettext
from .limits import MAX_ANSWERS, MAX_DIGITS, MAX_EXPORT_BYTES, MAX_ID, MAX_ITEMS, MAX_JSON_DEPTH, MAX_TEXT_ANSWER
from .models import Profile, Question, Questionnaire
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


class _Run:
    """What one import run looks up once: the installed modules by content hash (the bundle's
    own hashes when it has them, else each module hashed once), every questionnaire version met
    (with the pack it comes from here) and its questions by id, the versions stored here."""

    def __init__(self, store: Store, installed: Any):
        self.store, self.installed = store, installed
        modules = installed.questionnaires if hasattr(installed, "questionnaires") else installed
        self._unhashed: list[Questionnaire] = list(modules)
        self._known: dict[str, str] = getattr(installed, "hashes", None) or {}
        self._by_hash: dict[str, Questionnaire] = {}
        self.versions: dict[str, tuple[Questionnaire, Any]] = {}
        self.questions: dict[str, dict[str, Question]] = {}
        self.stored: set[str] = set()

    def installed_version(self, content_hash: str) -> Questionnaire | None:
        """The installed module with this content hash (each module hashed at most once per run,
        and only when the bundle does not hold its hash)."""
        while content_hash not in self._by_hash and self._unhashed:
            q = self._unhashed.pop(0)
            self._by_hash.setdefault(self._known.get(q.id) or q.content_hash(), q)
        return self._by_hash.get(content_hash)

    def version(self, ref: ExportedQuestionnaire) -> tuple[Questionnaire, Any]:
        """The questionnaire version a file was made with, and the pack it comes from *here*."""
        found = self.versions.get(ref.content_hash)
        if found is None:
            found = self.versions[ref.content_hash] = _questionnaire_for(self, ref)
            self.questions[ref.content_hash] = {q.id: q for q in reversed(found[0].questions)}
        return found


def _questionnaire_for(run: _Run, ref: ExportedQuestionnaire) -> tuple[Questionnaire, Any]:
    """The questionnaire version a file was made with, and the pack it comes from *here*."""
    store = run.store
    origins = getattr(run.installed, "packs", None)
    stored = store.db.conn.execute("select pack, pack_version from questionnaires where hash = ?",
                                   [ref.content_hash]).fetchone()
    if stored is not None:
        run.stored.add(ref.content_hash)
        return store.questionnaire(ref.content_hash), (stored[0], stored[1]) if stored[0] else None
    q = run.installed_version(ref.content_hash)
    if q is not None:
        return q, origins.get(q.id) if origins is not None else _pack_in_version(q.version)
    raise ImportProblem(_("made with questionnaire '{id}' version {version} ({hash}…), which is not installed "
                          "here: install that pack version first").format(
                              id=ref.id, version=ref.version, hash=ref.content_hash[:12]))


def _utc(moment: datetime | str) -> datetime:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


BATCH = 200
"""Files written per transaction by :func:`import_paths` (each in its own savepoint)."""


def import_file(store: Store, installed: Any, path: Path) -> ImportResult:
    """Validate ``path`` completely, then write it in one transaction (or not at all).

    ``installed`` is the bundle as the user sees it (:func:`hrdd.packs.with_packs`) or its list
    of questionnaires; with the bundle, the installed packs say where each module comes from."""
    record = read_export(path)
    [(_path, outcome)] = _write_batch(_Run(store, installed), [(path, [(None, record)], None)])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome[0]


def import_paths(store: Store, installed: Any, paths: list[Path], is_pdf: Callable[[Path], bool] | None = None,
                 batch: int = BATCH) -> Iterator[tuple[Path, list[ImportResult] | Exception]]:
    """Import many files (JSON exports, or report PDFs when ``is_pdf`` says so): for each path, in
    order, its results or the exception that refused it (an :class:`ImportProblem` says why in
    plain words).

    Every file is read and validated completely before anything of it is written; ``batch`` files
    are then written per transaction, each in its own savepoint: a file refused while it is
    written (an assessment of another company with the same uid) leaves nothing behind and the
    others are still written. Results are given once their transaction is committed. A database
    error (not a file's) is raised: the batch being written is not committed."""
    run = _Run(store, installed)
    for start in range(0, len(paths), max(1, batch)):
        items: list[tuple[Path, list[tuple[str | None, ExportFile]] | None, Exception | None]] = []
        for path in paths[start:start + batch]:
            try:
                records = [(name, record) for name, record in pdf_exports(path)] if is_pdf and is_pdf(path) \
                    else [(None, read_export(path))]
            except Exception as exc:  # noqa: BLE001 — one file's surprise must not stop the others
                items.append((path, None, exc))
                continue
            items.append((path, records, None))  # type: ignore[arg-type]
        yield from _write_batch(run, items)


def _write_batch(run: _Run, items: list[tuple[Path, list[tuple[str | None, ExportFile]] | None, Exception | None]]) \
        -> list[tuple[Path, list[ImportResult] | Exception]]:
    """Write the validated files of ``items`` in one transaction, each file in a savepoint."""
    store = run.store
    conn = store.db.conn
    out: list[tuple[Path, list[ImportResult] | Exception]] = []
    with store.write():  # checked and written under the write lock: no other import slips in between
        for path, records, problem in items:
            if records is None:
                out.append((path, problem))  # type: ignore[arg-type]
                continue
            conn.execute("savepoint hrdd_import_file")
            try:
                checked = []
                for name, record in records:  # check all first: a bad one refuses the whole PDF
                    try:
                        checked.append((record, _checked(run, record)))
                    except ImportProblem as exc:
                        raise ImportProblem(f"{name}: {exc}" if name else str(exc)) from None
                results = [_write_record(run, record, path, ready) for record, ready in checked]
            except sqlite3.DatabaseError:
                raise  # the database, not the file: the whole batch is rolled back
            except Exception as exc:  # noqa: BLE001 — one file's surprise must not stop the others
                conn.execute("rollback to hrdd_import_file")
                conn.execute("release hrdd_import_file")
                run.stored.clear()  # a questionnaire version stored by this file is gone again
                out.append((path, exc))
                continue
            conn.execute("release hrdd_import_file")
            out.append((path, results))
    return out


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
    All of them are checked before anything is written; they are written in one transaction."""
    records: list[tuple[str | None, ExportFile]] = [(name, record) for name, record in pdf_exports(path)]
    [(_path, outcome)] = _write_batch(_Run(store, installed), [(path, records, None)])
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _checked(run: _Run, record: ExportFile) -> tuple[Questionnaire, Any, list[tuple[Answer, datetime]]]:
    """Every check of a record against what is installed here, before anything is written."""
    questionnaire, pack = run.version(record.questionnaire)
    questions = run.questions[record.questionnaire.content_hash]
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
        question = questions.get(exported.question_id)
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


def _write_record(run: _Run, record: ExportFile, path: Path,
                  ready: tuple[Questionnaire, Any, list[tuple[Answer, datetime]]]) -> ImportResult:
    """Write one checked record with plain statements, inside the caller's transaction; its
    scores are stored when it is completed (:func:`hrdd.scoring.benchmark_figures`)."""
    from .scoring import benchmark_figures

    store, conn = run.store, run.store.db.conn
    questionnaire, pack, answers = ready
    ref, assessment = record.questionnaire, record.assessment
    started, updated_at = assessment.started.isoformat(), assessment.updated.isoformat()
    completed = assessment.completed.isoformat() if assessment.completed else None
    existing = conn.execute("select id, company_id, content_hash, updated from assessments where uid = ?",
                            [assessment.uid]).fetchone()
    found = conn.execute("select id from companies where uid = ?", [record.company.uid]).fetchone()
    company_id: int | None = found[0] if found else None
    rows = [(answer, answered_at.isoformat()) for answer, answered_at in answers]
    if existing is not None:
        assessment_id, owner, content_hash, updated = existing
        if content_hash != ref.content_hash:
            raise ImportProblem(_("an assessment with this uid exists here for another questionnaire version"))
        if company_id is None or company_id != owner:
            raise ImportProblem(_("an assessment with this uid exists here for another company"))
        if _utc(assessment.updated) <= _utc(updated):
            return ImportResult(path, "unchanged", assessment_id, owner)
        status = "updated"
    else:
        if company_id is None:
            company_id = store.insert_company(record.company.profile, uid=record.company.uid)
        if ref.content_hash not in run.stored:
            store.save_questionnaire(questionnaire, pack, content_hash=ref.content_hash)
            run.stored.add(ref.content_hash)
        assessment_id = store.insert_assessment(company_id, questionnaire, ref.content_hash, assessment.lang,
                                                assessment.uid, started, updated_at, completed)
        status = "imported"
    store.replace_answers(assessment_id, rows, lang=assessment.lang, started=started, updated=updated_at,
                          completed=completed)
    profile = record.company.profile
    if found is not None:
        current = store.company(company_id).profile
        if current != profile and all(_utc(when) <= _utc(assessment.updated) for (when,) in conn.execute(
                "select updated from assessments where company_id = ?", [company_id])):
            store.update_company(company_id, profile)  # the profile of its newest assessment
        else:
            profile = current
    if assessment.completed is not None:
        store.save_scores(assessment_id, benchmark_figures(questionnaire, profile,
                                                           {a.question_id: a for a, _when in answers}))
    return ImportResult(path, status, assessment_id, company_id)  # type: ignore[arg-type]
