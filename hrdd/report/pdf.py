"""Lays a :class:`ReportContent` out as a PDF with reportlab.

Every string that comes from a user or a data file is escaped before it reaches
reportlab's paragraph markup (:func:`esc`), so ``<b>``, ``</para>`` or ``&`` print as
typed. The font is DejaVu Sans (bundled), which covers ł, ő, Ş, œ and the like.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..i18n import colon
from ..paths import fonts_dir
from .content import Link, ReportContent

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
PDF_LANG = {"nl": "nl-BE", "fr": "fr-BE", "en": "en"}
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#1d4e89")
MUTED = colors.HexColor("#52606d")
FLAG = colors.HexColor("#9b1c1c")
LIGHT = colors.HexColor("#e4e7eb")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


def esc(text: str) -> str:
    """Escape text for reportlab paragraph markup; keep line breaks."""
    return escape(text).replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11,
                                   textColor=colors.white),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=22, leading=28,
                                textColor=ACCENT, spaceAfter=10),
        "company": ParagraphStyle("company", parent=base, fontName=FONT_BOLD, fontSize=16, leading=21,
                                  spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=20, textColor=ACCENT,
                             spaceBefore=6, spaceAfter=8, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15, textColor=INK,
                             spaceBefore=10, spaceAfter=5, keepWithNext=True),
        "question": ParagraphStyle("question", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=13,
                                   spaceBefore=6, keepWithNext=True),
        "flag": ParagraphStyle("flag", parent=base, textColor=FLAG, fontName=FONT_BOLD),
        "note": ParagraphStyle("note", parent=base, fontName=FONT_ITALIC, textColor=MUTED, leftIndent=10),
    }


class Heading(Paragraph):
    """A heading that becomes a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int):
        super().__init__(esc(text), style)
        self.outline = (text, key, level)


class _Doc(BaseDocTemplate):
    def afterFlowable(self, flowable: object) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, Heading):
            title, key, level = flowable.outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


