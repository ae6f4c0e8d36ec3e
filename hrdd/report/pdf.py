"""Lays a :class:`ReportContent` out as a PDF with reportlab.

Every string that comes from a user or a data file is escaped before it reaches
reportlab's paragraph markup (:func:`esc`), so ``<b>``, ``</para>`` or ``&`` print as
typed. The font is DejaVu Sans (bundled), which covers ł, ő, Ş, œ and the like.
Charts are vector drawings with value labels, readable in greyscale print.
"""

from __future__ import annotations

import functools
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _Paragraph

from ..actions import HORIZONS, STATUS_MARKS
from ..i18n import colon
from ..paths import fonts_dir
from .content import ActionRow, Link, ModuleSection, ReportContent

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
PDF_LANG = {"nl": "nl-BE", "fr": "fr-BE", "en": "en"}
INK = colors.HexColor("#1f2933")
ACCENT = colors.HexColor("#1d4e89")
MUTED = colors.HexColor("#52606d")
FLAG = colors.HexColor("#9b1c1c")
FLAG_BG = colors.HexColor("#fdf2f2")
LIGHT = colors.HexColor("#e4e7eb")
STRIPE = colors.HexColor("#f5f7fa")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


class Paragraph(_Paragraph):
    """A reportlab Paragraph that lays its lines out once per width: a table asks each cell for
    its size when it measures its rows, again when it draws, and again for each part when it is
    split over pages, and a paragraph's lines depend only on the width (and its text and style,
    which do not change)."""

    _wrapped: tuple[float, float, float, object] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        cached = self._wrapped
        if cached is not None and cached[0] == availWidth and self.__dict__.get("blPara") is cached[3]:
            self.width, self.height = cached[1], cached[2]
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, width, height, self.__dict__.get("blPara"))
        return width, height


class Line(Flowable):
    """One line of plain text, drawn as a one-line Paragraph of the same style would be (same
    height, same baseline), without parsing markup or breaking lines: for table cells whose
    text fits their width (see :meth:`PdfBuilder.cell`). The text is drawn as it is, so it
    needs no escaping."""

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        self.text, self.style = text.replace("\u202f", "\u00a0"), style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab's names)
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        style = self.style
        self.canv.setFillColor(style.textColor)
        self.canv.setFont(style.fontName, style.fontSize)
        self.canv.drawString(0, self.height - style.fontSize, self.text)


def fits_line(text: str, style: ParagraphStyle, width: float) -> bool:
    """Whether a Paragraph of ``text`` would be one line ``width`` points wide, whitespace and all."""
    return (bool(text) and text == text.strip() and "  " not in text and "\n" not in text and "\t" not in text
            and pdfmetrics.stringWidth(text, style.fontName, style.fontSize) < width)


def esc(text: str) -> str:
    """Escape text for reportlab paragraph markup; keep line breaks. reportlab breaks lines at a
    narrow no-break space (U+202F), so French "?" or ":" could start a line: a plain no-break
    space (U+00A0), which it keeps together, takes its place."""
    return escape(text).replace("\n", "<br/>").replace("\u202f", "\u00a0")


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, made once per process (nothing changes them)."""
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, wordWrap="LTR"),
        "cellhead": ParagraphStyle("cellhead", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11,
                                   textColor=colors.white),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=22, leading=28,
                                textColor=ACCENT, spaceAfter=10),
        "sctitle": ParagraphStyle("sctitle", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21,
                                  textColor=ACCENT, spaceAfter=4),
        "company": ParagraphStyle("company", parent=base, fontName=FONT_BOLD, fontSize=16, leading=21,
                                  spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=20, textColor=ACCENT,
                             spaceBefore=14, spaceAfter=8, keepWithNext=True),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=10, spaceAfter=5, keepWithNext=True),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=2, keepWithNext=True),
        "question": ParagraphStyle("question", parent=base, fontName=FONT_BOLD, spaceBefore=6, keepWithNext=True),
        "flag": ParagraphStyle("flag", parent=base, textColor=FLAG, fontName=FONT_BOLD),
        "flagcell": ParagraphStyle("flagcell", parent=base, fontSize=8.5, leading=11, textColor=FLAG,
                                   fontName=FONT_BOLD),
        "tiny": ParagraphStyle("tiny", parent=base, fontSize=7.5, leading=9.5),
        "tinyflag": ParagraphStyle("tinyflag", parent=base, fontSize=7.5, leading=9.5, textColor=FLAG,
                                   fontName=FONT_BOLD),
        "small_ink": ParagraphStyle("small_ink", parent=base, fontSize=8, leading=10.2),
        "tiny_muted": ParagraphStyle("tiny_muted", parent=base, fontSize=7.2, leading=9, textColor=MUTED),
        "find": ParagraphStyle("find", parent=base, fontSize=7.2, leading=8.8),
        "findflag": ParagraphStyle("findflag", parent=base, fontSize=7.2, leading=8.8, textColor=FLAG,
                                   fontName=FONT_BOLD),
        "h3table": ParagraphStyle("h3table", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13,
                                  spaceBefore=6, spaceAfter=2),
        "tinynote": ParagraphStyle("tinynote", parent=base, fontName=FONT_ITALIC, fontSize=7, leading=9,
                                   textColor=MUTED),
        "h2mod": ParagraphStyle("h2mod", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17, textColor=ACCENT,
                                spaceBefore=12, spaceAfter=4, keepWithNext=True),
        "note": ParagraphStyle("note", parent=base, fontName=FONT_ITALIC, textColor=MUTED, leftIndent=10),
        "answer": ParagraphStyle("answer", parent=base, leftIndent=10),
    }


class Heading(Paragraph):
    """A heading that becomes a PDF bookmark and, down to level 1, a table-of-contents entry."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int):
        super().__init__(esc(text), style)
        self.outline = (text, key, level)


