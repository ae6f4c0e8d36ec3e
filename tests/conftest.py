"""Shared fixtures: every test gets its own data folder and database file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hrdd import i18n
from hrdd.loader import Bundle, load_bundled, load_files
from hrdd.storage import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the run (shared by its tests, as by several hrdd processes), never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("HRDD_CACHE_DIR")
    os.environ["HRDD_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("HRDD_CACHE_DIR", None)
    else:
        os.environ["HRDD_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep tests away from the user's real data folder and language."""
    monkeypatch.setenv("HRDD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("HRDD_DB", raising=False)
    monkeypatch.delenv("HRDD_LANG", raising=False)
    i18n.activate("en")
    yield tmp_path
    i18n.activate("en")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture
def started():
    """``started(store, questionnaire, lang, **profile)`` → (company id, assessment id)."""
    from hrdd.models import Profile

    def start(store: Store, questionnaire, lang: str, **profile):  # type: ignore[no-untyped-def]
        company = store.create_company(Profile(**{"name": "A", **profile}))
        return company, store.start_assessment(company, questionnaire, lang)

    return start


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The questionnaires and catalogue shipped with hrdd."""
    return load_bundled()


@pytest.fixture(scope="session")
def mini() -> Bundle:
    """A small questionnaire with every question kind, a condition and a red flag."""
    return load_files([DATA / "mini.yaml", DATA / "mini_resources.yaml"])
