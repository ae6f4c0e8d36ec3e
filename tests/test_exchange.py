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
    source, company, assessment, _ = exported
    path = write_export(export_assessment(source, assessment, include_notes=True), tmp_path / "full.json")
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
    assert "Imported or unchanged: 1; refused: 1." in result.output


def test_one_note_limit_for_every_answer_and_export_notes_never_a_traceback(tmp_path, bundle, started):
    from hrdd.answers import Answer, NoteTooLong

    long_note = "n" * 20_001
    with pytest.raises(NoteTooLong, match="longer than 20,000 characters"):
        Answer(question_id="policy_commitment", dont_know=True, note=long_note)  # "don't know" included
    Answer(question_id="policy_commitment", dont_know=True, note="n" * 20_000)
    # a note saved before the limit applied to "don't know" answers is kept, and reported clearly
    store = Store(tmp_path / "old.db")
    _, assessment = started(store, bundle.questionnaire("due_diligence"), "en")
    store.db["answers"].insert({"assessment_id": assessment, "question_id": "policy_commitment", "value": "null",
                                "dont_know": 1, "note": long_note, "answered_at": "2026-01-01T00:00:00+00:00"})
    assert store.answers(assessment)["policy_commitment"].note == long_note
    runner = CliRunner()
    out = tmp_path / "x.json"
    result = runner.invoke(main, ["--db", str(store.path), "export", "--assessment", str(assessment), "--notes",
                                  "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert result.output.strip() == (f"Error: the note to question 'policy_commitment' of assessment {assessment} is "
                                     "longer than 20,000 characters: shorten it, or export without --notes")
    result = runner.invoke(main, ["--db", str(store.path), "export", "--assessment", str(assessment), "--out",
                                  str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["answers"][0]["note"] is None


def test_an_export_is_written_whole_or_not_at_all(tmp_path, exported):
    import os
    import resource
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from hrdd.answers import Answer

    source, _, assessment, path = exported
    for question_id in list(source.answers(assessment))[:4]:  # an export of about 80 kB
        source.save_answer(assessment, Answer(question_id=question_id, dont_know=True, note="n" * 20_000))
    before = path.read_bytes()

    def small_disk() -> None:  # writing past 40 kB fails, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.run([sys.executable, "-m", "hrdd.cli", "--db", str(source.path), "export", "--assessment",
                           str(assessment), "--notes", "--out", str(path)], capture_output=True, text=True,
                          preexec_fn=small_disk, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert path.read_bytes() == before  # the earlier export is intact
    assert sorted(p.name for p in path.parent.iterdir() if "export" in p.name) == ["export.json"]
