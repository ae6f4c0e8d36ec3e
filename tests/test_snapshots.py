"""Snapshot tests (pytest-textual-snapshot) of the screens without dates or data, at 80×24 in
the three languages: a hidden button, a cut option or English left in a translation shows up as
a diff. Update after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

import pytest

from hrdd.storage import Store
from hrdd.tui.app import HrddApp

SMALL = (80, 24)


def app_for(tmp_path, bundle, lang: str) -> HrddApp:  # type: ignore[no-untyped-def]
    return HrddApp(store=Store(tmp_path / "snap.db"), bundle=bundle, lang=lang)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_home_screen_of_an_empty_database(snap_compare, tmp_path, bundle, lang):
    assert snap_compare(app_for(tmp_path, bundle, lang), terminal_size=SMALL)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_new_company_profile_form(snap_compare, tmp_path, bundle, lang):
    assert snap_compare(app_for(tmp_path, bundle, lang), press=["n"], terminal_size=SMALL)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_help_screen(snap_compare, tmp_path, bundle, lang):
    assert snap_compare(app_for(tmp_path, bundle, lang), press=["f1"], terminal_size=SMALL)