TocEntry = tuple[int, str, int, str]
"""(level, title, page, bookmark key) of a heading."""
TOC_FIRST_PAGE = 2
TOC_PER_PAGE = 32
"""Contents lines per page (level-0 lines take 20 pt, level-1 lines 13 pt; a page holds ~680 pt)."""


def toc_pages(entries: int) -> int:
    """How many pages the table of contents needs."""
    return max(1, -(-entries // TOC_PER_PAGE))


class ContentsAnchor(Flowable):
    """Marks the page where the table of contents starts (after the scorecard)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class TocBox(Flowable):
    """Room for a table of contents that fits on one page, so what follows starts below it on the
    same page; the canvas draws the entries in it once every page is known."""

    def __init__(self, height: float, marks: dict[str, float]):
        super().__init__()
        self.height, self.marks = height, marks

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        self.marks["toc_top"] = y + self.height

    def draw(self) -> None:
        pass


def toc_height(levels: list[int]) -> float:
    """The height the contents entries take (see ``draw_toc``)."""
    return 12 + sum(16 if level == 0 else 13 for level in levels) + 4 * max(0, levels.count(0) - 1) + 6


class _Doc(BaseDocTemplate):
    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.headings: list[TocEntry] = []
        self.marks: dict[str, float] = {"contents": TOC_FIRST_PAGE}

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        if isinstance(flowable, ContentsAnchor):
            self.marks["contents"] = self.page
        if isinstance(flowable, Heading):
            title, key, level = flowable.outline
            self.headings.append((level, title, self.page, key))
            self.canv.addOutlineEntry(title, key, level=level, closed=False)


def _embed_files(canvas: Canvas, files: list[tuple[str, bytes]]) -> None:
    """Embed ``files`` (name, bytes) in the PDF being written, as e-invoices embed their XML: the
    catalog's /Names /EmbeddedFiles tree (names sorted), each a /Filespec with a compressed
    /EmbeddedFile stream. Written by reportlab with the rest, instead of re-reading and rewriting
    the whole PDF with pypdf afterwards."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString, PDFZCompress

    doc = canvas._doc
    names: list[object] = []
    for name, data in sorted(files):
        stream = PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile"),
                                          "Params": PDFDictionary({"Size": len(data)})}), data, [PDFZCompress])
        spec = PDFDictionary({"Type": PDFName("Filespec"), "F": PDFString(name), "UF": PDFString(name),
                              "EF": PDFDictionary({"F": doc.Reference(stream)})})
        names += [PDFString(name), doc.Reference(spec)]
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})})


