"""The sector benchmark as a PDF: distributions per module and step, red flags, common gaps."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from ..benchmark import Benchmark
from ..i18n import fmt_date, fmt_number, t, translations
from ..scoring import step_name
from .pdf import PDF_LANG, _numbered_canvas, _register_fonts, _styles, _table, esc


def render_benchmark_pdf(bench: Benchmark, lang: str, out: Path) -> Path:
    _register_fonts()
    s = _styles()
    out.parent.mkdir(parents=True, exist_ok=True)
    title = t("Sector benchmark", lang)
    doc = BaseDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                          bottomMargin=18 * mm, title=title, author=bench.pack, lang=PDF_LANG[lang], creator="hrdd")
    doc.addPageTemplates([PageTemplate("page", [Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)])])
    width = doc.width

    def pct(share: float) -> str:
        return f"{fmt_number(round(100 * share), lang)} %"

    story: list[object] = [
        Paragraph(esc(title), s["title"]),
        Paragraph(esc(t("Pack: {pack} · sector: {sector} · {n} companies · {date}", lang).format(
            pack=bench.pack, sector=bench.sector or t("all", lang), n=bench.companies,
            date=fmt_date(bench.on, lang))), s["body"]),
        Paragraph(esc(t("Anonymised: no company is named, and no figure is shown for a group of fewer than "
                        "{n} companies.", lang).format(n=bench.min_group)), s["small"]),
        Paragraph(esc(t("A share is shown only when at least {n} companies have it and at least {n} do not.", lang)
                      .format(n=bench.min_group)), s["small"]),
        Spacer(1, 8),
    ]
    head = [t("Step", lang), "n", t("First quartile", lang), t("Median", lang), t("Third quartile", lang)]
    for m in bench.modules:
        q = m.questionnaire
        story.append(Paragraph(esc(q.title.get(lang)), s["h1"]))
        rows: list[list[object]] = [[Paragraph(esc(x), s["cellhead"]) for x in head]]
        items = ([(t("Whole module", lang), m.overall)] if m.overall else []) + [
            (f"{step}. {t(step_name(q, step), lang)}", d) for step, d in m.steps.items()]
        for label, d in items:
            rows.append([Paragraph(esc(label), s["cell"])] + [Paragraph(esc(fmt_number(v, lang)), s["cell"])
                                                               for v in (d.n, d.q1, d.median, d.q3)])
        story.append(_table(rows, [width - 4 * 26 * mm] + [26 * mm] * 4))
        if m.urgent is not None:
            story.append(Paragraph(esc(t("Level capped at “Urgent attention” by an open critical or high red flag: "
                                         "{share} of companies.", lang).format(share=pct(m.urgent))), s["body"]))
        story.append(Paragraph(esc(t("Share of companies with each red flag", lang)), s["h2"]))
        story += [Paragraph(esc(f"{pct(share)} – {finding.get(lang)}"), s["body"]) for finding, share, _k, _n
                  in m.red_flags] or [Paragraph(esc(t("No red flag share can be shown.", lang)), s["body"])]
        story.append(Paragraph(esc(t("Most common gaps", lang)), s["h2"]))
        story.append(Paragraph(esc(t("Share of the companies a question applies to whose answer is below what is "
                                     "expected of a company of their size, or “don't know”.", lang)), s["small"]))
        story += [Paragraph(esc(f"{pct(share)} – {question.get(lang)}"), s["body"]) for question, share, _k, _n
                  in m.gaps] or [Paragraph(esc(t("No gap share can be shown.", lang)), s["body"])]
        if m.hidden:
            story.append(Paragraph(esc(translations(lang).ngettext(
                "{n} more red flag or gap is not shown: fewer than {k} companies have it, or fewer than {k} do not.",
                "{n} more red flags or gaps are not shown: fewer than {k} companies have them, or fewer than {k} "
                "do not.", m.hidden).format(n=m.hidden, k=bench.min_group)), s["small"]))
    if bench.left_out:
        story.append(Paragraph(esc(t("Modules left out", lang)), s["h1"]))
        reasons = {"few": t("fewer than {k} companies answered it", lang),
                   "rest": t("fewer than {k} companies of the rest of the pack answered it", lang)}
        story += [Paragraph(esc(f"{q.title.get(lang)}: {reasons[reason].format(k=bench.min_group)}"), s["body"])
                  for q, reason in bench.left_out]
    doc.build(story, canvasmaker=_numbered_canvas(f"{title} – {bench.pack}", t("Page {page} of {pages}", lang)))
    return out
