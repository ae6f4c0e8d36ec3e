"""Action tracking: stored per company and action key (migration 0007), set from the app's
action-plan screen, carried into the next assessment, shown in the report, exported as CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime, timezone

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from textual.widgets import DataTable, Input, Static

from hrdd.actions import parse_due
from hrdd.cli import main
from hrdd.demo import create_demo
from hrdd.i18n import t
from hrdd.loader import load_bundled
from hrdd.report import report_content, write_report
from hrdd.storage import Store
from hrdd.tui.actions import ActionPlanScreen
from hrdd.tui.app import HrddApp
from hrdd.tui.company import CompanyScreen

DAY = date(2026, 12, 1)


def text_of(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_tracking_is_stored_per_company_and_key_and_keeps_what_is_not_given(store, bundle):
    company, _ = create_demo(store, bundle, "en", modules=["due_diligence"])
    key = report_content(store, bundle, company, "en", DAY).actions[0].key
    store.track_action(company, key, owner="Marie (purchasing)", due=date(2027, 1, 15))
    store.track_action(company, key, status="in_progress")
    tracked = store.action_tracking(company)[key]
    assert (tracked.owner, tracked.due, tracked.status, tracked.done_on) == (
        "Marie (purchasing)", date(2027, 1, 15), "in_progress", None)
    store.track_action(company, key, status="done", note="Channel set up with the works council")
    tracked = store.action_tracking(company)[key]
    assert tracked.status == "done" and tracked.done_on == datetime.now(timezone.utc).date()
    assert tracked.owner == "Marie (purchasing)" and tracked.note.startswith("Channel")
    store.track_action(company, key, owner="", due=None)
    assert store.action_tracking(company)[key].owner is None and store.action_tracking(company)[key].due is None
    with pytest.raises(ValueError):
        store.track_action(company, key, status="finished")


def test_deleting_a_company_deletes_its_tracking(store, bundle):
    company, _ = create_demo(store, bundle, "en", modules=["due_diligence"])
    store.track_action(company, "due_diligence:policy_commitment", owner="Jan")
    store.delete_company(company)
    assert store.db.execute("select count(*) from action_tracking").fetchone()[0] == 0


def test_tracking_carries_into_the_next_assessment_and_done_counts_as_progress(store, bundle):
    company, first = create_demo(store, bundle, "en", modules=["due_diligence"])
    plan = report_content(store, bundle, company, "en", DAY).actions
    target = next(a for a in plan if a.kind == "gap")
    store.track_action(company, target.key, owner="Sofie", status="done")
    # a new assessment of the same module, with the same answers
    questionnaire = bundle.questionnaire("due_diligence")
    second = store.start_assessment(company, questionnaire, "en")
    store.carry_over(first, second)
    store.set_completed(second)
    store.db["assessments"].update(first, {"completed": "2025-11-01T10:00:00+00:00"})
    content = report_content(store, bundle, company, "en", DAY)
    row = next(a for a in content.actions if a.key == target.key)
    assert row.owner == "Sofie" and row.status == "done" and row not in content.plan and row in content.backlog
    [module] = content.modules
    assert target.action in module.done_since  # "done since the previous assessment"


def test_parse_due_reads_iso_and_belgian_dates():
    assert parse_due("2027-03-31") == parse_due("31/03/2027") == parse_due("31-3-2027") == date(2027, 3, 31)
    assert parse_due("  ") is None
    for bad in ("31/03/27", "tomorrow", "2027-02-30"):
        with pytest.raises(ValueError):
            parse_due(bad)


def test_actions_command_writes_the_plan_as_csv(tmp_path):
    db, out = tmp_path / "a.db", tmp_path / "plan.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "demo"]).exit_code == 0
    store = Store(db)
    key = report_content(store, load_bundled(), 1, "fr").actions[0].key
    store.track_action(1, key, owner="Chloé", due=date(2027, 2, 1), status="in_progress", note="Appel; « ok »")
    store.close()
    result = runner.invoke(main, ["--db", str(db), "actions", "--company", "1", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheet programs read the accents right
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Numéro", "Clé", "Questionnaire"]
    first = dict(zip(rows[0], rows[1]))
    assert first["Clé"] == key and first["Responsable"] == "Chloé" and first["Échéance"] == "2027-02-01"
    assert first["Statut"] == "En cours" and first[t("Note", "fr")] == "Appel; « ok »" and first["Priorité"] == "Urgence"
    assert len(rows) - 1 == int(result.output.split()[1])
    bad = runner.invoke(main, ["--db", str(db), "actions", "--company", "1", "--out", str(tmp_path / "plan.xlsx")])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and ".csv" in bad.output
    missing = runner.invoke(main, ["--db", str(db), "actions", "--company", "9", "--out", str(out)])
    assert missing.exit_code == 1 and "no company with id 9" in missing.output


async def test_pilot_sets_owner_date_and_status_a_restart_finds_them_and_the_report_shows_them(tmp_path, bundle):
    db = tmp_path / "plan.db"
    store = Store(db)
    company, _ = create_demo(store, bundle, "en", modules=["due_diligence"])
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CompanyScreen(company))
        await pilot.pause()
        await pilot.press("p")  # one key from the company screen
        await pilot.pause()
        assert isinstance(app.screen, ActionPlanScreen)
        table = app.screen.query_one("#plan", DataTable)
        assert app.focused is table and table.row_count == len(app.screen.rows)
        await pilot.press("down", "enter")  # the second action; Enter goes to its fields
        await pilot.pause()
        key = app.screen.current
        assert key == app.screen.rows[1].key and app.focused is app.screen.query_one("#plan-owner", Input)
        await pilot.press(*"Wim", "tab", *"2027-01-15", "escape")
        await pilot.pause()
        assert app.focused is table
        await pilot.press("p")  # in progress
        await pilot.pause()
        assert table.get_row(key)[1] == "◐" and table.get_row(key)[3] == "Wim"
        assert "15 January 2027" in str(app.screen.query_one("#plan-error", Static).render())
    store.close()

    again = Store(db)  # a new app on the same file
    app = HrddApp(store=again, bundle=bundle, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ActionPlanScreen(company))
        await pilot.pause()
        table = app.screen.query_one("#plan", DataTable)
        assert table.get_row(key)[1:] [0] == "◐" and table.get_row(key)[3] == "Wim"
        assert table.get_row(key)[4] == "2027-01-15"
        table.move_cursor(row=1)
        await pilot.pause()
        assert app.screen.query_one("#plan-owner", Input).value == "Wim"
        assert app.screen.query_one("#plan-due", Input).value == "2027-01-15"
    tracked = again.action_tracking(company)[key]
    assert (tracked.owner, tracked.due, tracked.status) == ("Wim", date(2027, 1, 15), "in_progress")

    out = write_report(again, bundle, company, "en", tmp_path / "r.pdf", on=DAY, invariant=True)
    text = text_of(out)
    assert "Wim" in text and "15 January 2027" in text and "◐ In progress" in text
    again.close()


async def test_action_plan_screen_without_any_assessment(store, bundle):
    from hrdd.models import Profile

    company = store.create_company(Profile(name="Nieuw"))
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ActionPlanScreen(company))
        await pilot.pause()
        assert "Nog geen acties" in " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ActionPlanScreen)