def _numbered_canvas(footer_left: str, page_label: str, headings: list[TocEntry] | None = None,
                     marks: dict[str, float] | None = None,
                     attachments: list[tuple[str, bytes]] | None = None) -> type[Canvas]:
    """A canvas that holds pages back until the end, then writes on each what only the end knows:
    "page x of y", the bookmarks of its headings, and (from page 2) the table of contents.
    One layout pass instead of the two a reportlab TableOfContents needs."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            entries = [h for h in headings or [] if h[0] <= 1]
            chunks = [entries[i:i + TOC_PER_PAGE] for i in range(0, len(entries), TOC_PER_PAGE)]
            annotations: int = self._annotationCount  # type: ignore[has-type]
            first_toc = int((marks or {}).get("contents", TOC_FIRST_PAGE))
            toc_top = (marks or {}).get("toc_top")
            for state in self._pages:
                self.__dict__.update(state)
                self._annotationCount = annotations  # keep link names unique across restored pages
                page = self._pageNumber
                if headings is not None and first_toc > 0 and 0 <= page - first_toc < len(chunks):
                    self.draw_toc(chunks[page - first_toc], first=page == first_toc,
                                  top=toc_top if page == first_toc else None)
                for _level, _title, heading_page, key in headings or []:
                    if heading_page == page:
                        self.bookmarkPage(key)
                annotations = self._annotationCount
                self.setFont(FONT, 7.5)
                self.setFillColor(MUTED)
                self.drawString(18 * mm, 10 * mm, footer_left if len(footer_left) <= 100 else footer_left[:99] + "…")
                self.drawRightString(A4[0] - 18 * mm, 10 * mm, page_label.format(page=page, pages=total))
                super().showPage()
            if attachments:
                _embed_files(self, attachments)
            super().save()

        def draw_toc(self, entries: list[TocEntry], first: bool, top: float | None = None) -> None:
            left, right = 18 * mm + 6, A4[0] - 18 * mm - 6  # the frame's margins and padding
            y = A4[1] - 18 * mm - (56 if first else 20)  # below the "Contents" heading on the first page
            if top is not None:  # in the room a TocBox kept for it
                y = top - 12
            for n, (level, title, page, key) in enumerate(entries):
                size, indent, leading = (10, 0, 16) if level == 0 else (9, 14, 13)
                y -= 4 if level == 0 and n else 0  # a little air before each section
                number = str(page)
                number_width = pdfmetrics.stringWidth(number, FONT, size)
                text = _fit(title, right - left - indent - number_width - 24, size)
                self.setFont(FONT, size)
                self.setFillColor(INK if level == 0 else MUTED)
                self.drawString(left + indent, y, text)
                self.drawRightString(right, y, number)
                start = left + indent + pdfmetrics.stringWidth(text, FONT, size) + 6
                dots = int((right - number_width - 6 - start) / pdfmetrics.stringWidth(" .", FONT, size))
                if dots > 0:
                    self.drawRightString(right - number_width - 6, y, " ." * dots)
                self.linkRect("", key, (left, y - 3, right, y + size), relative=0, thickness=0)
                y -= leading

    return NumberedCanvas


def _link_markup(link: Link) -> str:
    return f'<a href={quoteattr(link.url)} color="#1d4e89"><u>{esc(link.name)}</u></a>'


def _contact_lines(links: list[Link]) -> list[str]:
    """One line per help route that has a contact line (phone, form, e-mail): printed under it."""
    return [f"{esc(link.name)} – {esc(link.contact)}" for link in links if link.contact]


LONG_NOTE = 600
"""Notes and text answers longer than this are printed in full below the findings table (a cell
cannot split, and a table row taller than a page stops the report)."""


def _shortened(text: str) -> str:
    """The start of a long note or answer, for its table cell (the whole text follows the table)."""
    return text[:LONG_NOTE // 2].rsplit(" ", 1)[0] + " …"
HEAD_SIZE = 8.5
"""Font size of table headers (style "cellhead")."""
CELL_PADDING = 4


def fit_header(texts: list[str], widths: list[float], padding: float = CELL_PADDING) -> list[float]:
    """Column widths in which every word of every header fits whole: a column too narrow for
    its longest header word is widened, and the room is taken from the widest column."""
    widths = list(widths)
    for i, text in enumerate(texts):
        need = max((pdfmetrics.stringWidth(w, FONT_BOLD, HEAD_SIZE) for w in text.split()), default=0) + 2 * padding + 2
        if widths[i] < need:
            widest = max(range(len(widths)), key=lambda j: widths[j] if j != i else -1)
            widths[widest] -= need - widths[i]
            widths[i] = need
    return widths


def _bare(url: str) -> str:
    """A web address as people write it: without https:// and the trailing slash."""
    return url.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")


