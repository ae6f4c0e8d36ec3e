"""The anonymised sector benchmark: no names, no figure for small groups, medians back in members' reports."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from hrdd.benchmark import GroupTooSmall, compute_benchmark
from hrdd.cli import main
from hrdd.demo import create_demo
from hrdd.packs import with_packs
from hrdd.paths import questionnaires_dir
from hrdd.report import report_content
from hrdd.storage import Store


def members(store, bundle, n):
    return [create_demo(store, bundle, "nl", name=f"Lid nummer {i} <geheim>") for i in range(n)]


def test_groups_under_the_minimum_get_no_figures(tmp_path, bundle):
    store = Store(tmp_path / "fed.db")
    members(store, bundle, 4)
    with pytest.raises(GroupTooSmall, match="4 companies"):
        compute_benchmark(store)
    with pytest.raises(ValueError, match="not lowered"):
        compute_benchmark(store, min_group=3)
    members(store, bundle, 1)
    bench = compute_benchmark(store)
    module = next(m for m in bench.modules if m.questionnaire.id == "due_diligence")
    assert len(bench.modules) >= 3 and module.companies == 5 and module.overall.median == module.overall.q1 == module.overall.q3
    assert not module.red_flags and module.hidden  # every member has them: a share would tell on each one
    with pytest.raises(GroupTooSmall):
        compute_benchmark(store, min_group=6)
    with pytest.raises(GroupTooSmall):
        compute_benchmark(store, sector="F")


def test_cli_writes_pdf_csv_and_pack_figures_without_names(tmp_path, bundle, isolated):
    db = tmp_path / "fed.db"
    store = Store(db)
    members(store, bundle, 5)
    store.close()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--db", str(db), "benchmark", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*.pdf")
    [table] = out.glob("*.csv")
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Médiane" in text
    for content in (text, table.read_text(encoding="utf-8"), (out / "benchmark.yaml").read_text(encoding="utf-8")):
        assert "Lid nummer" not in content and "geheim" not in content
    # a federation publishes the figures in its pack; members see the sector median in their report
    pack = tmp_path / "pack"
    shutil.copytree(questionnaires_dir() / "example-pack", pack)
    shutil.copy(out / "benchmark.yaml", pack / "benchmark.yaml")
    assert CliRunner().invoke(main, ["pack", "install", str(pack)]).exit_code == 0
    current = with_packs(bundle)
    member = Store(tmp_path / "member.db")
    company, _ = create_demo(member, bundle, "en")
    content = report_content(member, current, company, "en")
    assert content.modules[0].sector_note.startswith("Your score:")
    assert "Sector median" in content.modules[0].sector_note
