"""The command line: demo, report and companies, without the TUI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from hrdd.cli import main


def test_demo_then_report_in_dutch(tmp_path):
    db = tmp_path / "cli.db"
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db), "demo"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created demo company 1 ")
    out = tmp_path / "demo-nl.pdf"
    result = runner.invoke(main, ["--db", str(db), "report", "--company", "1", "--lang", "nl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Chocolaterie Demo & Zonen" in text and "Actieplan" in text
    listing = runner.invoke(main, ["--db", str(db), "companies"])
    assert "Chocolaterie Demo & Zonen" in listing.output


def test_report_for_unknown_company_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "report", "--company", "7"])
    assert result.exit_code == 1
    assert "no company with id 7" in result.output


def test_subcommands_never_import_textual(tmp_path):
    code = ("import sys; from hrdd.cli import main\n"
            "try:\n    main(['--db', sys.argv[1], 'companies'])\nexcept SystemExit:\n    pass\n"
            "print('textual' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "y.db")], capture_output=True, text=True)
    assert proc.stdout.strip().endswith("False"), proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["companies", "--help"], ["--version"]])
def test_help_and_version_import_nothing_heavy(tmp_path, args):
    """Nothing heavy before dispatch: the group and the help pages need neither the models nor the readers."""
    code = ("import sys; from hrdd.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "heavy = ('pydantic', 'yaml', 'babel', 'reportlab', 'textual', 'sqlite_utils', 'importlib.metadata')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'importlib.metadata' "
            "or m.startswith('hrdd.') and m not in ('hrdd.cli', 'hrdd.i18n', 'hrdd.paths')))")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env={**os.environ, "HRDD_DB": str(tmp_path / "y.db")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr
    if args == ["--version"]:
        from hrdd import __version__

        assert __version__ in proc.stdout and __version__ != "0.0.0"


def test_a_database_hrdd_cannot_use_is_one_line_from_the_group(tmp_path):
    """The group turns the storage's errors into one line, though it imports the storage only when used."""
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all " * 100)
    result = CliRunner().invoke(main, ["--db", str(damaged), "companies"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.strip() == f"Error: {damaged} is not an hrdd database (it is not an SQLite database file; " \
                                    "is it damaged?)"


def test_default_database_is_in_the_data_folder(isolated):
    result = CliRunner().invoke(main, ["companies"])
    assert result.exit_code == 0
    assert (isolated / "data" / "hrdd.db").exists()


def test_the_core_never_imports_textual():
    code = ("import sys, hrdd.models, hrdd.loader, hrdd.storage, hrdd.scoring, hrdd.report, hrdd.demo, hrdd.cli;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def test_batch_reports_for_every_company_and_a_failure_does_not_stop_the_others(tmp_path):
    from hrdd.models import Profile
    from hrdd.storage import Store

    db = tmp_path / "adviser.db"
    runner = CliRunner()
    for _ in range(3):
        assert runner.invoke(main, ["--db", str(db), "demo"]).exit_code == 0
    Store(db).create_company(Profile(name="No assessment yet"))  # this one cannot have a report
    out = tmp_path / "reports"
    result = runner.invoke(main, ["--db", str(db), "report", "--all", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 1
    assert "Reports written to" in result.output and ": 3; failed: 1." in result.output
    assert "has no assessment yet" in result.output
    assert len(list(out.glob("*.pdf"))) == 3


def test_every_command_in_the_readme_exists_and_has_help():
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    used = set(re.findall(r"^\s*(?:\.venv/bin/)?hrdd ((?:[a-z]+ )*[a-z]+)", readme, flags=re.M))
    runner = CliRunner()
    for words in used:
        parts = [w for w in words.split() if not w.startswith("-")]
        for n in range(len(parts), 0, -1):
            result = runner.invoke(main, parts[:n] + ["--help"])
            if result.exit_code == 0:
                break
        assert result.exit_code == 0, words
    for name, command in main.commands.items():
        assert command.help, name
        assert f"hrdd {name}" in readme, f"'hrdd {name}' is not documented in the README"


def test_report_with_a_fixed_date_is_reproducible(tmp_path):
    db = tmp_path / "d.db"
    runner = CliRunner()
    runner.invoke(main, ["--db", str(db), "demo"])
    outs = []
    for name in ("a.pdf", "b.pdf"):
        out = tmp_path / name
        result = runner.invoke(main, ["--db", str(db), "--lang", "nl", "report", "--company", "1", "--date",
                                      "2026-03-05", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert "5 maart 2026" in PdfReader(tmp_path / "a.pdf").pages[0].extract_text()


def demo_db(tmp_path, n: int = 1):  # type: ignore[no-untyped-def]
    db = tmp_path / "adviser.db"
    for _ in range(n):
        assert CliRunner().invoke(main, ["--db", str(db), "demo"]).exit_code == 0
    return db


def test_report_all_into_a_folder_that_exists_already(tmp_path, bundle):
    from hrdd.demo import create_demo
    from hrdd.storage import Store

    db = tmp_path / "adviser.db"
    store = Store(db)
    for name in ("Client A", "Client B"):
        create_demo(store, bundle, "fr", name=name, modules=["due_diligence"])
    store.close()
    out = tmp_path / "rapports"
    for run in range(2):  # the second run finds the folder (and the reports) there
        result = CliRunner().invoke(main, ["--db", str(db), "report", "--all", "--lang", "fr", "--out", f"{out}/"])
        assert result.exit_code == 0, (run, result.output)
        assert ": 2; failed: 0." in result.output
    assert len(list(out.glob("*.pdf"))) == 2
    single = CliRunner().invoke(main, ["--db", str(db), "report", "--company", "1", "--out", str(out)])
    assert single.exit_code == 0, single.output  # a folder given for one report: the file goes in it
    assert len(list(out.glob("*.pdf"))) == 3
    a_file = out / "x.txt"
    a_file.write_text("x", encoding="utf-8")
    refused = CliRunner().invoke(main, ["--db", str(db), "report", "--all", "--out", str(a_file)])
    assert refused.exit_code == 1 and "must be a folder" in refused.output


def test_assessment_ids_are_listed_and_a_company_is_exported_by_its_id(tmp_path):
    import json

    db = demo_db(tmp_path)
    listing = CliRunner().invoke(main, ["--db", str(db), "assessments", "--company", "1"])
    assert listing.exit_code == 0, listing.output
    rows = listing.output.splitlines()
    assert len(rows) == 4 and all("Chocolaterie Demo & Zonen (1)" in r and "completed" in r for r in rows)
    ids = sorted(int(r.split()[0]) for r in rows)
    single = tmp_path / "one.json"
    result = CliRunner().invoke(main, ["--db", str(db), "export", "--assessment", str(ids[0]), "--out", str(single)])
    assert result.exit_code == 0, result.output
    assert json.loads(single.read_text(encoding="utf-8"))["questionnaire"]["id"] == "due_diligence"
    folder = tmp_path / "exports"
    result = CliRunner().invoke(main, ["--db", str(db), "export", "--company", "1", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    written = sorted(folder.glob("*.json"))
    assert len(written) == 4 and written[0].name.startswith("hrdd-chocolaterie-demo-zonen-")
    modules = {json.loads(p.read_text(encoding="utf-8"))["questionnaire"]["id"] for p in written}
    assert modules == {"due_diligence", "workforce", "children", "forced_labour"}
    neither = CliRunner().invoke(main, ["--db", str(db), "export", "--out", str(single)])
    assert neither.exit_code == 1 and "--assessment ID or --company ID" in neither.output
    unknown = CliRunner().invoke(main, ["--db", str(db), "export", "--company", "9", "--out", str(folder)])
    assert unknown.exit_code == 1 and "no company with id 9" in unknown.output


def test_deleting_a_company_leaves_nothing_of_it_in_the_database_file(tmp_path):
    from hrdd.answers import Answer
    from hrdd.storage import Store

    db = demo_db(tmp_path, 2)
    store = Store(db)
    from hrdd.models import Profile

    gone = store.create_company(Profile(name="Erasmus Leaving Client"))
    other = store.assessments(1)[0]
    mine = store.start_assessment(gone, store.questionnaire(other.content_hash), "en")
    store.save_answer(mine, Answer(question_id="policy_commitment", dont_know=True, note="Erasmus secret note"))
    store.close()
    runner = CliRunner()
    refused = runner.invoke(main, ["--db", str(db), "delete", "company", str(gone)], input="n\n")
    assert refused.exit_code == 1 and "Nothing was changed" in refused.output
    assert Store(db).company(gone).profile.name == "Erasmus Leaving Client"
    result = runner.invoke(main, ["--db", str(db), "delete", "company", str(gone)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Delete company 3 “Erasmus Leaving Client” with its 1 assessment and all its answers?" in result.output
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("adviser.db*"))
    assert b"Erasmus" not in raw
    assert b"Chocolaterie Demo" in raw  # the other companies are still there
    listing = runner.invoke(main, ["--db", str(db), "companies"])
    assert "Erasmus" not in listing.output and listing.output.count("Chocolaterie") == 2
    # one assessment, without a prompt
    [first, *_] = Store(db).assessments(1)
    result = runner.invoke(main, ["--db", str(db), "delete", "assessment", str(first.id), "--yes"])
    assert result.exit_code == 0, result.output
    assert first.id not in {a.id for a in Store(db).assessments(1)}
    assert not Store(db).answers(first.id)
    missing = runner.invoke(main, ["--db", str(db), "delete", "company", "42", "--yes"])
    assert missing.exit_code == 1 and "no company with id 42" in missing.output


def test_messages_follow_the_language(tmp_path):
    db = str(tmp_path / "l.db")
    runner = CliRunner()
    assert "Nog geen ondernemingen" in runner.invoke(main, ["--db", db, "--lang", "nl", "companies"]).output
    result = runner.invoke(main, ["--db", db, "--lang", "fr", "report", "--company", "7"])
    assert result.exit_code == 1
    assert result.output.strip() == "Erreur\u00a0: aucune entreprise avec l'identifiant 7"
    # hrdd --lang decides the messages; the report's own --lang only the report's language
    result = runner.invoke(main, ["--db", db, "--lang", "nl", "report", "--company", "7", "--lang", "fr"])
    assert result.output.strip() == "Fout: geen onderneming met id 7"
    result = runner.invoke(main, ["--db", db, "companies"], env={"HRDD_LANG": "fr_BE.UTF-8"})
    assert "Pas encore d'entreprise" in result.output


def test_questionnaire_schema_needs_a_folder_and_never_writes_into_the_package(tmp_path):
    from hrdd.paths import questionnaires_dir

    bundled = questionnaires_dir() / "schema"
    before = {p.name: p.stat().st_mtime_ns for p in bundled.iterdir()}
    result = CliRunner().invoke(main, ["questionnaire", "schema"])
    assert result.exit_code == 2 and "--out" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in bundled.iterdir()} == before
    result = CliRunner().invoke(main, ["questionnaire", "schema", "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(before)


def test_validating_a_copy_of_the_catalogue_is_no_traceback(tmp_path):
    import shutil

    from hrdd.paths import questionnaires_dir

    copy = tmp_path / "resources.yaml"
    shutil.copy(questionnaires_dir() / "resources.yaml", copy)
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK. Files: 1;")
    # with a questionnaire: the given catalogue takes the bundled one's place
    shutil.copy(questionnaires_dir() / "due_diligence.yaml", tmp_path / "due_diligence.yaml")
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # two catalogues with the same ids: located problems, no traceback
    second = tmp_path / "more.yaml"
    shutil.copy(copy, second)
    result = CliRunner().invoke(main, ["questionnaire", "validate", str(copy), str(second)])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    first_line = result.output.splitlines()[0]
    assert first_line.startswith(f"{second}:") and f"is also used in {copy}" in first_line
    assert re.search(r"\d+ problems? found", result.output) and "Traceback" not in result.output


def test_a_failure_while_writing_the_pdf_keeps_the_earlier_report_and_leaves_no_half_file(tmp_path):
    import os
    import resource
    import signal

    db = demo_db(tmp_path)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-1.4 the earlier report")

    def small_disk() -> None:  # writing past 60 kB fails, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "--db", str(db), "report", "--company", "1", "--out",
                           str(out)], capture_output=True, text=True, preexec_fn=small_disk, env=env)
    assert out.read_bytes() == b"%PDF-1.4 the earlier report"
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == ["report.pdf"]
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: the report could not be written to {out}: File too large"
