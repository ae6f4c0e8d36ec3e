"""The action plan is a plan: stable keys, horizons, owners, due dates, at most ten in the report,
the rest in the annex, NAP numbers explained; table headers never split mid-word."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from hrdd.actions import (
    EFFORT_NAMES,
    PLAN_SIZE,
    PRIORITY_NAMES,
    add_months,
    due_date,
    nap_title,
    owner_role,
)
from hrdd.demo import create_demo
from hrdd.i18n import t
from hrdd.radar import RISK_HELP
from hrdd.report import report_content, write_report
from hrdd.report.pdf import FONT_BOLD, HEAD_SIZE, fit_header

DAY = date(2026, 12, 1)


@pytest.fixture
def demo(store, bundle):
    company, _ = create_demo(store, bundle, "en")
    return company


def pages_text(reader: PdfReader) -> list[str]:
    return [" ".join((p.extract_text() or "").split()).replace("\u202f", " ") for p in reader.pages]


def test_keys_are_stable_unique_and_say_what_they_are(store, bundle, demo):
    english = report_content(store, bundle, demo, "en", DAY).actions
    dutch = report_content(store, bundle, demo, "nl", DAY).actions
    keys = [a.key for a in english]
    assert len(keys) == len(set(keys))
    assert keys == [a.key for a in dutch]  # the same actions in the same order, whatever the language
    modules = {a.questionnaire_id for a in store.assessments(demo)}
    for a in english:
        module, rest = a.key.split(":", 1)
        if a.kind == "radar":
            assert module == "radar" and bundle.reference.product(rest) is not None
        else:
            assert module in modules and ":" not in rest.removesuffix(":red_flag")
            assert rest.endswith(":red_flag") == (a.kind == "red_flag")


def test_horizons_follow_the_plan_order_and_red_flags_are_now(store, bundle, demo):
    plan = report_content(store, bundle, demo, "en", DAY).actions
    order = {"now": 0, "3m": 1, "12m": 2}
    horizons = [order[a.horizon] for a in plan]
    assert horizons == sorted(horizons)
    assert all(a.horizon == "now" for a in plan if a.kind == "red_flag")
    assert {a.horizon for a in plan} == {"now", "3m", "12m"}


def test_due_dates_count_from_the_day_the_answers_were_given(store, bundle, demo):
    answered = date.fromisoformat(store.assessments(demo)[0].completed[:10])
    plan = report_content(store, bundle, demo, "en", DAY).actions
    first = plan[0]
    assert first.horizon == "now" and first.due_on == date.fromordinal(answered.toordinal() + 14)
    assert due_date("3m", date(2026, 11, 30)) == date(2027, 2, 28)
    assert due_date("12m", date(2028, 2, 29)) == date(2029, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_suggested_owner_fits_the_size_of_the_company():
    assert owner_role("workforce", 1, "accidents", "gap", (), "micro") == "owner"
    assert owner_role("workforce", 4, "accidents", "gap", (), "small") == "prevention"
    assert owner_role("forced_labour", 2, "fl_supply_chain_risk", "gap", (), "medium") == "purchasing"
    assert owner_role("children", 2, "anything", "gap", {"products"}, "medium") == "purchasing"
    assert owner_role("workforce", 3, "fair_wages", "gap", (), "medium") == "hr"
    assert owner_role("workforce", 3, "fair_wages", "red_flag", (), "medium") == "management"
    assert owner_role("radar", 2, "", "radar", (), "small") == "purchasing"


def test_effort_and_priority_are_two_scales_with_their_own_words():
    for lang in ("nl", "fr", "en"):
        priorities = {t(x, lang) for x in PRIORITY_NAMES.values()}
        efforts = {t(x, lang) for x in EFFORT_NAMES.values()}
        assert len(priorities) == 4 and len(efforts) == 3 and not priorities & efforts, lang


def test_a_red_flag_has_an_effort_not_now(store, bundle, demo):
    plan = report_content(store, bundle, demo, "en", DAY).actions
    flags = [a for a in plan if a.kind == "red_flag"]
    assert flags and all(a.priority == "Urgent" and a.effort in {"Small effort", "Moderate effort", "Large effort"}
                         for a in flags)


def test_every_cited_nap_action_has_a_title_in_three_languages(bundle):
    cited = {n for q in bundle.questionnaires for x in q.questions for n in x.nap}
    cited |= {n for _, numbers in RISK_HELP.values() for n in numbers}
    for lang in ("nl", "fr", "en"):
        missing = sorted(n for n in cited if not nap_title(n, lang))
        assert not missing, (lang, missing)
    assert nap_title(3, "en") == "Contribution to the approach to the use of forced labour in the global value chain"
    assert nap_title(999, "en") is None


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_plan_shows_ten_actions_and_the_annex_every_other(tmp_path, store, bundle, demo, lang):
    content = report_content(store, bundle, demo, lang, DAY)
    assert len(content.plan) == PLAN_SIZE < len(content.actions)
    assert [a.number for a in content.plan] == list(range(1, PLAN_SIZE + 1))
    assert content.plan + content.backlog == content.actions  # nothing lost
    reader = PdfReader(write_report(store, bundle, demo, lang, tmp_path / "r.pdf", on=DAY, invariant=True))
    texts = pages_text(reader)
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline
               if not isinstance(item, list)}
    plan_start = outline[content.headings["actions"]]
    plan_end = min(p for p in outline.values() if p > plan_start)
    plan_text = " ".join(texts[plan_start:plan_end + 1])
    annex = outline[content.headings["backlog"]]
    annex_text = " ".join(texts[annex:outline[content.headings["appendix"]] + 1])
    for a in content.plan:
        assert " ".join(a.action.split())[:60] in plan_text, a.key
        assert a.due in plan_text and a.status_name in plan_text and a.role in plan_text
    for horizon in {a.horizon_name for a in content.plan}:
        assert horizon in plan_text
    # the annex lists every other action, one row each, with its number and the start of its text
    for a in content.backlog:
        assert re.search(rf"(^| ){a.number} ", annex_text), a.number
        assert " ".join(a.action.split())[:18] in annex_text, a.key
    # NAP numbers are explained the first time they appear: under the plan, then under the annex
    for n in {n for a in content.plan for n in a.nap_numbers}:
        assert " ".join(nap_title(n, lang).split())[:40] in plan_text, n
    for n in {n for a in content.backlog for n in a.nap_numbers} - {n for a in content.plan for n in a.nap_numbers}:
        assert " ".join(nap_title(n, lang).split())[:40] in " ".join(texts[annex:]), n


def test_fit_header_widens_a_column_too_narrow_for_a_word():
    from reportlab.pdfbase import pdfmetrics

    from hrdd.report.pdf import _register_fonts

    _register_fonts()
    widths = fit_header(["#", "Beantwoord", "Wat te doen"], [10.0, 20.0, 300.0])
    assert widths[1] >= pdfmetrics.stringWidth("Beantwoord", FONT_BOLD, HEAD_SIZE) + 8
    assert sum(widths) == pytest.approx(330.0)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_no_table_header_word_is_split(tmp_path, store, bundle, demo, lang):
    """Every word of every table header prints whole: no fragment of the text is a mere start of one."""
    content = report_content(store, bundle, demo, lang, DAY)
    out = write_report(store, bundle, demo, lang, tmp_path / "r.pdf", on=DAY, invariant=True)
    h = content.headings
    labels = [h[k] for k in ("step", "score", "level", "answered", "dont_know", "priority", "effort", "action",
                             "owner", "due", "status", "module", "nap", "product", "country", "risk", "source",
                             "answer", "change", "sector") if k in h]
    words = {w.strip("·,()") for label in labels for w in label.split() if len(w.strip("·,()")) >= 4
             and w.strip("·,()").isalpha()}
    fragments: list[str] = []
    for page in PdfReader(out).pages:
        page.extract_text(visitor_text=lambda text, *_: fragments.append(text.strip()))
    split = {f for f in fragments if f and any(w.startswith(f) and w != f and len(f) >= 3 for w in words)
             and f not in words}
    assert not split, split


# --- the rest of the report (issue 10 §3) ------------------------------------------------------

def positions(reader: PdfReader) -> list[list[tuple[float, str]]]:
    """Per page, (y, text) of each piece of text drawn."""
    pages: list[list[tuple[float, str]]] = []
    for page in reader.pages:
        found: list[tuple[float, str]] = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: found.append((cm[5] + tm[5] * cm[3], text.strip()))
                          if text.strip() else None)
        pages.append(found)
    return pages


FOOTER_Y = 40  # the footer line sits at 10 mm (28 pt)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_demo_report_fits_fifteen_pages_without_losing_a_red_flag_or_an_action(tmp_path, store, bundle, demo, lang):
    content = report_content(store, bundle, demo, lang, DAY)
    reader = PdfReader(write_report(store, bundle, demo, lang, tmp_path / "r.pdf", on=DAY, invariant=True))
    assert len(reader.pages) <= 15
    text = " ".join(pages_text(reader))
    for flag in content.red_flags:
        assert " ".join(flag.finding.split())[:50] in text
    assert len(content.plan) + len(content.backlog) == len(content.actions) > 40
    for a in content.plan:
        assert " ".join(a.action.split())[:50] in text
    for a in content.backlog:
        assert re.search(rf"(^| ){a.number} ", text)
    # no heading alone at the bottom of a page, no page left mostly blank after a short section
    titles = [content.headings[k] for k in ("summary", "red_flags", "knowledge_gaps", "risks", "legal", "actions",
                                            "backlog", "appendix", "glossary", "sources", "findings", "profile")]
    titles += [m.title for m in content.modules] + [a.horizon_name for a in content.plan]
    height = float(reader.pages[0].mediabox.height)
    laid = positions(reader)
    for number, found in enumerate(laid, 1):
        body = [(y, s) for y, s in found if y > FOOTER_Y]
        for y, piece in body:
            if any(piece == title or (title.startswith(piece) and len(piece) >= 20) for title in titles):
                below = [s for y2, s in body if y2 < y - 2]
                assert below, (number, piece)
        if number < len(laid) and body:
            assert min(y for y, _ in body) < height / 2, f"page {number} is mostly blank"


def test_summary_says_each_module_in_one_sentence(store, bundle, demo):
    content = report_content(store, bundle, demo, "en", DAY)
    sentences = content.summary[:len(content.modules)]
    for m, sentence in zip(content.modules, sentences):
        assert sentence.startswith(f"{m.short}: {m.level}") and "First: " in sentence and "(action " in sentence
        assert sentence.count(". ") <= 3  # level and driver, then the first thing to do
    assert content.summary[len(content.modules)] == "4 red flags need attention now."


def test_every_answer_is_marked_in_words(tmp_path, store, bundle, demo):
    content = report_content(store, bundle, demo, "en", DAY)
    kinds = [f.kind for m in content.modules for step in m.findings for f in step.findings]
    assert {"red_flag", "gap", "good", "dont_know"} <= set(kinds)
    assert kinds.count("red_flag") == len(content.red_flags)
    assert kinds.count("dont_know") == content.knowledge_gap_count
    text = " ".join(pages_text(PdfReader(write_report(store, bundle, demo, "en", tmp_path / "r.pdf", on=DAY,
                                                      invariant=True))))
    for mark in ("⚠ Red flag", "△ Gap", "✓ Good", "? Don't know"):
        assert mark in text
    assert text.count("⚠ Red flag") == len(content.red_flags)


def test_progress_only_when_there_is_an_earlier_assessment(tmp_path, store, bundle):
    company, first = create_demo(store, bundle, "en", modules=["due_diligence"])
    heading = "Progress since the previous assessment"
    reader = PdfReader(write_report(store, bundle, company, "en", tmp_path / "a.pdf", on=DAY, invariant=True))
    assert heading not in " ".join(pages_text(reader))
    assert all(heading not in getattr(item, "title", "") for item in reader.outline if not isinstance(item, list))
    second = store.start_assessment(company, bundle.questionnaire("due_diligence"), "en")
    store.carry_over(first, second)
    store.set_completed(second)
    reader = PdfReader(write_report(store, bundle, company, "en", tmp_path / "b.pdf", on=DAY, invariant=True))
    text = " ".join(pages_text(reader))
    assert heading in text and "Compared with the assessment of" in text
