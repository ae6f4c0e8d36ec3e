"""SQLite storage for companies, assessments and answers (sqlite-utils).

The schema is created and evolved only through :data:`migrations`. Every write commits
at once: an answer is on disk before the next question is shown, so a person can quit at
any moment and lose nothing.

Several programs may use one database at the same time (the app, ``hrdd import``,
``hrdd report --all``): every write transaction takes the write lock when it starts
(``BEGIN IMMEDIATE``) and waits for it — up to ``HRDD_LOCK_WAIT`` seconds, 30 by default —
so a write never fails half-way because another program wrote in between. A file hrdd
cannot use (not a database, another application's database, one from a newer hrdd, a
read-only file or folder) is refused with a :class:`StoreError` that says so in one line.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database, Migrations
from sqlite_utils.db import NotFoundError

from . import company_list
from .answers import MAX_NOTE, Answer
from .company_list import CompanySummary
from .i18n import _
from .models import Profile, Questionnaire

if TYPE_CHECKING:
    from .actions import Tracking  # yaml and scoring: imported when actions are tracked

migrations = Migrations("hrdd")
_KEEP: Any = object()
"""An argument not given: the stored value stays."""


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db.table("companies").create({
        "id": int, "name": str, "employees": int, "turnover_eur_m": float, "nace": str,
        "region": str, "sells_to_large_companies": int, "public_buyer": int,
        "imports_non_eu": int, "created": str, "updated": str,
    }, pk="id", not_null={"name", "created", "updated"})
    db.table("assessments").create({
        "id": int, "company_id": int, "questionnaire_id": str, "questionnaire_version": str,
        "content_hash": str, "lang": str, "started": str, "updated": str, "completed": str,
    }, pk="id", foreign_keys=[("company_id", "companies", "id")],
        not_null={"company_id", "questionnaire_id", "questionnaire_version", "content_hash",
                  "lang", "started", "updated"})
    db.table("answers").create({
        "assessment_id": int, "question_id": str, "value": str, "dont_know": int,
        "note": str, "answered_at": str,
    }, pk=("assessment_id", "question_id"), foreign_keys=[("assessment_id", "assessments", "id")],
        not_null={"dont_know", "answered_at"})
    db.table("assessments").create_index(["company_id"])


@migrations(name="0002_profile_products_sourcing")
def _profile_products(db: Database) -> None:
    """Profile fields that decide the children's-rights, forced-labour and minerals modules."""
    for column, kind in (("b2c", int), ("minerals_3tg", str), ("products", str), ("sourcing_countries", str)):
        db.table("companies").add_column(column, kind)


@migrations(name="0003_uids_and_questionnaire_snapshots")
def _uids(db: Database) -> None:
    """Stable ids for exchange, and a copy of every questionnaire version an assessment uses,
    so an assessment keeps the questions it was made with when a pack is updated."""
    for name in ("companies", "assessments"):
        table = db.table(name)
        table.add_column("uid", str)
        for row in list(table.rows):
            table.update(row["id"], {"uid": str(uuid.uuid4())})
        table.create_index(["uid"], unique=True)
    db.table("questionnaires").create({"hash": str, "id": str, "version": str, "body": str, "stored": str,
                                 "pack": str, "pack_version": str},
                                pk="hash", not_null={"id", "version", "body", "stored"})


@migrations(name="0004_archive_and_commentary")
def _archive(db: Database) -> None:
    """Advisers archive clients they no longer follow, and add their own commentary to reports."""
    db.table("companies").add_column("archived", int, not_null_default=0)
    db.table("companies").add_column("commentary", str)


# --- 0005_backfill_snapshots (begin) ------------------------------------------------------------
# Assessments made before 0003 have no questionnaire snapshot, so their reports failed. The
# snapshot is back-filled from the bundled questionnaires: the exact version when its content
# hash matches; otherwise the bundled version of the same module stands in for the lost one
# (marked ``backfill = 'stand-in'``), so the assessment can be reported again.

@migrations(name="0005_backfill_snapshots")
def _backfill_snapshots(db: Database) -> None:
    db.table("questionnaires").add_column("backfill", str)
    missing = [(row["content_hash"], row["questionnaire_id"], row["questionnaire_version"]) for row in db.query(
        "select distinct a.content_hash, a.questionnaire_id, a.questionnaire_version from assessments a "
        "left join questionnaires q on q.hash = a.content_hash where q.hash is null")]
    if not missing:
        return
    from .loader import LoadError, load_bundled

    try:
        bundled = load_bundled()
    except (LoadError, OSError):
        return  # nothing to copy from; these assessments stay as they were
    by_hash = {q.content_hash(): q for q in bundled.questionnaires}
    by_id = {q.id: q for q in bundled.questionnaires}
    for content_hash, questionnaire_id, version in missing:
        exact = by_hash.get(content_hash)
        source = exact or by_id.get(questionnaire_id)
        if source is None:
            continue
        db.table("questionnaires").insert({
            "hash": content_hash, "id": questionnaire_id, "version": version if exact is None else source.version,
            "body": source.model_dump_json(by_alias=True), "stored": now(), "pack": None, "pack_version": None,
            "backfill": "exact" if exact else "stand-in"})