def _numbered_canvas(footer_left: str, page_label: str) -> type[Canvas]:
    """A canvas that writes "page x of y" once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7.5)
                self.setFillColor(MUTED)
                self.drawString(18 * mm, 10 * mm, footer_left[:110])
                self.drawRightString(A4[0] - 18 * mm, 10 * mm,
                                     page_label.format(page=self._pageNumber, pages=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def _link_markup(link: Link) -> str:
    return f'<a href={quoteattr(link.url)} color="#1d4e89"><u>{esc(link.name)}</u></a>'


def _table(rows: list[list[object]], widths: list[float], styles: dict[str, ParagraphStyle]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, LIGHT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def render_pdf(content: ReportContent, out: Path, *, invariant: bool = False) -> Path:
    """Write the report to ``out`` and return the path."""
    _register_fonts()
    s = _styles()
    h = content.headings
    out.parent.mkdir(parents=True, exist_ok=True)
    width = A4[0] - 36 * mm
    doc = _Doc(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
               bottomMargin=18 * mm, title=f"{content.title} – {content.company}", author=content.company,
               subject=content.module, creator="hrdd", lang=PDF_LANG[content.lang], displayDocTitle=True,
               invariant=int(invariant))
    doc.addPageTemplates([PageTemplate("page", [Frame(doc.leftMargin, doc.bottomMargin, doc.width,
                                                      doc.height, id="body")])])
    cell = s["cell"]

    story: list[object] = [
        Spacer(1, 30 * mm),
        Paragraph(esc(content.title), s["title"]),
        Paragraph(esc(content.company), s["company"]),
        Table([[Paragraph(esc(k), s["small"]), Paragraph(esc(v), cell)] for k, v in
               [(h["date"], content.date), (h["module"], f"{content.module} ({h['version']} {content.module_version})"),
                *content.profile_lines]],
              colWidths=[55 * mm, width - 55 * mm],
              style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT)])),
        Spacer(1, 12 * mm),
        Paragraph(esc(content.disclaimer), s["small"]),
        PageBreak(),
        Heading(h["summary"], s["h1"], "summary", 0),
        Paragraph(f"<b>{esc(colon(h['overall'], content.lang))}</b> {esc(content.overall_score)} – {esc(content.overall_level)}", s["body"]),
        Paragraph(esc(content.completion), s["small"]),
        Spacer(1, 4),
        Paragraph(esc(content.summary), s["body"]),
        Heading(h["scores"], s["h2"], "scores", 1),
        _table([[Paragraph(esc(x), s["cellhead"]) for x in (h["step"], h["score"], h["level"], h["answered"],
                                                             h["dont_know"])]]
               + [[Paragraph(esc(f"{r.step}. {r.name}"), cell), Paragraph(r.score, cell), Paragraph(esc(r.level), cell),
                   Paragraph(r.answered, cell), Paragraph(str(r.dont_know), cell)] for r in content.steps],
               [70 * mm, 18 * mm, 30 * mm, 28 * mm, width - 146 * mm], s),
        Heading(h["red_flags"], s["h2"], "red_flags", 1),
    ]
    if not content.red_flags:
        story.append(Paragraph(esc(h["no_flags"]), s["body"]))
    for flag in content.red_flags:
        story.append(KeepTogether([
            Paragraph(f"⚠ {esc(colon(flag.severity, content.lang))} {esc(flag.finding)}", s["flag"]),
            Paragraph(esc(flag.action), s["body"]),
            Paragraph(" · ".join(_link_markup(link) for link in flag.links), s["body"]),
            Spacer(1, 4),
        ]))
    story.append(Heading(h["knowledge_gaps"], s["h2"], "knowledge_gaps", 1))
    story.append(Paragraph(esc(h["no_gaps"]), s["body"]) if not content.knowledge_gaps else
                 Paragraph("<br/>".join(f"• {esc(g)}" for g in content.knowledge_gaps), s["body"]))

    story += [CondPageBreak(60 * mm), Heading(h["actions"], s["h1"], "actions", 0)]
    if not content.actions:
        story.append(Paragraph(esc(h["no_actions"]), s["body"]))
    else:
        rows: list[list[object]] = [[Paragraph(esc(x), s["cellhead"]) for x in
                                     ("#", h["priority"], h["action"], h["help"], h["nap"])]]
        for a in content.actions:
            rows.append([
                Paragraph(str(a.number), cell),
                Paragraph(esc(a.priority), s["flag"] if a.urgent else cell),
                [Paragraph(esc(a.action), cell), Paragraph(f"{esc(colon(h['why'], content.lang))} {esc(a.why)}", s["small"])],
                Paragraph("<br/>".join(_link_markup(link) for link in a.links) or "–", cell),
                Paragraph(esc(a.nap) or "–", cell),
            ])
        story.append(_table(rows, [8 * mm, 24 * mm, width - 8 * mm - 24 * mm - 46 * mm - 19 * mm, 46 * mm, 19 * mm], s))

    story += [PageBreak(), Heading(h["findings"], s["h1"], "findings", 0)]
    for step in content.findings:
        story.append(Heading(step.title, s["h2"], f"step-{step.step}", 1))
        for f in step.findings:
            story.append(Paragraph(esc(f.question), s["question"]))
            story.append(Paragraph(f"{esc(colon(h['answer'], content.lang))} {esc(f.answer)}", s["body"]))
            if f.note:
                story.append(Paragraph(f"{esc(colon(h['note'], content.lang))} “{esc(f.note)}”", s["note"]))

    story += [CondPageBreak(50 * mm), Heading(h["method"], s["h1"], "method", 0)]
    story += [Paragraph(esc(p), s["body"]) for p in content.method]
    story += [Spacer(1, 6), Paragraph(esc(content.disclaimer), s["small"])]

    footer = f"{content.company} – {content.date}"
    doc.build(story, canvasmaker=_numbered_canvas(footer, h["page"]))
    return out
