"""The app draws its first screen before the questionnaires and the database are loaded (issue 12):
nothing that needs them can be reached until they are there, and a failure to load them is shown
in the app, which stays open."""

from __future__ import annotations

import threading

from click.testing import CliRunner
from textual.app import App
from textual.widgets import OptionList

from hrdd.cli import main
from hrdd.models import Profile
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.home import HomeScreen
from hrdd.tui.profile import ProfileScreen

SIZE = (100, 40)


def list_lines(app: HrddApp) -> list[str]:
    options = app.screen.query_one("#company-list", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_first_screen_comes_before_the_questionnaires_and_waits_for_them(tmp_path, bundle):
    db = tmp_path / "hrdd.db"
    first = Store(db)
    first.create_company(Profile(name="Brasserie Van Damme", region="flanders"))
    first.close()
    release = threading.Event()

    def load_bundle():  # type: ignore[no-untyped-def]
        release.wait(30)  # held back until the test has looked at the first screen
        return bundle

    app = HrddApp(lang="nl", load_bundle=load_bundle, open_store=lambda: Store(db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.loaded
        assert list_lines(app) == ["De vragenlijsten worden geladen…"]
        for key in ("n", "a", "enter"):  # nothing that needs the questionnaires or the database
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.screen.show_archived
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded and app.load_error is None
        [line] = list_lines(app)
        assert "Brasserie Van Damme" in line and "Vlaanderen" in line
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
    app.store.close()


async def test_a_database_that_cannot_be_opened_is_said_in_the_app_which_stays_open(tmp_path, bundle):
    bad = tmp_path / "notes.db"
    bad.write_text("not a database, just notes\n" * 100, encoding="utf-8")
    app = HrddApp(lang="fr", load_bundle=lambda: bundle, open_store=lambda: Store(bad))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and not app.loaded
        assert app.load_error is not None and "notes.db" in app.load_error
        [line] = list_lines(app)
        assert line.startswith("hrdd ne peut pas démarrer\u00a0: ") and "notes.db" in line
        assert any("notes.db" in n.message for n in app._notifications)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.is_running
        await pilot.press("ctrl+q")
    assert app.return_code == 0


def headless(monkeypatch) -> list[tuple[HrddApp, list[str]]]:  # type: ignore[no-untyped-def]
    """``hrdd`` without a terminal: the app runs headless, waits for its loading and quits (the app
    and the lines of its company list are kept)."""
    started: list[tuple[HrddApp, list[str]]] = []
    run = App.run

    async def loaded_then_quit(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        started.append((pilot.app, list_lines(pilot.app)))
        pilot.app.exit()

    def headless_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.update(headless=True, size=SIZE, auto_pilot=loaded_then_quit)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(App, "run", headless_run)
    return started


def test_hrdd_opens_a_current_database_after_the_first_screen(tmp_path, monkeypatch):
    started = headless(monkeypatch)
    db = tmp_path / "hrdd.db"
    Store(db).close()  # current: read after the first screen
    result = CliRunner().invoke(main, ["--db", str(db), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"your answers are saved in {db}" in result.output
    [(app, lines)] = started
    assert app.loaded and lines == ["No companies yet: press N to add yours."]
    assert app._load_bundle is not None  # the deferred start, not the one for new and older files


def test_hrdd_makes_a_new_database_and_refuses_a_file_it_cannot_use_before_the_app_opens(tmp_path, monkeypatch):
    started = headless(monkeypatch)
    db = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["--db", str(db), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert Store(db).company_count() == 0  # made and migrated
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 100, encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "notes.db is not an hrdd database" in result.output
    assert "Traceback" not in result.output and "saved in" not in result.output
    assert len(started) == 1  # only the first one opened
