"""Stored scores (migration 0008): what the benchmark aggregates in SQL is exactly what the one
scoring function computes, and never stale; the batched import writes whole files or nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from hrdd.benchmark import compute_benchmark, distribution
from hrdd.demo import create_demo, demo_answer
from hrdd.exchange import ImportProblem, export_assessment, import_paths, write_export
from hrdd.scoring import benchmark_figures, score_module
from hrdd.storage import Store, migrations
from tests.companies import COMPANIES, complete, middling


def mixed(question):  # type: ignore[no-untyped-def]
    """Red flags, "don't know" and middling answers in turn, so every stored figure is exercised."""
    mixed.n += 1  # type: ignore[attr-defined]
    return demo_answer(question, mixed.n, "en", red_flag_shown=mixed.n % 3 != 0)  # type: ignore[attr-defined]


mixed.n = 0  # type: ignore[attr-defined]


def fresh(store: Store, assessment_id: int):  # type: ignore[no-untyped-def]
    a = store.assessment(assessment_id)
    return benchmark_figures(store.questionnaire(a.content_hash), store.company(a.company_id).profile,
                             store.answers(assessment_id))


def test_stored_scores_equal_a_fresh_computation_for_four_different_companies(store, bundle):
    seen = []
    for key, (profile, lang) in sorted(COMPANIES.items()):
        for answer in (middling, mixed):
            for assessment in complete(store, bundle, profile, lang, answer)[1]:
                stored = store.stored_scores(assessment)
                assert stored is not None and stored == fresh(store, assessment), (key, assessment)
                a = store.assessment(assessment)
                result = score_module(store.questionnaire(a.content_hash), profile, store.answers(assessment))
                assert (stored.score, stored.level, stored.capped) == (result.score, result.level, result.capped)
                assert [s[:2] for s in stored.steps] == [(s.step, s.score) for s in result.steps]
                seen.append(stored)
    # the companies really differ: several scores, capped and uncapped levels, flags, gaps
    assert len({s.score for s in seen}) >= 5
    assert {s.capped for s in seen} == {True, False}
    assert any(s.red_flags for s in seen) and any(below for s in seen for _q, below in s.questions)


def members(store: Store, bundle, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    """n demo members; the assessment ids of their due-diligence module."""
    out = []
    for i in range(n):
        company, _ = create_demo(store, bundle, "nl", name=f"Member {i}")
        out.append(next(a.id for a in store.assessments(company, "due_diligence")))
    return out


def due_diligence_median(store: Store, assessments: list[int]) -> float:
    return distribution(sorted(fresh(store, a).score for a in assessments)).median


def test_an_answer_changed_after_completion_never_leaves_a_stale_benchmark(store, bundle):
    assessments = members(store, bundle, 6)
    assert all(store.stored_scores(a) is not None for a in assessments)
    before = next(m for m in compute_benchmark(store).modules if m.questionnaire.id == "due_diligence")
    assert before.overall.median == due_diligence_median(store, assessments)
    # three members change answers after completing: their stored scores go at once
    questionnaire = store.questionnaire_of(assessments[0])
    best = {q.id: max(q.options, key=lambda o: o.score).id for q in questionnaire.questions
            if q.scored and q.kind != "multi"}
    for assessment in assessments[:3]:
        for question_id, answer in store.answers(assessment).items():
            if question_id in best:
                store.save_answer(assessment, answer.model_copy(update={"value": best[question_id],
                                                                         "dont_know": False}))
        assert store.stored_scores(assessment) is None  # stale: gone, not kept
    after = next(m for m in compute_benchmark(store).modules if m.questionnaire.id == "due_diligence")
    assert after.overall.median == due_diligence_median(store, assessments) != before.overall.median
    assert all(store.stored_scores(a) == fresh(store, a) for a in assessments)  # stored again, fresh
    # a profile change (the size decides what an answer is worth) and reopening make them stale too
    company = store.assessment(assessments[4]).company_id
    store.update_company(company, store.company(company).profile.model_copy(update={"employees": 400}))
    assert store.stored_scores(assessments[4]) is None
    store.set_completed(assessments[5], False)
    assert store.stored_scores(assessments[5]) is None
    compute_benchmark(store)
    assert store.stored_scores(assessments[4]) == fresh(store, assessments[4])
    assert store.stored_scores(assessments[5]) is None  # open again: not a member any more
    # deleting an assessment removes its stored scores with it
    store.delete_assessment(assessments[0])
    assert store.db.execute("select count(*) from score_steps where assessment_id = ?",
                            [assessments[0]]).fetchone()[0] == 0


def test_a_database_from_before_stored_scores_gets_them_on_its_first_benchmark(tmp_path, bundle):
    path = tmp_path / "old.db"
    store = Store(path)
    members(store, bundle, 5)
    expected = compute_benchmark(store)
    store.close()
    # the database as the version before 0008 left it: no score tables, no triggers, no record
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        conn.execute(f"drop trigger {name}")
    for table in ("score_steps", "score_flags", "score_questions", "scores"):
        conn.execute(f"drop table {table}")
    conn.execute("delete from _sqlite_migrations where name = '0008_stored_scores'")
    conn.commit()
    conn.close()
    upgraded = Store(path)
    assert upgraded.backup is not None and not migrations.pending(upgraded.db)
    assert upgraded.db["scores"].count == 0  # backfilled lazily, by the first benchmark
    assert compute_benchmark(upgraded) == expected
    completed = upgraded.db.execute("select count(*) from assessments where completed is not null").fetchone()[0]
    assert upgraded.db["scores"].count == completed
    upgraded.close()


def counts(store: Store) -> dict[str, int]:
    return {t: store.db[t].count for t in ("companies", "assessments", "answers", "scores", "score_questions")}


def test_one_bad_file_in_a_batch_leaves_no_trace_and_does_not_block_the_others(tmp_path, bundle):
    source = Store(tmp_path / "member.db")
    exported = []
    for i in range(4):
        company, assessment = create_demo(source, bundle, "fr", name=f"Membre {i}")
        exported.append(write_export(export_assessment(source, assessment), tmp_path / f"{i}.json"))
    # refused while written: the assessment's uid exists here already, for another company
    clash = json.loads(exported[0].read_text(encoding="utf-8"))
    clash["company"]["uid"] = "another-company-0001"
    clash["assessment"]["updated"] = "2099-01-01T00:00:00+00:00"
    (tmp_path / "clash.json").write_text(json.dumps(clash), encoding="utf-8")
    # refused before anything is written: an answer to a question the module does not have
    unknown = json.loads(exported[1].read_text(encoding="utf-8"))
    unknown["assessment"]["uid"] = "unknown-question-1"
    unknown["answers"][-1]["question_id"] = "no_such_question"
    (tmp_path / "unknown.json").write_text(json.dumps(unknown), encoding="utf-8")
    paths = [exported[0], tmp_path / "clash.json", exported[1], tmp_path / "unknown.json", tmp_path / "missing.json",
             exported[2], exported[3]]
    federation = Store(tmp_path / "federation.db")
    outcome = dict(import_paths(federation, bundle, paths, batch=3))  # batches across the bad files
    assert [type(outcome[p]).__name__ for p in paths] == ["list", "ImportProblem", "list", "ImportProblem",
                                                           "ImportProblem", "list", "list"]
    assert "for another company" in str(outcome[tmp_path / "clash.json"])
    assert "no_such_question" in str(outcome[tmp_path / "unknown.json"])
    assert "cannot read the file" in str(outcome[tmp_path / "missing.json"])
    assert federation.company_by_uid("another-company-0001") is None  # the refused file left nothing
    after = counts(federation)
    assert after["companies"] == after["assessments"] == after["scores"] == 4
    for path in exported:  # each imported assessment has its answers and its fresh scores
        [result] = outcome[path]
        assert result.status == "imported"
        assert federation.stored_scores(result.assessment_id) == fresh(federation, result.assessment_id)
    # the same files again: nothing changes
    again = dict(import_paths(federation, bundle, exported))
    assert all(r.status == "unchanged" for p in exported for r in again[p]) and counts(federation) == after
    with pytest.raises(ImportProblem, match="for another company"):
        from hrdd.exchange import import_file

        import_file(federation, bundle, tmp_path / "clash.json")
    assert counts(federation) == after
