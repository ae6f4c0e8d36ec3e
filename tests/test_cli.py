"""The command line: demo, report and companies, without the TUI."""

from __future__ import annotations

import subprocess
import sys

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
    assert "3 report(s) written" in result.output and "1 failed" in result.output
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
