"""The report holds up: long names, 10,000-character notes, rare letters, every module, long labels."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from hrdd.answers import Answer
from hrdd.demo import create_demo
from hrdd.report import write_report

LONG_NAME = ("Przedsiębiorstwo Łódź–Győr Şahin & Françoise Cœur <b>Export</b> " * 4).strip()
NOTE = " ".join(f"Opmerking {i}: leverancier ł ő Ş ç œ besproken en opgevolgd." for i in range(180))[:10_000]


@pytest.fixture
def heavy(store, bundle):
    company, _ = create_demo(store, bundle, "nl", name=LONG_NAME)
    for a in store.assessments(company):
        first = store.questionnaire(a.content_hash).questions[0]
        old = store.answers(a.id)[first.id]
        store.save_answer(a.id, old.model_copy(update={"note": NOTE}))
    return company


def positions(reader: PdfReader) -> list[tuple[int, float, float, str]]:
    found: list[tuple[int, float, float, str]] = []
    for number, page in enumerate(reader.pages, 1):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                found.append((number, cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text))
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_heavy_report_builds_and_nothing_leaves_the_page(tmp_path, store, bundle, heavy, lang):
    out = write_report(store, bundle, heavy, lang, tmp_path / "heavy.pdf", on=date(2026, 11, 25), invariant=True)
    reader = PdfReader(out)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert " ".join(LONG_NAME.split()) in text
    assert text.count(NOTE[:200]) >= 3  # the long note of each module is printed, from its start
    assert NOTE[-60:].strip() in text  # … to its end
    outside = [(p, round(x), round(y), s[:30]) for p, x, y, s in positions(reader)
               if not (0 <= x <= width - 20 and 0 <= y <= height)]
    assert not outside, outside[:5]


def test_same_date_gives_the_same_pdf(tmp_path, store, bundle, heavy):
    first = write_report(store, bundle, heavy, "fr", tmp_path / "a.pdf", on=date(2026, 1, 2), invariant=True)
    second = write_report(store, bundle, heavy, "fr", tmp_path / "b.pdf", on=date(2026, 1, 2), invariant=True)
    assert first.read_bytes() == second.read_bytes()


def test_a_text_answer_as_long_as_allowed_is_printed_whole(tmp_path, store, bundle):
    """A 20,000-character text answer (the limit) made a findings row taller than a page, and
    reportlab stopped the report (LayoutError). Its start stays in the table, the whole text follows it."""
    from hrdd.limits import MAX_TEXT_ANSWER

    company, assessment = create_demo(store, bundle, "nl", modules=["due_diligence"])
    questionnaire = store.questionnaire_of(assessment)
    texts = [q for q in questionnaire.questions if q.kind == "text" and q.id in store.answers(assessment)]
    assert texts, "the demo answers a text question"
    long_text = " ".join(f"Antwoord {i}: leverancier ł ő besproken." for i in range(1000))[:MAX_TEXT_ANSWER]
    store.save_answer(assessment, Answer(question_id=texts[0].id, value=long_text))
    out = write_report(store, bundle, company, "nl", tmp_path / "long.pdf", on=date(2026, 11, 25), invariant=True)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert text.count(long_text[:200]) >= 2  # in the table and below it
    assert long_text[-60:].strip() in text


def test_short_cells_print_user_text_as_typed(tmp_path, store, bundle):
    """A short answer is drawn as a plain line (no markup parsing): markup characters print as
    typed, neither interpreted nor escaped twice."""
    company, assessment = create_demo(store, bundle, "nl", modules=["due_diligence"])
    questionnaire = store.questionnaire_of(assessment)
    [text_question, *_] = [q for q in questionnaire.questions if q.kind == "text" and q.id in store.answers(assessment)]
    typed = "Zie <b>bijlage</b> & co ł"
    store.save_answer(assessment, Answer(question_id=text_question.id, value=typed))
    out = write_report(store, bundle, company, "nl", tmp_path / "short.pdf", on=date(2026, 11, 25), invariant=True)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert typed in text and "&amp;" not in text


def test_the_report_is_written_without_reportlabs_accelerator(tmp_path):
    """rl_accel is a dependency only where it has wheels: without it reportlab's pure-Python
    code writes the same report."""
    script = (
        "import sys; sys.modules['_rl_accel'] = None\n"  # as if it were not installed
        "from datetime import date; from pathlib import Path\n"
        "from hrdd.demo import create_demo; from hrdd.loader import load_bundled; from hrdd.packs import with_packs\n"
        "from hrdd.report import write_report; from hrdd.storage import Store\n"
        "import reportlab.lib.rl_accel as accel\n"
        "assert accel.fp_str.__module__ == 'reportlab.lib.rl_accel', accel.fp_str\n"
        "store = Store(Path(sys.argv[1]) / 'a.db'); bundle = with_packs(load_bundled())\n"
        "company, _ = create_demo(store, bundle, 'fr', modules=['due_diligence'])\n"
        "write_report(store, bundle, company, 'fr', Path(sys.argv[1]) / 'plain.pdf', on=date(2026, 11, 25))\n"
    )
    root = Path(__file__).parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "HRDD_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(tmp_path / "plain.pdf")
    assert len(reader.pages) > 3 and reader.attachments