def _backup_before_migrating(db: Database, path: Path) -> Path | None:
    """Copy a database that holds data to ``<name>.<date>T<time>.bak`` before pending migrations run."""
    if not migrations.pending(db):
        return None
    tables = [t for t in db.table_names() if t != Migrations.migrations_table and not t.startswith("sqlite_")]
    if not any(db[t].count for t in tables):
        return None  # a fresh (or empty) file: nothing to keep
    stamp = datetime.now().strftime("%Y-%m-%dT%H%M")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{stamp}-{n}.bak")
    copy = sqlite3.connect(target)
    try:
        db.conn.backup(copy)  # a consistent copy, including what is still in the WAL file
    finally:
        copy.close()
    return target
# --- 0005_backfill_snapshots (end) --------------------------------------------------------------


@migrations(name="0006_profile_v2")
def _profile_v2(db: Database) -> None:
    """How the company really works: what it supplies, its workforce, 3TG form and sourcing
    pairs (product → countries of origin). Companies created before are marked for a profile
    review (profile_version 1): the app asks the new fields the next time they are opened."""
    for column, kind in (("supplies", str), ("workforce", str), ("minerals_form", str), ("sourcing", str)):
        db.table("companies").add_column(column, kind)
    db.table("companies").add_column("profile_version", int, not_null_default=1)


@migrations(name="0007_action_tracking")
def _action_tracking(db: Database) -> None:
    """What a company decided about each action of its plan (owner, due date, status, note), by
    the action's stable key (:mod:`hrdd.actions`): it carries over from one assessment to the
    next. Rows go with their company (on delete cascade)."""
    db.execute("""
        create table action_tracking (
            company_id integer not null references companies(id) on delete cascade,
            key text not null,
            owner text,
            due text,
            status text not null default 'todo'
                check (status in ('todo', 'in_progress', 'done', 'not_applicable')),
            note text,
            updated text not null,
            done_on text,
            primary key (company_id, key)
        )""")


@migrations(name="0008_stored_scores")
def _stored_scores(db: Database) -> None:
    """The scores of each completed assessment, as :func:`hrdd.scoring.benchmark_figures` computes
    them (module score, level, capped flag, per step, red flags, questions below the expected
    level), so the federation benchmark is SQL over stored rows.

    Stored when an assessment completes or is imported completed. Triggers delete them as soon
    as anything they depend on changes (an answer, the assessment's completion, version or
    company, the company's profile): missing scores are computed again before a benchmark
    (:meth:`Store.refresh_scores`), so a benchmark never rests on stale ones. Databases from
    before this migration get theirs the same way, lazily, on their first benchmark."""
    db.execute("""
        create table scores (
            assessment_id integer primary key references assessments(id) on delete cascade,
            score integer,
            level text,
            capped integer not null,
            stored text not null
        )""")
    db.execute("""
        create table score_steps (
            assessment_id integer not null, module text not null, step integer not null, score integer, level text,
            primary key (assessment_id, step)
        ) without rowid""")
    db.execute("create index score_steps_by_module on score_steps (module, step, score, assessment_id)")
    db.execute("""
        create table score_flags (
            assessment_id integer not null, question_id text not null, option_id text not null,
            primary key (assessment_id, question_id, option_id)
        ) without rowid""")
    db.execute("""
        create table score_questions (
            assessment_id integer not null, module text not null, question_id text not null, below integer not null,
            primary key (assessment_id, question_id)
        ) without rowid""")
    db.execute("create index score_questions_by_module on score_questions (module, question_id, assessment_id, below)")
    stale = "delete from scores where assessment_id"
    for sql in (
        f"create trigger scores_stale_answer_insert after insert on answers begin {stale} = new.assessment_id; end",
        f"create trigger scores_stale_answer_update after update on answers begin "
        f"{stale} in (old.assessment_id, new.assessment_id); end",
        f"create trigger scores_stale_answer_delete after delete on answers begin {stale} = old.assessment_id; end",
        f"create trigger scores_stale_assessment after update of company_id, questionnaire_id, content_hash, completed on assessments "
        f"begin {stale} = old.id; end",
        f"create trigger scores_gone_assessment after delete on assessments begin {stale} = old.id; end",
        f"create trigger scores_stale_company after update on companies begin "
        f"{stale} in (select id from assessments where company_id = old.id); end",
        "create trigger scores_gone after delete on scores begin "
        "delete from score_steps where assessment_id = old.assessment_id; "
        "delete from score_flags where assessment_id = old.assessment_id; "
        "delete from score_questions where assessment_id = old.assessment_id; end",
    ):
        db.execute(sql)