def _first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text`` (shortened with "…" past ``limit`` characters). A colon is
    not an end: "Stop it now:" says nothing without what follows. A clause cut at a semicolon
    ends with a full stop, not with a dangling ";"."""
    if ". " in text[:limit]:
        text = text[:text.index(". ") + 1]
    elif "; " in text[:limit]:
        text = text[:text.index("; ")].rstrip(" \u00a0\u202f") + "."
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _table(rows: list[list[object]], widths: list[float], header: bool = True, padding: float = CELL_PADDING) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, LIGHT),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, STRIPE]),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), min(padding, 3)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), min(padding, 3)),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), ACCENT))
    table.setStyle(TableStyle(commands))
    return table


def bar_chart(labels: list[str], values: list[int | None], width: float, label_width: float,
              flagged: list[bool] | None = None) -> Drawing:
    """Horizontal bars from 0 to 100 with the value written at the end of each bar.

    A flagged bar (a level capped by an open red flag) is drawn in the red-flag colour and its
    label starts with "(!)", so the mark survives black-and-white printing."""
    flagged = flagged or [False] * len(labels)
    labels = [f"(!) {label}" if mark else label for label, mark in zip(labels, flagged)]
    row = 16
    height = row * len(labels) + 24
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16
    chart.width, chart.height = width - label_width - 30, row * len(labels)
    chart.data = [[v or 0 for v in reversed(values)]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 25
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = LIGHT
    chart.categoryAxis.categoryNames = [""] * len(labels)
    chart.categoryAxis.visibleTicks = False
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    for i, mark in enumerate(reversed(flagged)):
        if mark:
            chart.bars[(0, i)].fillColor = FLAG
    chart.barWidth = 9
    chart.barLabelFormat = lambda v: str(int(v))
    chart.barLabels.fontName = FONT_BOLD
    chart.barLabels.fontSize = 7.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    for i, label in enumerate(reversed(labels)):
        text = _fit(label, label_width - 6)
        y = chart.y + row * i + row / 2 - 3
        drawing.add(String(label_width - 4, y, text, fontName=FONT, fontSize=8, textAnchor="end", fillColor=INK))
    for i, value in enumerate(reversed(values)):
        if value is None:
            drawing.add(String(chart.x + 4, chart.y + row * i + row / 2 - 3, "–", fontName=FONT, fontSize=8,
                               fillColor=MUTED))
    return drawing


def _fit(text: str, width: float, size: float = 8) -> str:
    """``text`` shortened with "…" to fit ``width`` points: the longest start of it that fits
    with the "…", found by halving (a width only grows with each character)."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    fits, too_long = 0, len(text)  # text[:fits] + "…" fits (or fits == 0); text[:too_long] + "…" does not
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", FONT, size) > width:
            too_long = middle
        else:
            fits = middle
    return text[:fits].rstrip() + "…"


