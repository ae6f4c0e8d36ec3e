"""Packs: a federation's questions installed, answered, exported, imported and updated safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hrdd.answers import Answer
from hrdd.cli import main
from hrdd.exchange import export_assessment, import_file, write_export
from hrdd.loader import LoadError
from hrdd.models import Profile
from hrdd.packs import install_pack, load_pack, with_packs
from hrdd.paths import questionnaires_dir
from hrdd.report.content import ModuleInput, build_content
from hrdd.scoring import score_module
from hrdd.storage import Store

EXAMPLE = questionnaires_dir() / "example-pack"


def test_example_pack_extends_a_bundled_module_without_copying_it(bundle):
    pack = load_pack(EXAMPLE, bundle)
    [module] = pack.questionnaires
    base = bundle.questionnaire("due_diligence")
    ids = [q.id for q in module.questions]
    assert ids.index("textile_tiers") == ids.index("supplier_code") + 1
    assert len(ids) == len(base.questions) + 1
    assert module.question("supplier_code").help.en.startswith("In textiles")
    assert module.version == "1.1+example-textiles.1.0"


def test_install_answer_export_import_gives_identical_scores(tmp_path, bundle):
    install_pack(EXAMPLE, bundle)
    current = with_packs(bundle)
    module = current.questionnaire("due_diligence")
    assert module.question("textile_tiers") is not None and current.packs["due_diligence"] == (
        "example-textiles", "1.0")
    member = Store(tmp_path / "member.db")
    company = member.create_company(Profile(name="Tissage Test", region="wallonia"))
    assessment = member.start_assessment(company, module, "fr", pack=current.packs["due_diligence"])
    member.save_answer(assessment, Answer(question_id="textile_tiers", value="factories"))
    member.save_answer(assessment, Answer(question_id="policy_commitment", dont_know=True))
    record = export_assessment(member, assessment)
    assert (record.questionnaire.pack, record.questionnaire.pack_version) == ("example-textiles", "1.0")
    path = write_export(record, tmp_path / "x.json")
    federation = Store(tmp_path / "federation.db")
    result = import_file(federation, current.questionnaires, path)
    profile = Profile(name="Tissage Test", region="wallonia")
    assert score_module(module, profile, member.answers(assessment)) == \
        score_module(module, profile, federation.answers(result.assessment_id))


def test_a_pack_update_keeps_old_assessments_as_they_were(started, tmp_path, bundle):
    install_pack(EXAMPLE, bundle)
    v1 = with_packs(bundle).questionnaire("due_diligence")
    store = Store(tmp_path / "s.db")
    company, old = started(store, v1, "nl")
    store.save_answer(old, Answer(question_id="textile_tiers", value="mills"))
    # version 1.1 drops the extra question
    newer = tmp_path / "pack-1.1"
    shutil.copytree(EXAMPLE, newer)
    (newer / "pack.yaml").write_text((newer / "pack.yaml").read_text(encoding="utf-8").replace(
        'version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    text = (newer / "textiles.yaml").read_text(encoding="utf-8")
    (newer / "textiles.yaml").write_text(text[:text.index("add_questions:")] + "add_questions: []\n" +
                                         text[text.index("help:\n  - question"):], encoding="utf-8")
    install_pack(newer, bundle)
    v2 = with_packs(bundle).questionnaire("due_diligence")
    assert v2.question("textile_tiers") is None and v2.version.endswith("example-textiles.1.1")
    kept = store.questionnaire(store.assessment(old).content_hash)
    assert kept.question("textile_tiers") is not None  # the old assessment still has its question
    content = build_content(store.company(company).profile, [ModuleInput(kept, store.answers(old))], bundle,
                            "en", __import__("datetime").date(2026, 1, 1))
    answers = [f.answer for m in content.modules for s in m.findings for f in s.findings]
    assert "Down to the weaving and spinning mills" in answers


def test_a_broken_pack_reports_file_and_line_and_installs_nothing(tmp_path, bundle, isolated):
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    path = broken / "textiles.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("after: supplier_code", "after: nowhere"),
                    encoding="utf-8")
    with pytest.raises(LoadError) as info:
        install_pack(broken, bundle)
    [problem] = info.value.problems
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "after: nowhere" in text)
    assert problem.file == str(path) and problem.line == line and "no question 'nowhere'" in problem.message
    assert not (isolated / "data" / "packs").exists()
    result = CliRunner().invoke(main, ["pack", "validate", str(broken)])
    assert result.exit_code == 1 and f"textiles.yaml:{line}:" in result.output


def test_cli_install_and_list(isolated):
    runner = CliRunner()
    assert "Installed pack example-textiles 1.0" in runner.invoke(main, ["pack", "install", str(EXAMPLE)]).output
    assert runner.invoke(main, ["pack", "list"]).output.startswith("example-textiles 1.0")


def test_a_new_assessment_carries_over_unchanged_answers_and_flags_changed_ones(started, tmp_path, bundle):
    install_pack(EXAMPLE, bundle)
    v1 = with_packs(bundle).questionnaire("due_diligence")
    store = Store(tmp_path / "s.db")
    company, old = started(store, v1, "nl")
    store.save_answer(old, Answer(question_id="textile_tiers", value="mills"))
    store.save_answer(old, Answer(question_id="policy_commitment", value="informal"))
    changed_q = v1.model_copy(update={"questions": [
        q.model_copy(update={"text": q.text.model_copy(update={"en": "Changed?"})}) if q.id == "textile_tiers" else q
        for q in v1.questions]})
    new = store.start_assessment(company, changed_q, "nl")
    copied, changed = store.carry_over(old, new)
    assert copied == ["policy_commitment"] and changed == ["textile_tiers"]
    assert set(store.answers(new)) == {"policy_commitment"}


def test_an_extension_question_is_checked_like_any_other(tmp_path, bundle):
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    path = broken / "textiles.yaml"
    text = path.read_text(encoding="utf-8").replace("resources: [duediligence_toolbox, mvo_vlaanderen]",
                                                     "resources: [nowhere]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_pack(broken, bundle)
    [problem] = info.value.problems
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "resources: [nowhere]" in t)
    assert (problem.line, problem.path) == (line, "add_questions[0].question.resources[0]")
    assert "unknown resource id 'nowhere'" in problem.message