PROFILE_VERSION = 2
"""The profile version a company's row has once its owner saw every profile field."""

_PROFILE_COLUMNS = [name for name in Profile.model_fields]
_JSON_COLUMNS = {"products", "sourcing_countries", "sourcing", "workforce"}
_BOOL_COLUMNS = {"sells_to_large_companies", "public_buyer", "imports_non_eu", "b2c"}


def now() -> str:
    """The current UTC time as stored in the database."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Company:
    id: int
    profile: Profile
    created: str
    updated: str
    uid: str
    archived: bool = False
    commentary: str | None = None
    """An adviser's commentary, printed in the company's reports."""
    profile_version: int = PROFILE_VERSION

    @property
    def needs_review(self) -> bool:
        """Created before the profile asked how the company works: ask the new fields."""
        return self.profile_version < PROFILE_VERSION


@dataclass(frozen=True)
class Assessment:
    id: int
    company_id: int
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    lang: str
    started: str
    updated: str
    completed: str | None
    uid: str


class NotFound(LookupError):
    """No row with that id."""


_QUESTIONNAIRES: dict[str, Questionnaire] = {}
"""Stored questionnaire versions already validated, by content hash (:meth:`Store.questionnaire`)."""
CACHED_QUESTIONNAIRES = 64


class StoreError(sqlite3.DatabaseError):
    """A database file hrdd cannot use, or cannot use now; the message says why in one line."""


class DatabaseBusy(StoreError):
    """Another program held the write lock for longer than hrdd waits."""


def lock_wait() -> float:
    """How long a write waits for another program's write to finish (``HRDD_LOCK_WAIT``, seconds)."""
    try:
        return max(0.0, float(os.environ.get("HRDD_LOCK_WAIT", "30")))
    except ValueError:
        return 30.0