class PdfBuilder:
    """Builds the story (the list of flowables) of one report."""

    def __init__(self, content: ReportContent, notes: bool = True, marks: dict[str, float] | None = None):
        self.notes = notes
        self.marks = marks
        self.c = content
        self.h = content.headings
        self.s = _styles()
        self.width = A4[0] - 36 * mm
        self.story: list[Flowable] = []

    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(esc(text), self.s[style])

    def cell(self, text: str, style: str, width: float, padding: float) -> Flowable:
        """A table cell of plain ``text``: a :class:`Line` when it fits the column on one line,
        else a Paragraph (about a third of a report's cells are short: a number, a date, a level)."""
        if fits_line(text, self.s[style], width - 2 * padding):
            return Line(text, self.s[style])
        return self.para(text, style)

    def label(self, text: str) -> str:
        return colon(text, self.c.lang)

    def build_scorecard(self) -> list[Flowable]:
        self.scorecard()
        return self.story

    def build(self) -> list[Flowable]:
        self.scorecard()
        self.story.append(PageBreak())
        self.contents()
        contents_at = len(self.story)
        self.summary()
        self.radar()
        self.action_plan()
        for module in self.c.modules:
            self.module(module)
        self.backlog()
        self.appendix()
        levels = [f.outline[2] for f in self.story if isinstance(f, Heading) and f.outline[2] <= 1]
        if toc_pages(len(levels)) == 1 and self.marks is not None:  # the summary starts below the contents
            self.story[contents_at - 1] = TocBox(toc_height(levels), self.marks)
        else:
            self.story[contents_at:contents_at] = [PageBreak()] * (toc_pages(len(levels)) - 1)  # a long list
        return self.story

    def scorecard(self) -> None:
        """At most two pages to share: who, when, the level per module, strengths, priorities, rules."""
        c, h, s = self.c, self.h, self.s
        sc = c.scorecard
        assert sc is not None
        self.story += [Heading(sc.title, s["sctitle"], "scorecard", 0), self.para(c.company, "company"),
                       self.para(sc.profile), self.para(h["sc_report"].format(date=c.date), "tiny"),
                       Paragraph(f"{esc(self.label(h['sc_id']))} "
                                 f"<font name='{FONT_BOLD}'>{esc(sc.assessment_id or '–')}</font>", s["tiny"]),
                       Spacer(1, 6)]
        head = [h["module"], h["level"], h["score"], h["sc_flags"], h["sc_answered"], h["sc_valid"]]
        fixed = [0, 36 * mm, 16 * mm, 46 * mm, 22 * mm, 22 * mm]
        fixed[0] = self.width - sum(fixed)
        header, widths = self.head(head, fixed)
        rows: list[list[object]] = [header]
        for line in sc.modules:
            styles = ["cell", "flagcell" if line.capped else "cell", "cell", "flagcell" if "⚠" in line.flags else "cell",
                      "cell", "cell"]
            texts = [line.module, line.level, line.score, line.flags, line.answered, line.valid_until]
            rows.append([self.cell(x, style, w, CELL_PADDING) for x, style, w in zip(texts, styles, widths)])
        self.story += [_table(rows, widths), Spacer(1, 2), self.para(sc.levels, "tiny")]
        self.story.append(Paragraph(esc(h["sc_strengths"]), s["h3"]))
        self.story.append(Paragraph("<br/>".join(f"✓ {esc(x)}" for x in sc.strengths) or esc(h["sc_no_strengths"]),
                                    s["small_ink"]))
        self.story.append(Paragraph(esc(h["sc_priorities"]), s["h3"]))
        if not c.top_actions:
            self.story.append(self.para(h["no_actions"]))
        for a in c.top_actions:
            owner = a.owner or a.role
            self.story.append(Paragraph(
                f"<b>{a.number}.</b> {esc(_first_sentence(a.action, 150))} <font color='#52606d'>— {esc(a.priority)}"
                f" · {esc(owner)} · {esc(self.label(h['due']))} {esc(a.due)} · {self.status_line(a)}</font>",
                s["small_ink"]))
        self.story.append(Paragraph(esc(h["sc_rules"]), s["h3"]))
        self.story.append(Paragraph("<br/>".join(f"§ {esc(x)}" for x in sc.rules) or esc(h["no_legal"]), s["small_ink"]))
        if self.notes and c.commentary:
            self.story += [Paragraph(esc(h["commentary"]), s["h3"]), self.para(c.commentary)]
        self.story += [Spacer(1, 6), self.para(f"{h['sc_id_note']} {c.disclaimer}", "tiny")]

    def profile(self) -> None:
        """The whole profile, as a two-column table (the scorecard has it in one line)."""
        c, h = self.c, self.h
        rows = [(h["module"], c.versions), *c.profile_lines]
        self.story += [Heading(h["profile"], self.s["h2"], "profile", 1),
                       Table([[self.para(k, "tiny"), self.para(v, "tiny")] for k, v in rows],
                             colWidths=[55 * mm, self.width - 55 * mm],
                             style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT)]))]

    def contents(self) -> None:
        """The heading here; the entries are drawn by the canvas when all pages are known."""
        self.story += [ContentsAnchor(), self.para(self.h["contents"], "h1"), PageBreak()]

    def summary(self) -> None:
        """Readable in thirty seconds: one sentence per module, the red flags, the knowledge gaps."""
        c, h, s = self.c, self.h, self.s
        self.story.append(Heading(h["summary"], s["h1"], "summary", 0))
        self.story += [Paragraph(f"• {esc(line)}", s["body"]) for line in c.summary]
        if c.scorecard is not None:
            self.story.append(self.para(c.scorecard.levels, "tiny"))
        if c.commentary:
            self.story += [Heading(h["commentary"], s["h2"], "commentary", 1), self.para(c.commentary)]
        scored = [m for m in c.modules if m.score is not None]
        if len(scored) > 1:
            self.story += [Spacer(1, 4), bar_chart([m.short for m in scored], [m.score for m in scored],
                                                    self.width, 60 * mm, [m.capped for m in scored])]
        elif scored:
            module = scored[0]
            self.story += [Spacer(1, 4), bar_chart([f"{r.step}. {r.name}" for r in module.steps],
                                                    [r.score for r in module.steps], self.width, 75 * mm)]
        self.story.append(Heading(h["red_flags"], s["h2"], "red_flags", 1))
        if not c.red_flags:
            self.story.append(self.para(h["no_flags"]))
        numbers = {a.action: a.number for a in c.actions if a.urgent}
        for flag in c.red_flags:
            see = f" — {esc(h['see_action'].format(n=numbers[flag.action]))}" if flag.action in numbers else ""
            box = Table([[[
                Paragraph(f"⚠ {esc(self.label(flag.severity))} {esc(flag.finding)}", s["flagcell"]),
                Paragraph(f"<i>{esc(flag.module)}</i>{see}", s["small"]),
            ]]], colWidths=[self.width])
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, FLAG), ("BACKGROUND", (0, 0), (-1, -1), FLAG_BG),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
            self.story += [box, Spacer(1, 3)]
        self.story.append(Heading(h["knowledge_gaps"], s["h2"], "knowledge_gaps", 1))
        gaps = [(m.short, g) for m in c.modules for g in m.knowledge_gaps]
        if not gaps:
            self.story.append(self.para(h["no_gaps"]))
        self.story += [Paragraph(f"? {esc(g)} <i>({esc(short)})</i>", s["tiny"]) for short, g in gaps]

    def radar(self) -> None:
        c, h, s = self.c, self.h, self.s
        self.story += [CondPageBreak(50 * mm), Heading(h["risks"], s["h1"], "risks", 0)]
        if not c.risks:
            self.story.append(self.para(h["no_risks"]))
        else:
            header, widths = self.head([h["product"], h["country"], h["risk"]],
                                       [34 * mm, 40 * mm, self.width - 74 * mm])
            rows: list[list[object]] = [header]
            rows += [[self.cell(r.product, "tiny", widths[0], 3), self.cell(r.country, "tiny", widths[1], 3),
                      Paragraph(f"<b>{esc(r.kind)}</b>" + (f" — {esc(r.detail)}" if r.detail else ""), s["tiny"])]
                     for r in c.risks]
            self.story.append(_table(rows, widths, padding=3))
            sources = list(dict.fromkeys(r.source for r in c.risks))
            self.story.append(Paragraph(f"{esc(self.label(h['source']))} " + "; ".join(esc(x) for x in sources),
                                        s["tiny"]))
        self.story += [CondPageBreak(40 * mm), Heading(h["legal"], s["h1"], "legal", 0),
                       self.para(c.legal_note, "tiny"), Spacer(1, 2)]
        if not c.legal:
            self.story.append(self.para(h["no_legal"]))
        for rule in c.legal:
            verified = "" if rule.verified else f" ({h['not_verified']})"
            block: list[Flowable] = [
                Paragraph(f"§ <b>{esc(rule.name)}</b> — {esc(rule.how)}", s["cell"]),
                self.para(rule.meaning, "tiny"),
            ]
            facts = [*rule.dates, f"{self.label(h['source'])} {rule.source}{verified}"]
            block.append(Paragraph(" · ".join(esc(d) for d in facts), s["tiny"]))
            if rule.links:
                block.append(Paragraph(" · ".join(_link_markup(link) for link in rule.links), s["tiny"]))
                block += [Paragraph(line, s["tiny_muted"]) for line in _contact_lines(rule.links)]
            self.story += [KeepTogether(block), Spacer(1, 4)]

    def head(self, texts: list[str], widths: list[float]) -> tuple[list[object], list[float]]:
        """A header row, and the column widths grown where a header word would not fit whole
        (reportlab would split it mid-word); the room is taken from the widest column."""
        widths = fit_header(texts, widths)
        return [self.cell(x, "cellhead", w, CELL_PADDING) for x, w in zip(texts, widths)], widths

    def table_start(self, rows: list[list[object]], widths: list[float], n: int = 2, extra: float = 0) -> CondPageBreak:
        """A page break unless the header and the first ``n`` rows of a table fit (plus ``extra``
        points for what comes before it): a table never starts with its header alone."""
        probe = _table([list(r) for r in rows[:1 + n]], widths)
        _w, height = probe.wrap(self.width, 10_000)
        return CondPageBreak(height + extra + 6)

    def status_line(self, a: ActionRow) -> str:
        return f"{STATUS_MARKS.get(a.status, '')} {esc(a.status_name)}"

    def plan_rows(self, actions: list[ActionRow], widths: list[float]) -> list[list[object]]:
        h, s = self.h, self.s
        rows: list[list[object]] = []
        for a in actions:
            what: list[Flowable] = [self.para(a.action, "small_ink"),
                                    Paragraph(f"<b>{esc(self.label(h['why']))}</b> {esc(a.why)}", s["tiny_muted"])]
            meta = f"<i>{esc(a.module)}</i>" + (f" · {esc(h['nap'])} {esc(a.nap)}" if a.nap else "")
            if a.links:
                meta += f" · <b>{esc(self.label(h['help']))}</b> " + " · ".join(
                    f"{_link_markup(link)} ({esc(_bare(link.url))})" for link in a.links[:2])
            what.append(Paragraph(meta, s["tiny_muted"]))
            what += [Paragraph(line, s["tiny_muted"]) for line in _contact_lines(a.links[:2])]
            owner = esc(a.owner) if a.owner else f"{esc(a.role)} <i>({esc(h['suggested'])})</i>"
            who = [Paragraph(owner, s["cell"]),
                   Paragraph(f"{esc(self.label(h['due']))} {esc(a.due)}", s["small"]),
                   Paragraph(self.status_line(a), s["cell"])]
            if a.note:
                who.append(Paragraph(f"“{esc(a.note)}”", s["small"]))
            rows.append([self.cell(str(a.number), "cell", widths[0], 3), what, who,
                         [self.para(a.priority, "flagcell" if a.urgent else "cell"), self.para(a.effort, "small")]])
        return rows

    def action_plan(self) -> None:
        c, h, s = self.c, self.h, self.s
        self.story += [Heading(h["actions"], s["h1"], "actions", 0)]
        if not c.actions:
            self.story.append(self.para(h["no_actions"]))
            return
        self.story.append(self.para(h["plan_intro"].format(n=len(c.plan)), "small"))
        head = ["#", h["action"], f"{h['owner']} · {h['due']} · {h['status']}", f"{h['priority']} · {h['effort']}"]
        widths = [8 * mm, self.width - 8 * mm - 36 * mm - 27 * mm, 36 * mm, 27 * mm]
        header, widths = self.head(head, widths)
        first = True
        for horizon in HORIZONS:  # a table per horizon, its name spanning the first row
            chosen = [a for a in c.plan if a.horizon == horizon]
            if not chosen:
                continue
            rows: list[list[object]] = [header, [Paragraph(f"<b>{esc(chosen[0].horizon_name)}</b>", s["cell"]),
                                                 "", "", ""], *self.plan_rows(chosen, widths)]
            table = _table(rows, widths, padding=3)
            table.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1)), ("BACKGROUND", (0, 1), (-1, 1), LIGHT)]))
            start = self.table_start(rows, widths, 2, extra=40 if first else 0)
            if first:
                self.story[-2:-2] = [start]  # before the heading and the intro
            else:
                self.story.append(start)
            self.story += [table, Spacer(1, 4)]
            first = False
        if c.plan_legend:
            self.story += [Paragraph(esc(h["nap_legend"]), s["h3"]), self.legend(c.plan_legend)]

    def legend(self, items: list[tuple[int, str]]) -> Paragraph:
        """The NAP actions cited, run on: "3 Title · 5 Title · …"."""
        return Paragraph(" · ".join(f"<b>{n}</b> {esc(title)}" for n, title in items), self.s["tiny"])

    def backlog(self) -> None:
        """Every action of the plan, one line each (the first ten are described in the plan)."""
        c, h, s = self.c, self.h, self.s
        if not c.backlog:
            return
        self.story += [Heading(h["backlog"], s["h1"], "backlog", 0),
                       self.para(h["backlog_intro"], "tiny"), Spacer(1, 3)]
        head = ["#", h["action"], h["priority"], h["due"], h["status"], h["nap"]]
        fixed = [8 * mm, 0, 31 * mm, 17 * mm, 23 * mm, 16 * mm]
        fixed[1] = self.width - sum(fixed)
        header, widths = self.head(head, fixed)
        room = widths[1] - 2 * 2 - 1
        rows: list[list[object]] = [header]
        for a in c.backlog:
            line = _fit(_first_sentence(a.action), room, 7.5)  # one line each
            texts = [str(a.number), line, _fit(a.priority, widths[2] - 5, 7.5), a.due_short,
                     f"{STATUS_MARKS.get(a.status, '')} {a.status_name}", _fit(a.nap or "–", widths[5] - 5, 7.5)]
            styles = ["tiny", "tiny", "tinyflag" if a.urgent else "tiny", "tiny", "tiny", "tiny"]
            rows.append([self.cell(x, style, w, 2) for x, style, w in zip(texts, styles, widths)])
        self.story[-3:-3] = [self.table_start(rows, widths, 3, extra=50)]
        self.story.append(_table(rows, widths, padding=2))
        if c.backlog_legend:
            self.story += [Paragraph(esc(h["nap_legend_more"]), s["h3"]), self.legend(c.backlog_legend)]

    def module(self, m: ModuleSection) -> None:
        """A module: its level and scores per step, what changed since the previous assessment (if
        there is one), and every answer marked red flag, gap, good or don't know in words."""
        h, s = self.h, self.s
        key = f"module-{m.id}"
        self.story += [CondPageBreak(60 * mm), Heading(m.title, s["h2mod"], key, 0),
                       Paragraph(f"<b>{esc(self.label(h['overall']))}</b> "
                                 f"{esc('–' if m.score is None else f'{m.score}/100')} – {esc(m.level)}"
                                 f" · {esc(m.completion)}", s["small"]),
                       *([self.para("⚠ " + m.cap_note, "small")] if m.capped else []), Spacer(1, 3)]
        extra = ([("change", lambda r: r.change)] if m.previous is not None else []) + \
            ([("sector", lambda r: r.sector)] if m.sector_note else [])
        head = [h["step"], h["score"], h["level"], h["answered"], h["dont_know"]] + [h[k] for k, _ in extra]
        narrow = 20 * mm
        fixed = [17 * mm, 30 * mm, 21 * mm, 21 * mm] + [narrow] * len(extra)
        header, widths = self.head(head, [self.width - sum(fixed), *fixed])
        rows: list[list[object]] = [header]
        for r in m.steps:
            texts = [f"{r.step}. {r.name}", "–" if r.score is None else str(r.score), r.level, r.answered,
                     str(r.dont_know)] + [get(r) for _, get in extra]
            rows.append([self.cell(x, "tiny", w, 2) for x, w in zip(texts, widths)])
        self.story.append(_table(rows, widths, padding=2))
        if m.sector_note:
            self.story.append(self.para(m.sector_note, "tiny"))
        if m.previous is not None:  # progress only when there is an earlier assessment
            self.story.append(Heading(h["progress"], s["h3"], f"{key}-progress", 1))
            self.story.append(self.para(h["previous"].format(date=m.previous), "small"))
            if m.done_since:
                self.story.append(Paragraph(f"<b>{esc(self.label(h['done_since']))}</b><br/>" +
                                            "<br/>".join(f"✓ {esc(x)}" for x in m.done_since), s["small"]))
        self.story.append(Paragraph(esc(h["findings"]), s["h3table"]))  # table_start keeps it with the table
        fixed = [6 * mm, 0, 66 * mm, 20 * mm]
        fixed[1] = self.width - sum(fixed)
        header, widths = self.head([h["step"], h["question"], h["answer"], h["meaning"]], fixed)
        rows = [header]
        started = False
        for step in m.findings:
            for f in step.findings:
                long_answer = len(f.answer) > LONG_NOTE
                answer: list[Flowable] = [self.cell(_shortened(f.answer) if long_answer else f.answer, "find",
                                                    widths[2], 1.5)]
                long_note = f.note is not None and len(f.note) > LONG_NOTE
                if f.note:
                    shown = f.note if not long_note else _shortened(f.note)
                    answer.append(Paragraph(f"<i>“{esc(shown)}”</i>", s["tinynote"]))
                style = "findflag" if f.kind == "red_flag" else "find"
                rows.append([self.cell(str(step.step), "find", widths[0], 1.5), self.para(f.question, "find"), answer,
                             self.cell(f.mark or "–", style, widths[3], 1.5)])
                if long_answer or long_note:  # a long text can run over pages: below the table, not in a cell
                    self.findings_table(rows, widths, started)
                    if long_answer:
                        self.story.append(Paragraph(f"{esc(self.label(h['answer']))} {esc(f.answer)}", s["answer"]))
                    if long_note:
                        self.story.append(Paragraph(f"{esc(self.label(h['note']))} “{esc(f.note or '')}”", s["note"]))
                    rows, started = [header], True
        if len(rows) > 1:
            self.findings_table(rows, widths, started)

    def findings_table(self, rows: list[list[object]], widths: list[float], started: bool) -> None:
        if not started:
            self.story[-1:-1] = [self.table_start(rows, widths, 2, extra=20)]  # with the heading before it
        self.story.append(_table(rows, widths, padding=1.5))

    def appendix(self) -> None:
        c, h, s = self.c, self.h, self.s
        self.story += [CondPageBreak(30 * mm), Heading(h["appendix"], s["h1"], "appendix", 0)]
        self.story += [self.para(p, "tiny") for p in c.method]
        self.profile()
        self.story.append(Heading(h["glossary"], s["h2"], "glossary", 1))
        self.story += [Paragraph(f"<b>{esc(term)}</b> — {esc(text)}", s["tiny"]) for term, text in c.glossary]
        self.story.append(Heading(h["sources"], s["h2"], "sources", 1))
        self.story += [Paragraph(f"• {esc(src)}", s["tiny"]) for src in c.sources]


