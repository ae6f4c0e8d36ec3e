"""The company list in one SQL statement, with nothing but :mod:`sqlite3`.

:meth:`hrdd.storage.Store.company_summaries` and ``hrdd companies`` both read the list here, so
there is one piece of code for the query. ``hrdd companies`` opens a database whose schema is
current read-only through :func:`open_current`, without sqlite-utils, pydantic or the models
(see :mod:`hrdd.storage` for the migrations that keep the schema current).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import fold

if TYPE_CHECKING:
    from .models import Profile

MIGRATION_SET = "hrdd"
MIGRATIONS = (
    "0001_initial", "0002_profile_products_sourcing", "0003_uids_and_questionnaire_snapshots",
    "0004_archive_and_commentary", "0005_backfill_snapshots", "0006_profile_v2", "0007_action_tracking",
    "0008_stored_scores",
)
"""The migrations of :mod:`hrdd.storage`, in order: a database that has exactly these is current
(a test checks that the two lists agree)."""

_SUMMARIES = (
    "with page as ("
    " select c.id, max(c.updated, coalesce(max(a.updated), '')) as activity from companies c"
    " left join assessments a on a.company_id = c.id"
    " where c.archived = :archived and (:wanted = '' or instr(hrdd_fold(c.name), :wanted) > 0)"
    " group by c.id order by activity desc, c.id desc limit :limit offset :offset)"
    " select c.*, page.activity as activity,"
    " (select count(*) from assessments a where a.company_id = c.id and a.completed is not null)"
    "   as completed_count,"
    " (select group_concat(questionnaire_id || '=' || done, ',') from ("
    "   select questionnaire_id, completed is not null as done, row_number() over ("
    "     partition by questionnaire_id order by started desc, id desc) as n"
    "   from assessments a where a.company_id = c.id) where n = 1) as latest"
    " from page join companies c on c.id = page.id order by page.activity desc, c.id desc")


@dataclass(frozen=True)
class CompanySummary:
    """One line of a company list, read with the whole list in one statement (no per-company query)."""

    id: int
    name: str
    region: str | None
    employees: int | None
    updated: str
    """When the company's profile was last changed."""
    activity: str
    """When the company or any of its assessments was last changed."""
    completed: int
    """How many of its assessments are completed."""
    latest: dict[str, bool]
    """Module id → whether the company's newest assessment of it is completed."""
    row: dict[str, Any]

    @property
    def profile(self) -> Profile:
        """The full profile (validated on demand: a list only needs it for the lines it shows)."""
        from .storage import _company

        return _company(self.row).profile


def summaries(conn: sqlite3.Connection, archived: bool = False, search: str = "", limit: int | None = None,
              offset: int = 0) -> list[CompanySummary]:
    """A page of the company list, most recently active first, with what a list line shows; only
    companies whose name contains ``search`` (accents and case ignored). One SQL statement, however
    many companies there are."""
    conn.create_function("hrdd_fold", 1, lambda text: fold(text or ""), deterministic=True)
    cursor = conn.execute(_SUMMARIES, {"archived": int(archived), "wanted": fold(search.strip()),
                                       "limit": -1 if limit is None else limit, "offset": offset})
    names = [d[0] for d in cursor.description]
    result = []
    for values in cursor:
        r = dict(zip(names, values, strict=True))
        result.append(CompanySummary(
            id=r["id"], name=r["name"], region=r["region"], employees=r["employees"], updated=r["updated"],
            activity=r["activity"], completed=r["completed_count"],
            latest={m: d == "1" for m, d in (part.split("=") for part in (r["latest"] or "").split(",") if part)},
            row=r))
    return result


def count(conn: sqlite3.Connection, archived: bool = False) -> int:
    """How many companies there are (archived ones only when asked)."""
    return int(conn.execute("select count(*) from companies where archived = ?", [int(archived)]).fetchone()[0])


def open_current(path: Path) -> sqlite3.Connection | None:
    """``path`` opened read-only if it is an hrdd database whose schema is current; else ``None``
    (no file, another file, an older or newer schema, anything unreadable): the caller then opens
    the :class:`hrdd.storage.Store`, which migrates or says what is wrong. A file or folder hrdd
    cannot write is left to the Store too, which refuses it as everywhere else."""
    if not path.is_file() or not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except (sqlite3.Error, ValueError):
        return None
    try:
        names = tuple(r[0] for r in conn.execute(
            "select name from _sqlite_migrations where migration_set = ? order by id", [MIGRATION_SET]))
        if sorted(names) == sorted(MIGRATIONS):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None
