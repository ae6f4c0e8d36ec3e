"""Answers are on disk the moment they are saved, and an assessment resumes where it stopped."""

from __future__ import annotations

import sqlite3

import pytest

from hrdd.answers import Answer
from hrdd.conditions import first_open_question
from hrdd.models import Profile
from hrdd.storage import NotFound, Store, migrations

PROFILE = Profile(name="Acme <b>& Co</b>", employees=12, region="wallonia", imports_non_eu=True)


def test_schema_is_made_by_migrations_and_applying_twice_changes_nothing(store):
    names = [m.name for m in migrations.applied(store.db)]
    assert names[0] == "0001_initial" and len(names) == len(migrations._migrations)
    assert migrations.pending(store.db) == []
    again = Store(store.path)
    assert [m.name for m in migrations.applied(again.db)] == names
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.db["assessments"].insert({"company_id": 999, "questionnaire_id": "x", "questionnaire_version": "1",
                                        "content_hash": "h", "lang": "en", "started": "s", "updated": "u"})


def test_saved_answer_is_visible_to_another_connection_at_once(store, mini):
    company = store.create_company(PROFILE)
    assessment = store.start_assessment(company, mini.questionnaire("mini"), "fr")
    store.save_answer(assessment, Answer(question_id="policy", value="draft", note="voir <note>"))
    other = sqlite3.connect(store.path)
    row = other.execute("select value, note, dont_know from answers where question_id = 'policy'").fetchone()
    assert row == ('"draft"', "voir <note>", 0)


def test_resume_at_first_unanswered_applicable_question(tmp_path, mini):
    q = mini.questionnaire("mini")
    first = Store(tmp_path / "r.db")
    company = first.create_company(PROFILE)
    assessment = first.start_assessment(company, mini.questionnaire("mini"), "nl")
    first.save_answer(assessment, Answer(question_id="policy", value="none"))
    first.close()
    again = Store(tmp_path / "r.db")
    answers = again.answers(assessment)
    # "approved" only applies once a policy exists, so the next open question is "grievance"
    assert first_open_question(q, again.company(company).profile, answers).id == "grievance"
    assert again.open_assessment(company, "mini").id == assessment


def test_profile_round_trip_and_not_found(store):
    company = store.create_company(PROFILE)
    assert store.company(company).profile == PROFILE
    with pytest.raises(NotFound):
        store.company(company + 1)


def test_answer_replaced_not_duplicated(store, mini):
    company = store.create_company(PROFILE)
    assessment = store.start_assessment(company, mini.questionnaire("mini"), "en")
    store.save_answer(assessment, Answer(question_id="policy", value="none"))
    store.save_answer(assessment, Answer(question_id="policy", dont_know=True))
    answers = store.answers(assessment)
    assert len(answers) == 1 and answers["policy"].dont_know


def test_a_stored_questionnaire_is_validated_once_per_process_and_never_outlives_its_row(tmp_path, mini):
    """Every screen and report read the stored questionnaire JSON and validated it again; now one
    object per content hash is shared, but a hash whose row is gone is still not found."""
    first, second = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    try:
        content_hash = first.save_questionnaire(mini.questionnaire("mini"))
        assert second.save_questionnaire(mini.questionnaire("mini")) == content_hash
        shared = first.questionnaire(content_hash)
        assert second.questionnaire(content_hash) is shared
        assert shared == mini.questionnaire("mini")
        with second.db.conn:
            second.db.execute("delete from questionnaires where hash = ?", [content_hash])
        with pytest.raises(NotFound):
            second.questionnaire(content_hash)
        assert first.questionnaire(content_hash) is shared
    finally:
        first.close()
        second.close()