def render_pdf(content: ReportContent, out: Path, *, invariant: bool = False, scorecard: bool = False,
               notes: bool = True, attachments: list[tuple[str, bytes]] | None = None) -> Path:
    """Write the report (or with ``scorecard`` only its scorecard) to ``out`` and return the path.
    ``notes=False`` leaves the adviser's commentary off the scorecard. ``attachments`` (name, bytes)
    are embedded as files of the PDF, as e-invoices embed their XML."""
    _register_fonts()
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = _Doc(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
               bottomMargin=18 * mm, title=f"{content.title} – {content.company}", author=content.company,
               subject=content.versions, creator="hrdd", lang=PDF_LANG[content.lang], displayDocTitle=True,
               invariant=int(invariant))
    doc.addPageTemplates([PageTemplate("page", [Frame(doc.leftMargin, doc.bottomMargin, doc.width,
                                                      doc.height, id="body")])])
    builder = PdfBuilder(content, notes=notes, marks=doc.marks)
    story = builder.build_scorecard() if scorecard else builder.build()
    footer = f"{content.company} – {content.date}"
    if scorecard:
        doc.marks["contents"] = 0  # no table of contents
    doc.build(story, canvasmaker=_numbered_canvas(footer, content.headings["page"], doc.headings, doc.marks,
                                                  attachments))
    return out
