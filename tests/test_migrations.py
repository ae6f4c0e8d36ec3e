"""Upgrading a database made by any earlier version: a dated copy first, then every assessment reportable."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date

import pytest
from pypdf import PdfReader
from sqlite_utils import Database

from hrdd.report import report_content, write_report
from hrdd.storage import Store, migrations

NAMES = [m.name for m in migrations._migrations]
EARLIER = NAMES[:NAMES.index("0005_backfill_snapshots")]


def old_database(path, stage: int, bundle):  # type: ignore[no-untyped-def]
    """A database as hrdd left it when its newest migration was ``EARLIER[stage - 1]``, with data in it:
    one company with an assessment of today's bundled module and one of an older version of it."""
    db = Database(path)
    migrations.apply(db, stop_before=NAMES[stage])
    assert [m.name for m in migrations.applied(db)] == NAMES[:stage]
    columns = set(db["companies"].columns_dict)
    company = {"name": f"Stage {stage} Bakery", "employees": 12, "region": "flanders", "created": "2025-01-02",
               "updated": "2025-01-02"}
    if "products" in columns:
        company |= {"products": json.dumps(["cocoa"]), "sourcing_countries": json.dumps(["CI"])}
    if "uid" in columns:
        company["uid"] = f"company-uid-{stage}"
    db["companies"].insert(company)
    current = bundle.questionnaire("due_diligence")
    older = current.model_copy(update={"version": "0.9"})  # a version no longer shipped
    question = next(q for q in current.questions if q.kind == "single")
    for n, questionnaire in enumerate((older, current)):
        assessment = {"company_id": 1, "questionnaire_id": questionnaire.id,
                      "questionnaire_version": questionnaire.version, "content_hash": questionnaire.content_hash(),
                      "lang": "nl", "started": f"2025-0{n + 1}-01", "updated": f"2025-0{n + 1}-02",
                      "completed": f"2025-0{n + 1}-03"}
        if "uid" in set(db["assessments"].columns_dict):
            assessment["uid"] = f"assessment-uid-{stage}-{n}"
            if questionnaire is current:  # made after 0003: it has its snapshot
                db["questionnaires"].insert({"hash": current.content_hash(), "id": current.id,
                                             "version": current.version, "body": current.model_dump_json(by_alias=True),
                                             "stored": "2025-02-01"})
        db["assessments"].insert(assessment)
        db["answers"].insert({"assessment_id": n + 1, "question_id": question.id,
                              "value": json.dumps(question.options[-1].id), "dont_know": 0,
                              "note": f"note {n}", "answered_at": "2025-01-02"})
    db.close()
    return older, current


@pytest.mark.parametrize("stage", range(1, len(EARLIER) + 1), ids=EARLIER)
def test_upgrade_keeps_a_dated_copy_and_every_assessment_can_be_reported(tmp_path, bundle, stage):
    path = tmp_path / "hrdd.db"
    older, current = old_database(path, stage, bundle)
    store = Store(path)
    assert migrations.pending(store.db) == []
    # the copy: next to the database, dated, holding the database as it was
    assert store.backup is not None and store.backup.parent == tmp_path
    assert re.fullmatch(r"hrdd\.db\.\d{4}-\d{2}-\d{2}T\d{4}\.bak", store.backup.name), store.backup.name
    copy = sqlite3.connect(store.backup)
    assert copy.execute("select count(*) from _sqlite_migrations").fetchone()[0] == stage
    assert copy.execute("select name from companies").fetchall() == [(f"Stage {stage} Bakery",)]
    copy.close()
    # nothing lost
    company = store.company(1)
    assert company.profile.name == f"Stage {stage} Bakery" and company.uid
    assert [a.questionnaire_version for a in store.assessments(1)] == [current.version, "0.9"]
    # every assessment reportable: the older one through today's version of its module, standing in
    assert store.questionnaire(current.content_hash()) == current
    assert store.questionnaire(older.content_hash()).question("policy_commitment") is not None
    kinds = dict(store.db.execute("select hash, backfill from questionnaires").fetchall())
    assert kinds[older.content_hash()] == "stand-in"
    assert kinds[current.content_hash()] == ("exact" if stage < 3 else None)
    for assessment in store.assessments(1):
        content = report_content(store, bundle, 1, "nl", assessment_id=assessment.id)
        assert len(content.modules) == 1 and content.company == f"Stage {stage} Bakery"
    out = write_report(store, bundle, 1, "nl", tmp_path / "older.pdf", on=date(2026, 12, 1), assessment_id=1)
    assert f"Stage {stage} Bakery" in PdfReader(out).pages[0].extract_text()
    store.close()
    # opening it again changes nothing and copies nothing
    again = Store(path)
    assert again.backup is None and len(list(tmp_path.glob("*.bak"))) == 1
    again.close()


def test_a_new_or_empty_database_is_never_copied(tmp_path):
    fresh = Store(tmp_path / "fresh.db")
    assert fresh.backup is None
    fresh.close()
    empty = Database(tmp_path / "empty.db")  # an old schema without any data
    migrations.apply(empty, stop_before=NAMES[2])
    empty.close()
    assert Store(tmp_path / "empty.db").backup is None
    assert list(tmp_path.glob("*.bak")) == []


def test_two_upgrades_in_the_same_minute_keep_both_copies(tmp_path, bundle):
    old_database(tmp_path / "a.db", 2, bundle)
    store = Store(tmp_path / "a.db")
    first = store.backup
    store.close()
    (tmp_path / "a.db").unlink()
    old_database(tmp_path / "a.db", 2, bundle)
    store = Store(tmp_path / "a.db")
    second = store.backup
    store.close()
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()


def test_the_command_line_says_where_the_copy_is(tmp_path, bundle):
    from click.testing import CliRunner

    from hrdd.cli import main

    old_database(tmp_path / "hrdd.db", 1, bundle)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "hrdd.db"), "companies"])
    assert result.exit_code == 0, result.output
    [copy] = tmp_path.glob("*.bak")
    assert f"The database was upgraded; a copy of it as it was is in {copy}" in result.output
    assert "Stage 1 Bakery" in result.output
    assert "upgraded" not in CliRunner().invoke(main, ["--db", str(tmp_path / "hrdd.db"), "companies"]).output
