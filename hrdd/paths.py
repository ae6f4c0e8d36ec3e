"""Every path hrdd uses: the user's data folder, the database, and the bundled data.

``HRDD_DATA_DIR``, ``HRDD_DB`` and ``HRDD_CACHE_DIR`` override the defaults (the CLI's ``--db``
sets ``HRDD_DB``); tests use them to keep away from the real data and cache folders.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

APP_NAME = "hrdd"


def data_dir() -> Path:
    """Where hrdd keeps its database and reports."""
    override = os.environ.get("HRDD_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def db_path() -> Path:
    """The SQLite database file."""
    override = os.environ.get("HRDD_DB")
    return Path(override) if override else data_dir() / "hrdd.db"


def cache_dir() -> Path:
    """Where hrdd keeps what it can rebuild at any time (the validated questionnaires)."""
    override = os.environ.get("HRDD_CACHE_DIR")
    return Path(override) if override else user_cache_path(APP_NAME, appauthor=False)


def reports_dir() -> Path:
    """Where reports are written unless the user names a file."""
    return data_dir() / "reports"


def _bundled(name: str) -> Path:
    """A top-level data folder: inside the installed wheel, or in the source checkout."""
    installed = Path(__file__).parent / "_data" / name
    if installed.is_dir():
        return installed
    checkout = Path(__file__).parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"hrdd's bundled '{name}' folder is missing (looked in {installed} and {checkout})")


def questionnaires_dir() -> Path:
    return _bundled("questionnaires")


def locales_dir() -> Path:
    return _bundled("locales")


def fonts_dir() -> Path:
    return Path(__file__).parent / "fonts"


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path in ``target``'s folder; it replaces ``target`` only when the block succeeds.

    Whatever goes wrong while the file is written (a full disk, an error in the writer,
    Ctrl+C), ``target`` keeps its previous content and no half-written file is left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
