"""Export an assessment, import it elsewhere: same scores; bad files refused with nothing written."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hrdd.cli import main
from hrdd.exchange import ImportProblem, export_assessment, import_file, write_export
from hrdd.scoring import score_module
from hrdd.storage import Store


@pytest.fixture
def exported(tmp_path, bundle):
    source = Store(tmp_path / "member.db")
    from hrdd.demo import create_demo

    company, assessment = create_demo(source, bundle, "fr")
    path = write_export(export_assessment(source, assessment), tmp_path / "export.json")
    yield source, company, assessment, path
    source.close()


def counts(store):
    return {t: store.db[t].count for t in ("companies", "assessments", "answers")}


def test_round_trip_gives_identical_scores_and_reimport_changes_nothing(tmp_path, bundle, exported):
    source, company, assessment, path = exported
    target = Store(tmp_path / "federation.db")
    first = import_file(target, bundle.questionnaires, path)
    assert first.status == "imported"
    q = bundle.questionnaire("due_diligence")
    before = score_module(q, source.company(company).profile, source.answers(assessment))
    after = score_module(q, target.company(first.company_id).profile, target.answers(first.assessment_id))
    assert before == after
    assert target.assessment(first.assessment_id).completed == source.assessment(assessment).completed
    snapshot = counts(target)
    again = import_file(target, bundle.questionnaires, path)
    assert again.status == "unchanged" and counts(target) == snapshot


def test_notes_leave_only_when_asked(exported):
    source, _, assessment, _ = exported
    assert not any(a.note for a in export_assessment(source, assessment).answers)
    assert any(a.note for a in export_assessment(source, assessment, include_notes=True).answers)


def bad_files(tmp_path, path):
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    files = {"truncated": text[: len(text) // 2], "not_json": "hello",
             "wrong_version": json.dumps({**data, "format_version": 9}),
             "wrong_answer": json.dumps({**data, "answers": [{**data["answers"][0], "value": "nonsense"}]}),
             "extra_field": json.dumps({**data, "secret": "x"}),
             "unknown_questionnaire": json.dumps({**data, "questionnaire": {**data["questionnaire"],
                                                                            "content_hash": "0" * 64}})}
    out = {}
    for name, body in files.items():
        out[name] = tmp_path / f"{name}.json"
        out[name].write_text(body, encoding="utf-8")
    big = tmp_path / "oversized.json"
    big.write_text(" " * 5_000_001, encoding="utf-8")
    out["oversized"] = big
    return out


def test_bad_files_are_refused_with_a_clear_message_and_nothing_written(tmp_path, bundle, exported):
    _, _, _, path = exported
    target = Store(tmp_path / "federation.db")
    empty = counts(target)
    expected = {"truncated": "not valid JSON at line", "not_json": "not valid JSON",
                "wrong_version": "format version 9 is not supported", "wrong_answer": "expected option ids",
                "extra_field": "secret", "unknown_questionnaire": "not installed here",
                "oversized": "are refused"}
    for name, bad in bad_files(tmp_path, path).items():
        with pytest.raises(ImportProblem, match=expected[name]):
            import_file(target, bundle.questionnaires, bad)
        assert counts(target) == empty, name


def test_cli_imports_the_good_files_and_reports_the_bad_one(tmp_path, exported):
    _, _, _, path = exported
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "fed.db"), "import", str(bad), str(path)])
    assert result.exit_code == 1
    assert "bad.json: refused: not valid JSON" in result.output
    assert "export.json: imported" in result.output
    assert "1 imported or unchanged, 1 refused." in result.output
