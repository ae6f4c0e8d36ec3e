"""The scorecard: at most two pages to share, with the answer dates and an assessment id that is
the content hash of the data the PDF carries; 'hrdd import report.pdf' reads that data back."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from hrdd.cli import main
from hrdd.storage import Store

LEVELS = {"nl": "Dringend aandacht nodig", "fr": "Attention urgente", "en": "Urgent attention"}


def text_of(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages).replace("\u202f", " ")


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "sc.db"
    result = CliRunner().invoke(main, ["--db", str(db), "demo"])
    assert result.exit_code == 0, result.output
    return db


def report(db, out, *args):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["--db", str(db), "report", "--company", "1", "--date", "2026-12-01",
                                       "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_scorecard_fits_two_pages_with_answer_dates_levels_and_the_assessment_id(tmp_path, demo_db, lang):
    out = report(demo_db, tmp_path / f"sc-{lang}.pdf", "--scorecard", "--lang", lang)
    reader = PdfReader(out)
    assert len(reader.pages) <= 2
    text = text_of(out)
    store = Store(demo_db)
    from datetime import date

    from hrdd.actions import valid_until
    from hrdd.i18n import fmt_date

    for a in store.assessments(1):
        answered = date.fromisoformat(a.completed[:10])
        assert fmt_date(answered, lang, form="medium") in text
        assert fmt_date(valid_until(answered), lang, form="medium") in text
    store.close()
    files = [data for name in sorted(reader.attachments) for data in reader.attachments[name]]
    assert len(files) == 4  # one export file per module
    digest = hashlib.sha256(b"".join(files)).hexdigest()
    assert digest in text  # the printed id is the content hash of the embedded data
    assert LEVELS[lang] in text and "⚠" in text  # capped levels, with a mark that reads without colour
    assert {"nl": "Sterke punten", "fr": "Points forts", "en": "Strengths"}[lang] in text
    assert "(CSDDD)" in text and "§" in text  # the legal rules that concern the company


def test_the_full_report_starts_with_the_scorecard_and_the_id_depends_only_on_the_data(tmp_path, demo_db):
    full = report(demo_db, tmp_path / "full.pdf", "--lang", "en")
    later = CliRunner().invoke(main, ["--db", str(demo_db), "report", "--company", "1", "--date", "2027-02-01",
                                      "--out", str(tmp_path / "later.pdf"), "--lang", "nl"])
    assert later.exit_code == 0
    first_page = " ".join(PdfReader(full).pages[0].extract_text().split())
    assert "scorecard" in first_page
    ids = [re.search(r"[0-9a-f]{64}", text_of(p)).group(0) for p in (full, tmp_path / "later.pdf")]
    assert ids[0] == ids[1]


def test_notes_and_commentary_only_with_notes(tmp_path, demo_db):
    store = Store(demo_db)
    store.set_commentary(1, "Vertrouwelijk: gesprek met de zaakvoerder")
    store.close()
    plain = report(demo_db, tmp_path / "plain.pdf", "--scorecard", "--lang", "nl")
    noted = report(demo_db, tmp_path / "noted.pdf", "--scorecard", "--lang", "nl", "--notes")
    assert "Vertrouwelijk" not in text_of(plain) and "Vertrouwelijk" in text_of(noted)
    for path, included in ((plain, False), (noted, True)):
        for name, [data] in PdfReader(path).attachments.items():
            record = json.loads(data)
            assert record["notes_included"] is included
            assert any(a["note"] for a in record["answers"]) is included, name


def test_import_report_pdf_works_like_importing_the_json(tmp_path, demo_db):
    out = report(demo_db, tmp_path / "r.pdf", "--lang", "fr")
    other = tmp_path / "other.db"
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(other), "import", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count(": imported (") == 4 and "Imported or unchanged: 1; refused: 0" in result.output
    again = runner.invoke(main, ["--db", str(other), "import", str(out)])
    assert again.output.count(": unchanged (") == 4
    source, copy = Store(demo_db), Store(other)
    for a in source.assessments(1):
        twin = copy.assessment_by_uid(a.uid)
        assert twin is not None and twin.completed == a.completed
        questionnaire = source.questionnaire(a.content_hash)
        free_text = {q.id for q in questionnaire.questions if q.kind == "text"}  # left out without --notes
        assert {k: (v.value, v.dont_know) for k, v in copy.answers(twin.id).items()} == \
            {k: (v.value, v.dont_know) for k, v in source.answers(a.id).items() if k not in free_text}
    assert copy.companies()[0].profile == source.company(1).profile
    source.close()
    copy.close()


def test_a_pdf_without_data_or_with_bad_data_is_refused_in_one_line(tmp_path, demo_db):
    out = report(demo_db, tmp_path / "r.pdf", "--lang", "en")
    bare = PdfWriter()
    bare.add_blank_page(200, 200)
    bare.write(tmp_path / "bare.pdf")
    bad = PdfWriter(clone_from=str(out))
    [name] = [n for n in bad.attachments if "children" in n]
    record = json.loads(PdfReader(out).attachments[name][0])
    record["answers"][0]["value"] = "no such option"
    bad._root_object["/Names"]["/EmbeddedFiles"]  # the report really embeds its files
    tampered = PdfWriter()
    tampered.add_blank_page(200, 200)
    for n, [data] in PdfReader(out).attachments.items():
        tampered.add_attachment(n, json.dumps(record).encode() if n == name else data)
    tampered.write(tmp_path / "tampered.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    target = tmp_path / "target.db"
    result = CliRunner().invoke(main, ["--db", str(target), "import", str(tmp_path / "bare.pdf"),
                                       str(tmp_path / "tampered.pdf"), str(tmp_path / "broken.pdf")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines()
             if "refused:" in line and not line.startswith("Imported or unchanged:")]  # not the summary
    assert len(lines) == 3
    assert "carries no hrdd assessment data" in lines[0]
    assert name in lines[1] and "answer to" in lines[1]
    store = Store(target)
    assert store.companies() == []  # nothing of the tampered PDF was written, not even its valid modules
    store.close()


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_each_of_the_five_priorities_says_what_to_do(tmp_path, demo_db, lang):
    """A priority cut at its colon read "Stop it now: —" on page 1 (French: "Mettez-y fin
    maintenant : —"), and one cut at a semicolon ended in a dangling ";"."""
    out = report(demo_db, tmp_path / f"pr-{lang}.pdf", "--scorecard", "--lang", lang)
    text = text_of(out)
    items = re.findall(r"\b[1-5]\. (.*?) — ", text)
    assert len(items) >= 5, text
    for item in items:
        assert not item.rstrip().endswith((":", ";")), item
        assert len(item.split()) >= 4, item
