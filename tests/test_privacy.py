"""Privacy: the benchmark never shows a figure resting on fewer than k companies (shares on both
sides, after every filter, and across a sector and its pack); exports carry only declared
fields; a pack is plain files installed where it belongs and never replaces a bundled module."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from hrdd.answers import Answer
from hrdd.benchmark import Benchmark, GroupTooSmall, compute_benchmark, write_csv
from hrdd.cli import main
from hrdd.demo import create_demo
from hrdd.exchange import ExportFile, export_assessment
from hrdd.loader import LoadError
from hrdd.models import Profile
from hrdd.packs import install_pack, installed_packs, remove_pack, with_packs
from hrdd.paths import questionnaires_dir
from hrdd.report.benchmark_pdf import render_benchmark_pdf
from hrdd.storage import Store

EXAMPLE = questionnaires_dir() / "example-pack"
K = 5


def member(store: Store, questionnaire, nace: str, policy: str, grievance: str = "yes") -> int:  # type: ignore[no-untyped-def]
    """A completed assessment of the mini module: policy none/draft/adopted; an adopted or draft policy
    is approved only when adopted; grievance "no" raises a high red flag."""
    company = store.create_company(Profile(name=f"Secret member {random.random()}", nace=nace))
    assessment = store.start_assessment(company, questionnaire, "en")
    store.save_answer(assessment, Answer(question_id="policy", value=policy))
    if policy != "none":
        store.save_answer(assessment, Answer(question_id="approved", value="yes" if policy == "adopted" else "no"))
    store.save_answer(assessment, Answer(question_id="grievance", value=grievance))
    store.set_completed(assessment)
    return company


def group(store: Store, questionnaire, nace: str, policies: list[str], flags: int) -> None:  # type: ignore[no-untyped-def]
    with store.write():  # one transaction: quick to build
        for i, policy in enumerate(policies):
            member(store, questionnaire, nace, policy, "no" if i < flags else "yes")


def pdf_text(bench: Benchmark, path: Path) -> str:
    render_benchmark_pdf(bench, "en", path)
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_shares_are_shown_when_k_companies_have_them_and_k_do_not(tmp_path, mini):
    store = Store(tmp_path / "fed.db")
    q = mini.questionnaire("mini")
    group(store, q, "C", ["none"] * 5 + ["draft"] * 5 + ["adopted"] * 5, flags=6)
    [module] = compute_benchmark(store).modules
    assert [(s.key, round(s.share, 2)) for s in module.red_flags] == [("grievance=no", 0.4)]
    assert module.urgent == 0.4
    # "below the expected level": among the companies each question applies to
    assert [(s.key, round(s.share, 2), s.n) for s in module.gaps] == [
        ("policy", 0.67, 15), ("approved", 0.5, 10), ("grievance", 0.4, 15)]
    text = pdf_text(compute_benchmark(store), tmp_path / "b.pdf")
    assert "40 % – No grievance channel" in text and "50 % – Approved by management?" in text


def test_one_company_out_of_six_shows_no_share(tmp_path, mini):
    """Before, "17 %" told every member that exactly one of the six had no grievance channel."""
    store = Store(tmp_path / "fed.db")
    group(store, mini.questionnaire("mini"), "C", ["adopted"] * 6, flags=1)
    bench = compute_benchmark(store)
    [module] = bench.modules
    assert module.red_flags == [] and module.urgent is None and module.hidden >= 1
    assert module.overall is not None and module.overall.n == 6  # the distribution rests on six: shown
    text = pdf_text(bench, tmp_path / "b.pdf")
    assert "17 %" not in text and "83 %" not in text and "No red flag share can be shown." in text
    write_csv(bench, tmp_path / "b.csv", "en")
    assert "grievance" not in (tmp_path / "b.csv").read_text(encoding="utf-8")


def test_a_sector_and_its_pack_never_differ_by_fewer_than_k(tmp_path, mini):
    """ "all" minus "sector C" once showed one company's red flags."""
    store = Store(tmp_path / "fed.db")
    q = mini.questionnaire("mini")
    group(store, q, "C", ["adopted"] * 10, flags=5)
    group(store, q, "F", ["adopted"] * 2, flags=1)
    with pytest.raises(GroupTooSmall, match="the other companies of this pack are fewer than 5"):
        compute_benchmark(store, sector="C")
    result = CliRunner().invoke(main, ["--db", str(store.path), "benchmark", "--sector", "c", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1 and result.output.startswith("Error: the other companies of this pack are fewer")
    group(store, q, "F", ["adopted"] * 3, flags=0)  # now 10 in C, 5 elsewhere, the flag in 5 + 1
    whole, sector = compute_benchmark(store), compute_benchmark(store, sector="C")
    assert [s.key for s in whole.modules[0].red_flags] == ["grievance=no"]  # 6 of 15 have it, 9 do not
    # C alone would pass (5 of 10), but the pack's figure minus C's would show the single F company
    assert sector.modules[0].red_flags == [] and sector.modules[0].hidden


def counts(bench: Benchmark) -> dict[tuple[str, str], tuple[int, int]]:
    """(module, figure key) → (companies with it, companies it is of), for every share shown."""
    out = {}
    for m in bench.modules:
        for kind, shares in (("flag", m.red_flags), ("gap", m.gaps)):
            for s in shares:
                out[(m.questionnaire.id, f"{kind}:{s.key}")] = (round(s.share * s.n), s.n)
        if m.urgent is not None:
            out[(m.questionnaire.id, "urgent")] = (round(m.urgent * m.companies), m.companies)
    return out


def test_no_published_pair_of_groups_isolates_fewer_than_k(tmp_path, mini):
    """Random federations: every share shown rests on k on each side, and so does the difference
    between a sector's figure and its pack's."""
    rng = random.Random(11)
    checked = 0
    for run in range(4):
        store = Store(tmp_path / f"fed{run}.db")
        q = mini.questionnaire("mini")
        with store.write():
            for _ in range(rng.randint(15, 90)):
                member(store, q, rng.choice("CCCFFG"), rng.choice(["none", "draft", "adopted"]),
                       rng.choice(["yes", "yes", "no"]))
        whole = counts(compute_benchmark(store))
        for sector in "CFG":
            try:
                part = counts(compute_benchmark(store, sector=sector))
            except GroupTooSmall:
                continue
            for key, (have, n) in part.items():
                assert have >= K and n - have >= K, (run, sector, key, have, n)
                if key in whole:
                    all_have, all_n = whole[key]
                    rest, rest_have = all_n - n, all_have - have
                    assert rest == 0 or (rest_have >= K and rest - rest_have >= K), (run, sector, key)
                checked += 1
        for key, (have, n) in whole.items():
            assert have >= K and n - have >= K
    assert checked > 20


def test_modules_too_few_companies_answered_are_named_without_figures(tmp_path, mini):
    store = Store(tmp_path / "fed.db")
    q = mini.questionnaire("mini")
    other = q.model_copy(update={"id": "mini_two", "title": q.title.model_copy(update={"en": "Second module"})})
    group(store, q, "C", ["adopted"] * 5 + ["none"] * 5, flags=5)
    group(store, other, "C", ["adopted"] * 3, flags=0)
    bench = compute_benchmark(store)
    assert [m.questionnaire.id for m in bench.modules] == ["mini"]
    assert [(m.id, reason) for m, reason in bench.left_out] == [("mini_two", "few")]
    text = pdf_text(bench, tmp_path / "b.pdf")
    assert "Modules left out" in text and "Second module: fewer than 5 companies answered it" in text


def test_csv_cells_never_start_a_formula(tmp_path, mini):
    store = Store(tmp_path / "fed.db")
    q = mini.questionnaire("mini")
    hostile = q.model_copy(update={"questions": [
        x.model_copy(update={"text": x.text.model_copy(update={"en": '=HYPERLINK("http://evil","x")'})})
        if x.id == "policy" else x for x in q.questions]})
    group(store, hostile, "C", ["none"] * 5 + ["adopted"] * 5, flags=5)
    out = tmp_path / "b.csv"
    write_csv(compute_benchmark(store), out, "en")
    import csv

    cells = [cell for row in csv.reader(out.open(encoding="utf-8")) for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]
    assert not [c for c in cells if c.startswith("-") and not re.fullmatch(r"-?\d+(\.\d+)?", c)]


# --- exports ---------------------------------------------------------------------------------

def declared(model, data, path="") -> list[str]:  # type: ignore[no-untyped-def]
    """Keys in ``data`` that the exchange model does not declare."""
    from pydantic import BaseModel

    extra = []
    fields = model.model_fields
    for key, value in data.items():
        if key not in fields:
            extra.append(f"{path}{key}")
            continue
        annotation = fields[key].annotation
        inner = getattr(annotation, "__args__", (annotation,))
        sub = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if sub is not None and isinstance(value, dict):
            extra += declared(sub, value, f"{path}{key}.")
        elif sub is not None and isinstance(value, list):
            for item in value:
                extra += declared(sub, item, f"{path}{key}[].")
    return extra


def test_an_export_carries_only_declared_fields_and_free_text_only_with_notes(tmp_path, bundle):
    from hrdd.exchange import ExportedAnswer

    db = tmp_path / "member.db"
    store = Store(db)
    other, _ = create_demo(store, bundle, "en", name="Another Client NV")
    store.set_commentary(other, "OTHER-COMMENTARY")
    company, assessment = create_demo(store, bundle, "en", name="Exporter BV")
    store.set_commentary(company, "ADVISER-COMMENTARY: they are hiding something")
    questionnaire = store.questionnaire_of(assessment)
    texts = {qid for qid, a in store.answers(assessment).items() if questionnaire.question(qid).kind == "text"
             and a.value}
    notes = {a.note for a in store.answers(assessment).values() if a.note}
    assert texts and notes  # the demo has both
    runner = CliRunner()
    plain, full = tmp_path / "plain.json", tmp_path / "full.json"
    assert runner.invoke(main, ["--db", str(db), "export", "--assessment", str(assessment), "--out",
                                str(plain)]).exit_code == 0
    assert runner.invoke(main, ["--db", str(db), "export", "--assessment", str(assessment), "--notes", "--out",
                                str(full)]).exit_code == 0
    for path in (plain, full):
        body = path.read_text(encoding="utf-8")
        data = json.loads(body)
        assert declared(ExportFile, data) == []
        assert not [k for a in data["answers"] for k in a if k not in ExportedAnswer.model_fields]
        for secret in ("COMMENTARY", "Another Client", "commentary"):
            assert secret not in body
    plain_data = json.loads(plain.read_text(encoding="utf-8"))
    assert all(a["note"] is None for a in plain_data["answers"])
    assert not {a["question_id"] for a in plain_data["answers"]} & texts
    full_data = json.loads(full.read_text(encoding="utf-8"))
    assert texts <= {a["question_id"] for a in full_data["answers"]}
    assert notes <= {a["note"] for a in full_data["answers"]}
    assert ExportFile.model_validate(plain_data) and export_assessment(store, assessment).notes_included is False


# --- packs ---------------------------------------------------------------------------------

def test_pack_paths_never_leave_the_packs_folder(tmp_path, bundle, isolated):
    install_pack(EXAMPLE, bundle)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep", encoding="utf-8")
    for pack_id, version in (("../victim", None), (str(victim), None), ("example-textiles", "../../../victim"),
                             ("example-textiles", str(victim)), ("example-textiles", ".."), (".", None), ("", None)):
        with pytest.raises(LookupError):
            remove_pack(pack_id, version)
    assert (victim / "keep.txt").exists() and [p.meta.id for p in installed_packs(bundle)] == ["example-textiles"]
    named = tmp_path / "hrdd-pack"
    shutil.copytree(EXAMPLE, named)
    meta = named / "pack.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("id: example-textiles", "id: hrdd"), encoding="utf-8")
    with pytest.raises(LoadError, match="'hrdd' names hrdd's own modules"):
        install_pack(named, bundle)


def test_staging_and_stray_folders_are_never_loaded(tmp_path, bundle, isolated):
    install_pack(EXAMPLE, bundle)
    root = isolated / "data" / "packs" / "example-textiles"
    # a staging folder left by an install killed long ago, holding a newer version
    newer = root / ".new-999999-9.0-deadbeef"
    shutil.copytree(root / "1.0", newer)
    meta = newer / "pack.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "9.0"'), encoding="utf-8")
    legacy = root / ".1.0-abcd1234"  # the staging name of earlier hrdd versions
    shutil.copytree(newer, legacy)
    mislabelled = root / "5.0"  # copied by hand: its pack.yaml says 9.0
    shutil.copytree(newer, mislabelled)
    assert [(p.meta.id, p.meta.version) for p in installed_packs(bundle)] == [("example-textiles", "1.0")]
    assert not newer.exists() and not legacy.exists()  # cleaned up: their processes are gone
    assert with_packs(bundle).packs["due_diligence"] == ("example-textiles", "1.0")


def test_a_pack_never_replaces_a_bundled_module(tmp_path, bundle, isolated):
    # a folder put in the packs folder by hand, holding its own 'due_diligence' module
    folder = isolated / "data" / "packs" / "sneaky" / "1.0"
    folder.mkdir(parents=True)
    (folder / "pack.yaml").write_text((EXAMPLE / "pack.yaml").read_text(encoding="utf-8").replace(
        "id: example-textiles", "id: sneaky"), encoding="utf-8")
    module = (questionnaires_dir() / "due_diligence.yaml").read_text(encoding="utf-8")
    (folder / "due_diligence.yaml").write_text(module.replace("Do you", "Did you"), encoding="utf-8")
    with pytest.raises(LoadError, match="is bundled already"):
        install_pack(folder, bundle)
    current = with_packs(bundle)
    assert current.questionnaire("due_diligence").content_hash() == bundle.questionnaire("due_diligence").content_hash()
    assert "due_diligence" not in current.packs
