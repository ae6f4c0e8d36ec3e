"""Floor for reports: a plain reportlab document with hrdd's fonts (hrdd/fonts, DejaVu Sans) and a
given number of pages — headings, paragraphs and one table per page, nothing else.

    python bench/floor_reportlab.py PAGES [DOCS [JOBS]]   # DOCS documents over a pool of JOBS processes

prints the CPU per page of one warm document, or the pages per second of the pool.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import emit, median

FONTS = Path(__file__).resolve().parent.parent / "hrdd" / "fonts"
_styles = None


def _setup():  # type: ignore[no-untyped-def]
    global _styles
    if _styles is None:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, file in (("FloorSans", "DejaVuSans.ttf"), ("FloorSans-Bold", "DejaVuSans-Bold.ttf"),
                           ("FloorSans-Oblique", "DejaVuSans-Oblique.ttf")):
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
        pdfmetrics.registerFontFamily("FloorSans", normal="FloorSans", bold="FloorSans-Bold",
                                      italic="FloorSans-Oblique", boldItalic="FloorSans-Bold")
        _styles = (ParagraphStyle("body", fontName="FloorSans", fontSize=10, leading=13, spaceAfter=4),
                   ParagraphStyle("h", fontName="FloorSans-Bold", fontSize=14, leading=18, spaceAfter=6))
    return _styles


def build(pages: int, out: Path) -> int:
    """Write a ``pages``-page document to ``out``; return the page count reportlab reports."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    body, head = _setup()
    text = ("Due diligence means that a company identifies, prevents and mitigates the adverse impacts "
            "of its activities on people, and accounts for how it does so: <i>élan, œuvre, Łódź, Ősz</i>. ")
    story = []
    for p in range(pages):
        story.append(Paragraph(f"Section {p + 1}", head))
        for i in range(6):
            story.append(Paragraph(f"<b>{i + 1}.</b> " + text * 2, body))
        rows = [[Paragraph(f"Action {p}.{r}", body), Paragraph(text, body), Paragraph("Q3", body)] for r in range(3)]
        table = Table(rows, colWidths=[90, 300, 60])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        if p < pages - 1:
            story.append(PageBreak())
    doc = SimpleDocTemplate(str(out), pagesize=A4, title="floor")
    doc.build(story)
    return doc.page


def per_page_cpu(pages: int, out: Path, repeat: int = 3) -> dict:  # type: ignore[type-arg]
    build(pages, out)  # warm: fonts registered, modules imported
    cpu, wall = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        got = build(pages, out)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return {"pages": got, "cpu": median(cpu), "wall": median(wall), "cpu_per_page": median(cpu) / got}


def _one(args: tuple[int, str]) -> int:
    pages, out = args
    return build(pages, Path(out))


def pool(pages: int, docs: int, jobs: int, folder: Path) -> dict:  # type: ignore[type-arg]
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(jobs) as ex:
        total = sum(ex.map(_one, [(pages, str(folder / f"{i}.pdf")) for i in range(docs)]))
    wall = time.perf_counter() - t0
    return {"pages": total, "wall": wall, "pages_per_s": total / wall, "jobs": jobs}


if __name__ == "__main__":
    import tempfile

    pages = int(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 2:
            emit(pool(pages, int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2, Path(tmp)))
        else:
            emit(per_page_cpu(pages, Path(tmp) / "floor.pdf"))
