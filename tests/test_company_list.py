"""The company list at scale (issue 12): one query for the list, paged on the home screen, the same
query behind 'hrdd companies'."""

from __future__ import annotations

from click.testing import CliRunner
from companies import BRUSSELS_CLEANING, FLEMISH_FOOD, MICRO_SERVICES, WALLOON_MANUFACTURER
from textual.widgets import Input, OptionList

from hrdd.cli import main
from hrdd.conditions import applies
from hrdd.models import Profile
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.home import PAGE

PROFILES = [FLEMISH_FOOD, WALLOON_MANUFACTURER, BRUSSELS_CLEANING, MICRO_SERVICES]


def fill(store: Store, n: int) -> list[int]:
    with store.write():
        return [store.create_company(Profile(**{**PROFILES[i % 4].model_dump(), "name": f"Firma {i:03}"}))
                for i in range(n)]


def test_summaries_are_the_company_list_in_one_statement(store, bundle):
    """Same companies, same order and the same progress as reading every company and its assessments."""
    ids = fill(store, 6)
    store.create_company(Profile(name="Électro-Liège"))
    store.start_assessment(ids[1], bundle.questionnaire("workforce"), "en")  # the newest activity
    done = store.start_assessment(ids[3], bundle.questionnaire("due_diligence"), "en")
    store.set_completed(done)
    store.start_assessment(ids[3], bundle.questionnaire("due_diligence"), "en")  # newer, open
    store.set_archived(ids[5], True)
    calls = []
    store.db.conn.set_trace_callback(calls.append)
    summaries = store.company_summaries()
    store.db.conn.set_trace_callback(None)
    assert len([c for c in calls if c.lstrip().lower().startswith(("with", "select"))]) == 1
    assert [c.id for c in summaries] == [c.id for c in store.companies()]
    by_id = {c.id: c for c in summaries}
    assert by_id[ids[1]].latest == {"workforce": False} and by_id[ids[1]].completed == 0
    assert by_id[ids[3]].latest == {"due_diligence": False} and by_id[ids[3]].completed == 1
    assert by_id[ids[0]].profile == store.company(ids[0]).profile
    assert [c.id for c in store.company_summaries(archived=True)] == [ids[5]]
    assert [c.name for c in store.company_summaries(search="electro-LIEGE")] == ["Électro-Liège"]
    page = store.company_summaries(limit=2, offset=2)
    assert [c.id for c in page] == [c.id for c in summaries[2:4]]
    assert store.company_count() == 6 and store.company_count(archived=True) == 1


async def test_the_home_screen_lists_a_page_and_more_as_you_go(tmp_path, bundle):
    store = Store(tmp_path / "many.db")
    fill(store, PAGE + 30)
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        companies = app.screen.query_one("#company-list", OptionList)
        assert companies.option_count == PAGE  # not every company at start
        first = store.company_summaries(limit=1)[0]
        label = str(companies.get_option_at_index(0).prompt)
        profile = first.profile
        modules = [q for q in bundle.questionnaires if applies(q, profile)]
        assert first.name in label and f"0/{len(modules)}" in label
        assert "Bruxelles" in label or "Flandre" in label or "Wallonie" in label  # the region, in French
        await pilot.press("end")
        await pilot.pause()
        assert companies.option_count == PAGE + 30  # the rest, at the end of the list
        app.screen.query_one("#search", Input).value = "firma 007"
        await pilot.pause()
        assert companies.option_count == 1 and "Firma 007" in str(companies.get_option_at_index(0).prompt)
    store.close()


def test_companies_command_lists_with_one_query(tmp_path, bundle):
    db = tmp_path / "cli.db"
    store = Store(db)
    ids = fill(store, 3)
    done = store.start_assessment(ids[0], bundle.questionnaire("due_diligence"), "en")
    store.set_completed(done)
    store.set_archived(ids[2], True)
    store.close()
    result = CliRunner().invoke(main, ["--db", str(db), "companies"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "Firma 000" in lines[str(ids[0])] and "(1 completed assessment," in lines[str(ids[0])]
    assert "Firma 001" in lines[str(ids[1])] and "(0 completed" in lines[str(ids[1])]
    assert str(ids[2]) not in lines and "archived company not listed" in lines["(1"]
    assert len(lines) == 3


# --- 'hrdd companies' without the heavy modules -------------------------------------------------------------
HEAVY = ("sqlite_utils", "pydantic", "yaml", "hrdd.storage", "hrdd.models")
LIST_AND_MODULES = ("import sys; from hrdd.cli import main\n"
                    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
                    f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}))")


def companies_in_a_process(db, *args: str) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    """What ``hrdd --db db companies`` prints, and which heavy modules it imported."""
    import ast
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", LIST_AND_MODULES, "--db", str(db), *args, "companies"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    *lines, modules = proc.stdout.splitlines()
    return lines, str(ast.literal_eval(modules)) + proc.stderr


def test_the_light_list_knows_every_migration():
    """hrdd.company_list reads a database plainly only when it has exactly the Store's migrations."""
    from hrdd.company_list import MIGRATION_SET, MIGRATIONS
    from hrdd.storage import migrations

    assert (MIGRATION_SET, list(MIGRATIONS)) == (migrations.name, [m.name for m in migrations._migrations])


def test_companies_on_a_current_database_imports_nothing_heavy(tmp_path, bundle):
    db = tmp_path / "hrdd.db"
    store = Store(db)
    ids = fill(store, 3)
    store.set_completed(store.start_assessment(ids[0], bundle.questionnaire("due_diligence"), "fr"))
    store.set_archived(ids[2], True)
    store.close()
    expected = CliRunner().invoke(main, ["--db", str(db), "--lang", "fr", "companies"]).output.splitlines()
    lines, heavy = companies_in_a_process(db, "--lang", "fr")
    assert lines == expected and heavy == "[]"
    assert len(lines) == 3 and any(line.split()[0] == str(ids[0]) and "Firma 000  (1 évaluation terminée" in line
                                   for line in lines)
    assert lines[-1].startswith("(1 entreprise archivée")


def test_companies_on_an_old_database_upgrades_it(tmp_path, bundle):
    """An older schema is not read plainly: the Store migrates it (with its dated copy), then lists it."""
    from sqlite_utils import Database

    from hrdd.storage import migrations

    db = tmp_path / "old.db"
    old = Database(db)
    migrations.apply(old, stop_before="0006_profile_v2")
    old["companies"].insert({"name": "Old Bakery", "created": "2025-01-02", "updated": "2025-01-02", "uid": "u1"})
    old.close()
    lines, heavy = companies_in_a_process(db)
    assert lines == ["    1  Old Bakery  (0 completed assessments, updated 2025-01-02)"]
    assert "sqlite_utils" in heavy and "The database was upgraded" in heavy
    assert [m.name for m in migrations.applied(Database(db))] == [m.name for m in migrations._migrations]
    assert list(tmp_path.glob("old.db.*.bak"))