def _busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class Store:
    """The one gateway to the database file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.wait = lock_wait()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(_("cannot create the folder {folder}: {error}").format(
                folder=self.path.parent, error=exc.strerror or exc)) from None
        self._check_writable()
        try:
            conn = sqlite3.connect(str(self.path), timeout=min(self.wait, 5.0))
        except sqlite3.Error as exc:
            raise StoreError(_("cannot open the database {path}: {error}").format(path=self.path, error=exc)) \
                from None
        self.db = Database(conn)
        try:
            self._check_ours()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.backup = _backup_before_migrating(self.db, self.path)  # the copy made before upgrading, if any
            self._retry(self.db.enable_wal)
            self._migrate()
        except BaseException:
            conn.close()
            raise

    def _check_writable(self) -> None:
        """hrdd writes every answer at once: a file or folder it cannot write is refused up front."""
        if self.path.exists():
            if self.path.is_dir():
                raise StoreError(_("{path} is a folder, not a database file").format(path=self.path))
            if not os.access(self.path, os.R_OK | os.W_OK):
                raise StoreError(_("the database {path} is read-only: hrdd saves every answer at once and needs "
                                   "to write to it (check the file's permissions)").format(path=self.path))
        if not os.access(self.path.parent, os.W_OK | os.X_OK):
            raise StoreError(_("the folder {folder} is read-only: hrdd keeps its database and the database's "
                               "journal there (check the folder's permissions, or choose another with --db)")
                             .format(folder=self.path.parent))

    def _check_ours(self) -> None:
        """Refuse a file that is not an SQLite database, another application's database, or one
        written by a newer hrdd — before anything is written to it."""
        try:
            tables = {r[0] for r in self._retry(lambda: self.db.conn.execute(
                "select name from sqlite_master where type = 'table'").fetchall())}
        except DatabaseBusy:
            raise
        except sqlite3.DatabaseError:
            raise StoreError(_("{path} is not an hrdd database (it is not an SQLite database file; is it damaged?)")
                             .format(path=self.path)) from None
        own = {t for t in tables if not t.startswith("sqlite_")}
        if not own:
            return  # a new file: hrdd makes its tables
        names: set[str] = set()
        if Migrations.migrations_table in own:
            try:
                names = {r[0] for r in self.db.conn.execute(
                    f"select name from {Migrations.migrations_table} where migration_set = ?", [migrations.name])}
            except sqlite3.DatabaseError:
                names = set()
        if not names:
            shown = ", ".join(sorted(own)[:5]) + (", …" if len(own) > 5 else "")
            raise StoreError(_("{path} is another application's database (it holds {tables}); hrdd leaves it "
                               "alone: choose another file with --db").format(path=self.path, tables=shown))
        unknown = sorted(names - {m.name for m in migrations._migrations})
        if unknown:
            raise StoreError(_("{path} was last used by a newer version of hrdd (it has changes this version does "
                               "not know: {names}); update hrdd to open it").format(path=self.path,
                                                                                    names=", ".join(unknown)))

    def _migrate(self) -> None:
        """Apply pending migrations while holding the write lock, so two programs opening a new or
        old file at the same moment do not both upgrade it."""
        pending = migrations.pending(self.db)
        if not pending:
            return
        if any(not m.transactional for m in pending):
            self._retry(lambda: migrations.apply(self.db))
            return
        with self.write():
            migrations.apply(self.db)

    def _retry(self, action: Any) -> Any:
        """Run ``action`` (outside a transaction), again while another program holds the lock."""
        deadline = time.monotonic() + self.wait
        delay = 0.02
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or self.db.conn.in_transaction:
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(_("the database {path} is busy: another program has kept it locked for longer "
                                         "than hrdd waits ({seconds} s); try again when it is done").format(
                                             path=self.path, seconds=round(self.wait))) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction: everything in the block is committed together or not at all.

        It takes the write lock at the start (``BEGIN IMMEDIATE``), waiting for other programs'
        writes, so no write fails half-way with "database is locked". Inside another write
        block it is a savepoint of that transaction."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self._retry(lambda: conn.execute("BEGIN IMMEDIATE"))
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.db.rollback()
            raise

    def close(self) -> None:
        self.db.close()

    # companies -------------------------------------------------------------------
    def create_company(self, profile: Profile, uid: str | None = None) -> int:
        stamp = now()
        table = self.db.table("companies")
        with self.write():
            table.insert({**_profile_row(profile), "created": stamp, "updated": stamp,
                          "uid": uid or str(uuid.uuid4()), "profile_version": PROFILE_VERSION})
            return int(table.last_pk)  # type: ignore[arg-type]

    def company_by_uid(self, uid: str) -> Company | None:
        row = next(self.db.table("companies").rows_where("uid = ?", [uid]), None)
        return _company(row) if row else None

    def update_company(self, company_id: int, profile: Profile) -> None:
        with self.write():
            self.company(company_id)
            self.db.table("companies").update(company_id, {**_profile_row(profile), "updated": now(),
                                                     "profile_version": PROFILE_VERSION})

    def company(self, company_id: int) -> Company:
        try:
            row = self.db.table("companies").get(company_id)
        except NotFoundError:
            raise NotFound(f"no company with id {company_id}") from None
        return _company(row)

    def companies(self, archived: bool = False) -> list[Company]:
        """The companies (archived ones only when asked), most recently active first."""
        rows = self.db.query(
            "select c.*, max(c.updated, coalesce(max(a.updated), '')) as activity from companies c "
            "left join assessments a on a.company_id = c.id where c.archived = ? "
            "group by c.id order by activity desc, c.id desc", [int(archived)])
        return [_company(r) for r in rows]

    def company_summaries(self, archived: bool = False, search: str = "", limit: int | None = None,
                          offset: int = 0) -> list[CompanySummary]:
        """A page of the company list, most recently active first (the order of :meth:`companies`),
        with what a list line shows; only companies whose name contains ``search`` (accents and case
        ignored). One SQL statement, however many companies there are."""
        return company_list.summaries(self.db.conn, archived=archived, search=search, limit=limit, offset=offset)

    def company_count(self, archived: bool = False) -> int:
        """How many companies there are (archived ones only when asked)."""
        return company_list.count(self.db.conn, archived)

    def delete_company(self, company_id: int) -> None:
        """Remove a company with all its assessments and answers, leaving no trace in the file."""
        self.company(company_id)
        with self.write():
            self.db.execute("delete from answers where assessment_id in "
                            "(select id from assessments where company_id = ?)", [company_id])
            self.db.execute("delete from assessments where company_id = ?", [company_id])
            self.db.execute("delete from companies where id = ?", [company_id])
        self.compact()

    def delete_assessment(self, assessment_id: int) -> None:
        """Remove one assessment and its answers, leaving no trace in the file."""
        self.assessment(assessment_id)
        with self.write():
            self.db.execute("delete from answers where assessment_id = ?", [assessment_id])
            self.db.execute("delete from assessments where id = ?", [assessment_id])
        self.compact()

    def compact(self) -> None:
        """Rewrite the file without the space of deleted rows (VACUUM) and empty the WAL file,
        so deleted data cannot be read back from the file's bytes."""
        self._retry(lambda: self.db.execute("VACUUM"))
        self._retry(lambda: self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)"))

    def set_archived(self, company_id: int, archived: bool) -> None:
        with self.write():
            self.company(company_id)
            self.db.table("companies").update(company_id, {"archived": int(archived)})

    def set_commentary(self, company_id: int, text: str | None) -> None:
        """An adviser's commentary for the company's reports (empty removes it)."""
        with self.write():
            self.company(company_id)
            self.db.table("companies").update(company_id, {"commentary": (text or "").strip() or None,
                                                     "updated": now()})

    # assessments -----------------------------------------------------------------
    def start_assessment(self, company_id: int, questionnaire: Questionnaire, lang: str,
                         uid: str | None = None, pack: tuple[str, str] | None = None) -> int:
        """A new assessment of ``questionnaire``; the questionnaire version (and its pack) is kept with it."""
        stamp = now()
        table = self.db.table("assessments")
        with self.write():
            self.company(company_id)
            content_hash = self.save_questionnaire(questionnaire, pack)
            table.insert({"company_id": company_id, "questionnaire_id": questionnaire.id,
                          "questionnaire_version": questionnaire.version, "content_hash": content_hash,
                          "lang": lang, "started": stamp, "updated": stamp, "completed": None,
                          "uid": uid or str(uuid.uuid4())})
            return int(table.last_pk)  # type: ignore[arg-type]

    def save_questionnaire(self, questionnaire: Questionnaire, pack: tuple[str, str] | None = None,
                           content_hash: str | None = None) -> str:
        """Keep a copy of this questionnaire version (once); return its content hash (computed
        unless the caller knows it)."""
        content_hash = content_hash or questionnaire.content_hash()
        with self.write():
            if self.db.table("questionnaires").count_where("hash = ?", [content_hash]):
                return content_hash
            self.db.table("questionnaires").insert({
                "hash": content_hash, "id": questionnaire.id, "version": questionnaire.version,
                "body": questionnaire.model_dump_json(by_alias=True), "stored": now(),
                "pack": pack[0] if pack else None, "pack_version": pack[1] if pack else None})
        return content_hash

    def pack_of(self, content_hash: str) -> tuple[str, str] | None:
        """The pack (id, version) a stored questionnaire version came from, if any."""
        row = next(self.db.table("questionnaires").rows_where("hash = ?", [content_hash]), None)
        return (row["pack"], row["pack_version"]) if row and row["pack"] else None

    def questionnaire(self, content_hash: str) -> Questionnaire:
        """The questionnaire version with this hash, as it was when an assessment used it.

        Validated once per process: the same hash is the same content, and the model is frozen,
        so screens, reports and batch workers share one object (its memoised scores too)."""
        found = _QUESTIONNAIRES.get(content_hash)
        if found is not None:
            if self.db.execute("select 1 from questionnaires where hash = ?", [content_hash]).fetchone():
                return found
        try:
            row = self.db.table("questionnaires").get(content_hash)
        except NotFoundError:
            raise NotFound(f"no questionnaire with hash {content_hash[:12]}") from None
        if len(_QUESTIONNAIRES) >= CACHED_QUESTIONNAIRES:
            _QUESTIONNAIRES.clear()
        found = _QUESTIONNAIRES[content_hash] = Questionnaire.model_validate_json(row["body"])
        return found

    def questionnaire_of(self, assessment_id: int) -> Questionnaire:
        return self.questionnaire(self.assessment(assessment_id).content_hash)

    def assessment(self, assessment_id: int) -> Assessment:
        try:
            row = self.db.table("assessments").get(assessment_id)
        except NotFoundError:
            raise NotFound(f"no assessment with id {assessment_id}") from None
        return _assessment(row)

    def assessments(self, company_id: int, questionnaire_id: str | None = None) -> list[Assessment]:
        """The company's assessments, newest first."""
        where = "company_id = ?"
        args: list[object] = [company_id]
        if questionnaire_id:
            where, args = where + " and questionnaire_id = ?", args + [questionnaire_id]
        rows = self.db.table("assessments").rows_where(where, args, order_by="started desc, id desc")
        return [_assessment(r) for r in rows]

    def open_assessment(self, company_id: int, questionnaire_id: str) -> Assessment | None:
        """The newest assessment of this module that is not yet completed."""
        return next((a for a in self.assessments(company_id, questionnaire_id) if not a.completed), None)

    def assessment_by_uid(self, uid: str) -> Assessment | None:
        row = next(self.db.table("assessments").rows_where("uid = ?", [uid]), None)
        return _assessment(row) if row else None

    def set_times(self, assessment_id: int, *, started: str, updated: str, completed: str | None) -> None:
        """Keep an imported assessment's own dates."""
        with self.write():
            self.db.table("assessments").update(assessment_id, {"started": started, "updated": updated,
                                                          "completed": completed})

    def set_completed(self, assessment_id: int, completed: bool = True) -> None:
        """Mark an assessment completed (and store its scores) or open again."""
        stamp = now()
        with self.write():
            self.db.table("assessments").update(assessment_id, {"completed": stamp if completed else None,
                                                          "updated": stamp})
            if completed:
                self.store_scores([assessment_id])

    def set_language(self, assessment_id: int, lang: str) -> None:
        with self.write():
            self.db.table("assessments").update(assessment_id, {"lang": lang})

    # answers ---------------------------------------------------------------------
    def save_answer(self, assessment_id: int, answer: Answer, answered_at: str | None = None) -> None:
        """Store (or replace) one answer and commit it at once."""
        stamp = answered_at or now()
        with self.write():
            self.db.table("answers").upsert({
                "assessment_id": assessment_id, "question_id": answer.question_id,
                "value": json.dumps(answer.value), "dont_know": int(answer.dont_know),
                "note": answer.note or None, "answered_at": stamp,
            }, pk=("assessment_id", "question_id"))
            self.db.table("assessments").update(assessment_id, {"updated": stamp})

    def carry_over(self, source_id: int, target_id: int) -> tuple[list[str], list[str]]:
        """Copy the answers of ``source_id`` to ``target_id`` for questions that did not change.

        Returns (copied question ids, ids of questions that changed and must be answered again).
        """
        old_q = self.questionnaire_of(source_id)
        new_q = self.questionnaire_of(target_id)
        copied, changed = [], []
        with self.write():
            for question_id, answer in self.answers(source_id).items():
                new, old = new_q.question(question_id), old_q.question(question_id)
                if new is None:
                    continue
                if new != old:
                    changed.append(question_id)
                    continue
                self.save_answer(target_id, answer)
                copied.append(question_id)
        return copied, changed

    def delete_answer(self, assessment_id: int, question_id: str) -> None:
        with self.write():
            self.db.table("answers").delete_where("assessment_id = ? and question_id = ?", [assessment_id, question_id])
            self.db.table("assessments").update(assessment_id, {"updated": now()})

    def answers(self, assessment_id: int) -> dict[str, Answer]:
        rows = self.db.table("answers").rows_where("assessment_id = ?", [assessment_id])
        return {r["question_id"]: _answer(r) for r in rows}


    # action tracking -------------------------------------------------------------
    def action_tracking(self, company_id: int) -> dict[str, Tracking]:
        """What the company decided about the actions of its plan, by action key."""
        rows = self.db.query("select * from action_tracking where company_id = ? order by key", [company_id])
        return {r["key"]: _tracking(r) for r in rows}

    def track_action(self, company_id: int, key: str, *, owner: Any = _KEEP, due: Any = _KEEP,
                     status: Any = _KEEP, note: Any = _KEEP) -> Tracking:
        """Set the owner, due date (a ``date`` or None), status or note of one action, committed at
        once; what is not given keeps its value. Setting "done" records the day (``done_on``)."""
        from .actions import STATUSES

        self.company(company_id)
        current = self.action_tracking(company_id).get(key)
        row: dict[str, Any] = {
            "owner": current.owner if current else None, "due": current.due.isoformat() if current and current.due
            else None, "status": current.status if current else "todo", "note": current.note if current else None,
            "done_on": current.done_on.isoformat() if current and current.done_on else None}
        if owner is not _KEEP:
            row["owner"] = (owner or "").strip() or None
        if note is not _KEEP:
            row["note"] = (note or "").strip() or None
        if due is not _KEEP:
            row["due"] = due.isoformat() if due else None
        if status is not _KEEP:
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
            if status == "done" and row["status"] != "done":
                row["done_on"] = datetime.now(UTC).date().isoformat()
            elif status != "done":
                row["done_on"] = None
            row["status"] = status
        with self.db.atomic():
            self.db.table("action_tracking").upsert({"company_id": company_id, "key": key, **row, "updated": now()},
                                              pk=("company_id", "key"))
        return self.action_tracking(company_id)[key]

    # import: plain statements, inside the caller's write transaction ------------------
    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Inside a write transaction, nothing more (the caller's savepoint keeps it atomic: the
        import writes each file in one); otherwise one write transaction of its own."""
        if self.db.conn.in_transaction:
            yield
            return
        with self.write():
            yield

    def insert_company(self, profile: Profile, uid: str) -> int:
        """A new company (for :mod:`hrdd.exchange`), written with one plain INSERT."""
        stamp = now()
        row = {**_profile_row(profile), "created": stamp, "updated": stamp, "uid": uid,
               "profile_version": PROFILE_VERSION}
        with self._writing():
            cursor = self.db.conn.execute(f"insert into companies ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                                          list(row.values()))
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def insert_assessment(self, company_id: int, questionnaire: Questionnaire, content_hash: str, lang: str, uid: str,
                          started: str, updated: str, completed: str | None) -> int:
        """A new assessment with its own dates (for :mod:`hrdd.exchange`); its questionnaire
        version must be stored already (:meth:`save_questionnaire`)."""
        with self._writing():
            cursor = self.db.conn.execute(
                "insert into assessments (company_id, questionnaire_id, questionnaire_version, content_hash, lang, "
                "started, updated, completed, uid) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [company_id, questionnaire.id, questionnaire.version, content_hash, lang, started, updated, completed,
                 uid])
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def replace_answers(self, assessment_id: int, answers: list[tuple[Answer, str]], *, lang: str, started: str,
                        updated: str, completed: str | None) -> None:
        """Replace all answers of an assessment and set its language and dates (for :mod:`hrdd.exchange`):
        one DELETE, one batched INSERT, one UPDATE."""
        conn = self.db.conn
        with self._writing():
            conn.execute("delete from answers where assessment_id = ?", [assessment_id])
            conn.executemany(
                "insert into answers (assessment_id, question_id, value, dont_know, note, answered_at) "
                "values (?, ?, ?, ?, ?, ?)",
                [(assessment_id, a.question_id, json.dumps(a.value), int(a.dont_know), a.note or None, when)
                 for a, when in answers])
            conn.execute("update assessments set lang = ?, started = ?, updated = ?, completed = ? where id = ?",
                         [lang, started, updated, completed, assessment_id])

    # stored scores (0008) -----------------------------------------------------------
    def save_scores(self, assessment_id: int, figures: Any) -> None:
        """Store the scores of one completed assessment (:func:`hrdd.scoring.benchmark_figures`),
        replacing earlier ones. Call it where the answers and profile they come from were read
        or written, inside the same write transaction."""
        conn = self.db.conn
        with self._writing():
            conn.execute("delete from scores where assessment_id = ?", [assessment_id])
            conn.execute("insert into scores (assessment_id, score, level, capped, stored) values (?, ?, ?, ?, ?)",
                         [assessment_id, figures.score, figures.level, int(figures.capped), now()])
            conn.executemany("insert into score_steps (assessment_id, module, step, score, level) values (?, ?, ?, ?, ?)",
                             [(assessment_id, figures.module, *step) for step in figures.steps])
            conn.executemany("insert into score_flags (assessment_id, question_id, option_id) values (?, ?, ?)",
                             [(assessment_id, *flag) for flag in sorted(figures.red_flags)])
            conn.executemany("insert into score_questions (assessment_id, module, question_id, below) "
                             "values (?, ?, ?, ?)", [(assessment_id, figures.module, qid, int(below))
                                                     for qid, below in figures.questions])

    def stored_scores(self, assessment_id: int) -> Any:
        """The stored scores of an assessment (:class:`hrdd.scoring.Figures`), or None when it has
        none (not completed, or changed since they were stored)."""
        from .scoring import Figures

        conn = self.db.conn
        row = conn.execute("select s.score, s.level, s.capped, a.questionnaire_id from scores s join assessments a "
                           "on a.id = s.assessment_id where s.assessment_id = ?", [assessment_id]).fetchone()
        if row is None:
            return None
        return Figures(module=row[3], score=row[0], level=row[1], capped=bool(row[2]),
                       steps=tuple(conn.execute("select step, score, level from score_steps where assessment_id = ? "
                                                "order by step", [assessment_id])),
                       red_flags=frozenset(conn.execute("select question_id, option_id from score_flags "
                                                        "where assessment_id = ?", [assessment_id])),
                       questions=tuple((qid, bool(below)) for qid, below in conn.execute(
                           "select question_id, below from score_questions where assessment_id = ? "
                           "order by question_id", [assessment_id])))

    def _snapshot(self, content_hash: str) -> Questionnaire:
        """A stored questionnaire version, parsed once per Store (snapshots never change)."""
        cache: dict[str, Questionnaire] = self.__dict__.setdefault("_snapshots", {})
        found = cache.get(content_hash)
        if found is None:
            found = cache[content_hash] = self.questionnaire(content_hash)
        return found

    def store_scores(self, assessment_ids: list[int]) -> int:
        """Compute (with :func:`hrdd.scoring.benchmark_figures`) and store the scores of these
        assessments, reading their answers, profile and questionnaire version in the same write
        transaction. An assessment whose questionnaire version is not stored is skipped (as it
        cannot be scored); returns how many were stored."""
        from .scoring import benchmark_figures

        if not assessment_ids:
            return 0
        stored = 0
        with self.write():
            marks = ",".join("?" * len(assessment_ids))
            rows = self.db.conn.execute(
                f"select id, company_id, content_hash from assessments where id in ({marks})", assessment_ids).fetchall()
            answers: dict[int, dict[str, Answer]] = {}
            cursor = self.db.conn.execute(f"select * from answers where assessment_id in ({marks})", assessment_ids)
            columns = [c[0] for c in cursor.description]
            for values in cursor:
                row = dict(zip(columns, values))
                answers.setdefault(row["assessment_id"], {})[row["question_id"]] = _answer(row)
            profiles: dict[int, Profile] = {}
            for assessment_id, company_id, content_hash in rows:
                try:
                    questionnaire = self._snapshot(content_hash)
                except NotFound:
                    continue
                if company_id not in profiles:
                    profiles[company_id] = self.company(company_id).profile
                self.save_scores(assessment_id, benchmark_figures(questionnaire, profiles[company_id],
                                                                  answers.get(assessment_id, {})))
                stored += 1
        return stored

    def refresh_scores(self, chunk: int = 500) -> int:
        """Store the scores of every completed assessment that has none (completed before 0008, or
        changed since its scores were stored): a benchmark never rests on stale scores. Each chunk
        is one write transaction; returns how many were stored."""
        done = 0
        skipped: set[int] = set()
        while True:
            with self.write():
                missing = [r[0] for r in self.db.conn.execute(
                    "select a.id from assessments a left join scores s on s.assessment_id = a.id "
                    "where a.completed is not null and s.assessment_id is null order by a.id")
                    if r[0] not in skipped][:chunk]
                if not missing:
                    return done
                stored = self.store_scores(missing)
            done += stored
            if stored < len(missing):  # no questionnaire version to score them with: leave them
                skipped |= set(missing) - {r[0] for r in self.db.conn.execute(
                    f"select assessment_id from scores where assessment_id in ({','.join('?' * len(missing))})",
                    missing)}

def _answer(row: dict[str, Any]) -> Answer:
    data = {"question_id": row["question_id"], "value": json.loads(row["value"]) if row["value"] else None,
            "dont_know": bool(row["dont_know"]), "note": row["note"],
            "answered_at": datetime.fromisoformat(row["answered_at"])}
    if row["note"] and len(row["note"]) > MAX_NOTE:  # saved before the limit applied to "don't know": keep it
        return Answer.model_construct(**data)
    return Answer(**data)


def _assessment(row: dict[str, Any]) -> Assessment:
    return Assessment(**{k: row[k] for k in Assessment.__dataclass_fields__})


def _profile_row(profile: Profile) -> dict[str, Any]:
    row = profile.model_dump()
    return {k: json.dumps(v) if k in _JSON_COLUMNS else (int(v) if isinstance(v, bool) else v)
            for k, v in row.items()}


def _company(row: dict[str, Any]) -> Company:
    data = {k: row[k] for k in _PROFILE_COLUMNS}
    for key in _BOOL_COLUMNS:
        data[key] = None if data[key] is None else bool(data[key])
    for key in _JSON_COLUMNS:
        data[key] = json.loads(data[key]) if data[key] else ([] if key != "workforce" else None)
    return Company(id=row["id"], profile=Profile(**data), created=row["created"], updated=row["updated"],
                   uid=row["uid"], archived=bool(row.get("archived")), commentary=row.get("commentary"),
                   profile_version=row.get("profile_version") or 1)


def _tracking(row: dict[str, Any]) -> Tracking:
    from datetime import date

    from .actions import Tracking

    return Tracking(key=row["key"], owner=row["owner"], due=date.fromisoformat(row["due"]) if row["due"] else None,
                    status=row["status"], note=row["note"], updated=row["updated"],
                    done_on=date.fromisoformat(row["done_on"]) if row["done_on"] else None)
