"""hrdd benchmarks: prints figures, asserts nothing.

Run with: .venv/bin/python bench/run.py  (from the repository root)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hrdd.answers import Answer
from hrdd.demo import create_demo
from hrdd.loader import load_bundled
from hrdd.report import report_content, render_pdf, write_report
from hrdd.storage import Store


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float], per: str = "") -> None:
    med = statistics.median(seconds)
    print(f"{label:<48} median {med * 1000:8.1f} ms  min {min(seconds) * 1000:8.1f} ms  (n={len(seconds)}){per}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        show("load bundled questionnaires + catalogue", timed(load_bundled, 10))
        bundle = load_bundled()
        store = Store(tmpdir / "bench.db")
        company, assessment = create_demo(store, bundle, "nl")
        counter = iter(range(10**9))
        show("save one answer (committed, WAL)",
             timed(lambda: store.save_answer(assessment, Answer(question_id="bench", value=str(next(counter)))), 200))
        show("compute report content (nl)", timed(lambda: report_content(store, bundle, company, "nl"), 20))
        content = report_content(store, bundle, company, "nl")
        show("render PDF (nl)", timed(lambda: render_pdf(content, tmpdir / "r.pdf"), 10))
        show("read + render PDF, end to end (fr)",
             timed(lambda: write_report(store, bundle, company, "fr", tmpdir / "e.pdf"), 10))
        cli = [sys.executable, "-m", "hrdd.cli", "--db", str(tmpdir / "cli.db")]
        show("process: hrdd --help", timed(lambda: subprocess.run(cli + ["--help"], capture_output=True), 5))
        show("process: hrdd companies (no Textual import)",
             timed(lambda: subprocess.run(cli + ["companies"], capture_output=True), 5))
        show("process: import textual app module",
             timed(lambda: subprocess.run([sys.executable, "-c", "import hrdd.tui.app"], capture_output=True), 5))
        store.close()


if __name__ == "__main__":
    main()
