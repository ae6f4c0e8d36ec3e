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


async def open_form_and_wait_for_focus(pilot) -> None:  # type: ignore[no-untyped-def]
    """Press "n", wait until the name field has focus, and stop the cursor blinking (hidden): under
    load the blink timer fired before the picture was taken (a flaky diff of the cursor)."""
    from textual.widgets import Input

    await pilot.press("n")
    for _ in range(200):
        focused = pilot.app.focused
        if focused is not None and focused.id == "name":
            break
        await pilot.pause(0.02)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_new_company_profile_form(snap_compare, tmp_path, bundle, lang):
    assert snap_compare(app_for(tmp_path, bundle, lang), run_before=open_form_and_wait_for_focus,
                        terminal_size=SMALL)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_help_screen(snap_compare, tmp_path, bundle, lang):
    assert snap_compare(app_for(tmp_path, bundle, lang), press=["f1"], terminal_size=SMALL)
