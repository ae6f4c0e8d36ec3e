"""hrdd benchmarks: prints figures, asserts nothing.

Run from the repository root:

    .venv/bin/python bench/run.py            # everything (a few minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # smaller batches (100 imports, 20 batch reports)
    .venv/bin/python bench/run.py --worst    # only the worst inputs the limits allow, and hostile ones
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from hrdd.answers import Answer
from hrdd.batch import batch_reports
from hrdd.benchmark import compute_benchmark
from hrdd.demo import create_demo
from hrdd.exchange import export_assessment, import_file
from hrdd.loader import load_bundled
from hrdd.report import render_pdf, report_content, write_report
from hrdd.storage import Store


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float]) -> None:
    med = statistics.median(seconds)
    print(f"{label:<52} median {med * 1000:9.1f} ms  min {min(seconds) * 1000:9.1f} ms  (n={len(seconds)})",
          flush=True)


def once(label: str, fn, count: int, unit: str) -> None:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:9.2f} s   {count / elapsed:9.1f} {unit}/s  (n={count})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--worst", action="store_true", help="only the worst cases of the limits")
    args = parser.parse_args()
    if args.worst:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["HRDD_DATA_DIR"] = str(Path(tmp) / "data")
            bundle = load_bundled()
            store = Store(Path(tmp) / "bench.db")
            _, assessment = create_demo(store, bundle, "nl", modules=["due_diligence"])
            worst_cases(Path(tmp), bundle, store, assessment)
        return
    imports, batch_small, batch_large = (100, 20, 50) if args.quick else (10_000, 100, 1_000)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        os.environ["HRDD_DATA_DIR"] = str(tmpdir / "data")
        show("load bundled questionnaires + catalogue + radar data", timed(load_bundled, 10))
        bundle = load_bundled()
        store = Store(tmpdir / "bench.db")
        company, assessment = create_demo(store, bundle, "nl")
        counter = iter(range(10**9))
        show("save one answer (committed, WAL)",
             timed(lambda: store.save_answer(assessment, Answer(question_id="bench", value=str(next(counter)))), 200))
        show("compute report content (nl)", timed(lambda: report_content(store, bundle, company, "nl"), 20))
        content = report_content(store, bundle, company, "nl")
        show("render one PDF (nl)", timed(lambda: render_pdf(content, tmpdir / "r.pdf"), 10))
        show("one report, read + render (fr)",
             timed(lambda: write_report(store, bundle, company, "fr", tmpdir / "e.pdf"), 10))
        cli = [sys.executable, "-m", "hrdd.cli", "--db", str(tmpdir / "cli.db")]
        show("process: hrdd --help", timed(lambda: subprocess.run(cli + ["--help"], capture_output=True), 5))
        show("process: hrdd companies (no Textual import)",
             timed(lambda: subprocess.run(cli + ["companies"], capture_output=True), 5))
        show("process: import the Textual app module",
             timed(lambda: subprocess.run([sys.executable, "-c", "import hrdd.tui.app"], capture_output=True), 5))

        # advisers: batch reports
        adviser_db = tmpdir / "adviser.db"
        adviser = Store(adviser_db)
        ids = [create_demo(adviser, bundle, "fr", name=f"Client {i}")[0] for i in range(batch_large)]
        adviser.close()
        for n in sorted({batch_small, batch_large}):
            out = tmpdir / f"batch-{n}"
            once(f"batch reports, {n} companies, all cores", lambda: list(batch_reports(adviser_db, ids[:n], "nl", out)),
                 n, "reports")
        once(f"batch reports, {batch_small} companies, 1 process",
             lambda: list(batch_reports(adviser_db, ids[:batch_small], "nl", tmpdir / "batch-1p", workers=1)),
             batch_small, "reports")

        # federations: import exported assessments, then the benchmark over them
        _, clean = create_demo(store, bundle, "nl", name="Exported member")  # no benchmark-only answers
        record = json.loads(export_assessment(store, clean).model_dump_json())
        files = tmpdir / "exports"
        files.mkdir()
        paths = []
        for i in range(imports):
            record["company"]["uid"] = record["assessment"]["uid"] = str(uuid.uuid4())
            record["company"]["profile"]["name"] = f"Member {i}"
            path = files / f"{i}.json"
            path.write_text(json.dumps(record), encoding="utf-8")
            paths.append(path)
        federation = Store(tmpdir / "federation.db")
        once(f"import {imports} exported assessments",
             lambda: [import_file(federation, bundle.questionnaires, p) for p in paths], imports, "files")
        once(f"re-import the same {imports} files (unchanged)",
             lambda: [import_file(federation, bundle.questionnaires, p) for p in paths], imports, "files")
        once(f"sector benchmark over {imports} companies", lambda: compute_benchmark(federation), imports, "companies")
        worst_cases(tmpdir, bundle, store, clean)


def worst_cases(tmpdir: Path, bundle, store: Store, assessment: int) -> None:  # type: ignore[no-untyped-def]
    """The slowest inputs the limits in hrdd/limits.py allow, and hostile ones they refuse."""
    from hrdd.exchange import ImportProblem
    from hrdd.limits import MAX_EXPORT_BYTES, MAX_TEXT_ANSWER, MAX_YAML_BYTES, MAX_YAML_VALUES
    from hrdd.loader import LoadError, load_files

    print("worst cases (limits in hrdd/limits.py)", flush=True)
    # an export at the limits: every answer with the longest note, every text answer as long as allowed
    questionnaire = store.questionnaire_of(assessment)
    for question_id, answer in store.answers(assessment).items():
        question = questionnaire.question(question_id)
        value = "w" * MAX_TEXT_ANSWER if question and question.kind == "text" else answer.value
        store.save_answer(assessment, Answer(question_id=question_id, value=value, dont_know=answer.dont_know and
                                             value == answer.value, note="n" * 20_000))
    record = json.loads(export_assessment(store, assessment, include_notes=True).model_dump_json())
    big = tmpdir / "worst-export.json"
    big.write_text(json.dumps(record), encoding="utf-8")
    worst = Store(tmpdir / "worst.db")
    print(f"  export file at the limits: {big.stat().st_size:,} bytes", flush=True)
    start = time.perf_counter()
    result = import_file(worst, bundle.questionnaires, big)
    show("import the largest export (every note 20,000 chars)", [time.perf_counter() - start])
    show("report of that assessment (nl)", timed(lambda: write_report(worst, bundle, result.company_id, "nl",
                                                                      tmpdir / "worst.pdf"), 1))

    def refused(label: str, body: str | bytes) -> None:
        path = tmpdir / "hostile.json"
        path.write_bytes(body if isinstance(body, bytes) else body.encode())

        def run() -> None:
            try:
                import_file(worst, bundle.questionnaires, path)
            except ImportProblem:
                return
            raise AssertionError(f"{label} was accepted")

        show(f"refuse: {label}", timed(run, 3))

    refused("5 MB of nested lists", "[" * (MAX_EXPORT_BYTES // 2) + "]" * (MAX_EXPORT_BYTES // 2))
    refused("a 5 MB string", json.dumps({**record, "pad": "x" * (MAX_EXPORT_BYTES - big.stat().st_size - 100)}))
    refused("file over the size limit", b" " * (MAX_EXPORT_BYTES + 1))

    def refused_yaml(label: str, text: str) -> None:
        path = tmpdir / "hostile.yaml"
        path.write_text(text, encoding="utf-8")

        def run() -> None:
            try:
                load_files([path])
            except LoadError:
                return
            raise AssertionError(f"{label} was accepted")

        show(f"refuse: {label}", timed(run, 3))

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefghi", "bcdefghij"))
    refused_yaml("alias bomb (9^10 values)", bomb)
    refused_yaml(f"{MAX_YAML_VALUES + 1:,} values", "v: [" + "1, " * MAX_YAML_VALUES + "1]")
    refused_yaml("a YAML file just under 2 MB", "kind: questionnaire\nx: '" + "y" * (MAX_YAML_BYTES - 40) + "'\n")


if __name__ == "__main__":
    main()
