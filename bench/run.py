"""hrdd benchmarks side by side with their floors: prints a table, asserts nothing.

Run from the repository root (the harness runs the hrdd of this checkout: ``python -m hrdd.cli``
with this folder on PYTHONPATH, and HRDD_DB / HRDD_DATA_DIR in a temporary folder):

    .venv/bin/python bench/run.py            # the issue-12 sizes: 450 answers, 10,000 imports, 1,000 reports
    .venv/bin/python bench/run.py --quick    # smaller sizes, about 1–2 minutes
    .venv/bin/python bench/run.py --smoke    # tiny sizes: checks that every row runs (used by the tests)
    .venv/bin/python bench/run.py --worst    # only the worst inputs the limits allow, and hostile ones

Every row is hrdd's figure, the floor measured in the same run by a script in bench/, their ratio
and the goal of issue 12. Wall time moves with the machine's load; CPU time moves less, and the
ratios least. A row whose measurement fails prints "error: ..." and the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from _common import median  # noqa: E402

PY = sys.executable
HRDD = [PY, "-m", "hrdd.cli"]


@dataclass
class Sizes:
    answers: int  # answers walked through Pilot
    imports: int  # exported files imported; companies for the TUI start and the benchmark
    reports: int  # companies for report --all
    runs: int  # runs of each short measurement (median)


SIZES = {"full": Sizes(450, 10_000, 1_000, 5), "quick": Sizes(60, 1_000, 20, 3), "smoke": Sizes(4, 12, 2, 1)}


# --- running things -------------------------------------------------------------------------------------
@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the process and the children it waited for
    maxrss_mib: float
    out: str
    err: str


class Failed(Exception):
    pass


def run(cmd: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 3600,
        on_start: Callable[[int], None] | None = None) -> Run:
    """Run ``cmd``; wall from outside, CPU and peak RSS from wait4. Raises Failed with the last line of stderr."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if on_start is not None:
            on_start(proc.pid)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise Failed(f"timed out after {timeout:.0f} s: {' '.join(cmd[:4])}")
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(), err.read())
    if proc.returncode != 0:
        lines = [x for x in result.err.strip().splitlines() if x.strip()] or [f"exit status {proc.returncode}"]
        raise Failed(f"{Path(cmd[1]).name if cmd[1] != '-m' else ' '.join(cmd[2:4])}: {lines[-1][:200]}")
    return result


def script(name: str, *args: object, env: dict[str, str], timeout: float = 3600) -> dict:  # type: ignore[type-arg]
    """Run bench/``name`` and return the JSON it prints on its BENCH line."""
    r = run([PY, str(BENCH / name), *map(str, args)], env, timeout=timeout)
    for line in r.out.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])  # type: ignore[no-any-return]
    raise Failed(f"{name} printed no result")


WARM = True
"""One warm-up run before the measured ones (not in --smoke)."""


def repeated(n: int, fn: Callable[[], Run]) -> tuple[float, float]:
    """Median wall and CPU of ``n`` runs (after one warm-up run)."""
    if WARM:
        fn()
    runs = [fn() for _ in range(n)]
    return median([r.wall for r in runs]), median([r.cpu for r in runs])


def _status(pid: int) -> dict[str, int]:
    fields = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("PPid", "VmHWM", "VmRSS"):
                    fields[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return fields


class RssWatcher(threading.Thread):
    """Polls /proc: peak RSS (VmHWM) of a process and, separately, of its descendants (Linux only)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.parent_kib = 0
        self.worker_kib = 0
        self.workers: set[int] = set()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.parent_kib = max(self.parent_kib, _status(self.pid).get("VmHWM", 0))
            children: dict[int, list[int]] = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    ppid = _status(int(entry)).get("PPid")
                    if ppid is not None:
                        children.setdefault(ppid, []).append(int(entry))
            todo = list(children.get(self.pid, []))
            while todo:
                pid = todo.pop()
                self.workers.add(pid)
                self.worker_kib = max(self.worker_kib, _status(pid).get("VmHWM", 0))
                todo.extend(children.get(pid, []))
            self.done.wait(0.2)


def watched(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[Run, RssWatcher]:
    """Run ``cmd`` with an RssWatcher following it."""
    holder: list[RssWatcher] = []

    def start(pid: int) -> None:
        holder.append(RssWatcher(pid))
        holder[0].start()

    try:
        r = run(cmd, env, cwd, on_start=start)
    finally:
        for w in holder:
            w.done.set()
            w.join()
    return r, holder[0]


# --- formatting ------------------------------------------------------------------------------------------
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def s(seconds: float) -> str:
    if seconds < 1:
        return ms(seconds)
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s"


def x(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b > 0 else "—"


@dataclass
class Row:
    what: str
    hrdd: str = ""
    floor: str = ""
    ratio: str = ""
    goal: str = ""


class Table:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def measure(self, what: str, goal: str, fn: Callable[[Row], None]) -> None:
        row = Row(what, goal=goal)
        try:
            fn(row)
        except Exception as exc:  # noqa: BLE001 — one failing row must not stop the others
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            row.hrdd = f"error: {type(exc).__name__}: {detail}"[:200] if not isinstance(exc, Failed) else \
                f"error: {detail}"[:200]
            if os.environ.get("HRDD_BENCH_TRACE"):
                traceback.print_exc()
        self.rows.append(row)
        print(f"  {row.what}: {row.hrdd} | floor {row.floor or '—'} | {row.ratio or '—'}", file=sys.stderr, flush=True)

    def print(self) -> None:
        print("| what | hrdd | floor (same run) | ratio | goal |")
        print("|---|---|---|---|---|")
        for r in self.rows:
            print(f"| {r.what} | {r.hrdd} | {r.floor or '—'} | {r.ratio or '—'} | {r.goal} |")


# --- data, generated once per run -----------------------------------------------------------------------
@dataclass
class Data:
    tmp: Path
    env: dict[str, str]
    bundle: object = None
    scratch_db: Path | None = None
    full_company: int | None = None  # the demo company: every module that applies, completed
    exports: Path | None = None  # folder of exported assessments (one file each)
    answers_per_file: int = 0
    adviser_db: Path | None = None  # companies for report --all
    federation_db: Path | None = None  # filled by the import row
    report_pages: int = 0

    def hrdd_env(self, db: Path) -> dict[str, str]:
        return {**self.env, "HRDD_DB": str(db)}


def prepare(d: Data, sizes: Sizes) -> None:
    from hrdd.demo import create_demo
    from hrdd.exchange import export_assessment
    from hrdd.loader import load_bundled
    from hrdd.storage import Store

    d.bundle = bundle = load_bundled()
    d.scratch_db = d.tmp / "scratch.db"
    store = Store(d.scratch_db)
    d.full_company, _ = create_demo(store, bundle, "en")  # type: ignore[arg-type]
    _, clean = create_demo(store, bundle, "en", name="Exported member")  # type: ignore[arg-type]
    record = json.loads(export_assessment(store, clean).model_dump_json())
    store.close()
    d.answers_per_file = len(record.get("answers", []))
    d.exports = d.tmp / "exports"
    d.exports.mkdir()
    for i in range(sizes.imports):
        record["company"]["uid"] = record["assessment"]["uid"] = str(uuid.uuid4())
        record["company"]["profile"]["name"] = f"Member {i}"
        (d.exports / f"{i}.json").write_text(json.dumps(record), encoding="utf-8")
    d.adviser_db = d.tmp / "adviser.db"
    adviser = Store(d.adviser_db)
    for i in range(sizes.reports):
        create_demo(adviser, bundle, "en", name=f"Client {i}")  # type: ignore[arg-type]
    adviser.close()


# --- the rows ---------------------------------------------------------------------------------------------
def rows(d: Data, sizes: Sizes, table: Table) -> None:
    n = sizes.runs
    env = d.env

    # (5) CLI start-up, cheap: first, so a failure further down still leaves it
    def cli(row: Row) -> None:
        assert d.adviser_db is not None
        click_wall, click_cpu = repeated(n, lambda: run([PY, "-c", "import click"], env))
        comp_wall, comp_cpu = repeated(n, lambda: run(HRDD + ["companies"], d.hrdd_env(d.adviser_db)))  # type: ignore[arg-type]
        help_wall, help_cpu = repeated(n, lambda: run(HRDD + ["report", "--help"], d.hrdd_env(d.tmp / "empty.db")))
        row.hrdd = (f"companies ({sizes.reports} companies) {ms(comp_wall)} wall, {ms(comp_cpu)} CPU; "
                    f"report --help {ms(help_wall)} wall, {ms(help_cpu)} CPU")
        row.floor = f"python -c 'import click' {ms(click_wall)} wall, {ms(click_cpu)} CPU"
        row.ratio = f"{x(comp_wall, click_wall)} / {x(help_wall, click_wall)} wall, " \
                    f"{x(comp_cpu, click_cpu)} / {x(help_cpu, click_cpu)} CPU"

    table.measure("`hrdd companies`, `hrdd report --help`", "≤ 2×", cli)

    # (3) TUI start, empty database
    floor_start: list[float] = []
    empty_start: list[float] = []

    def start_empty(row: Row) -> None:
        fw, fc = repeated(n, lambda: run([PY, str(BENCH / "floor_textual_start.py")], env))
        floor_start[:] = [fw, fc]
        row.floor = f"minimal Textual app {s(fw)} wall, {s(fc)} CPU"
        hw, hc = repeated(n, lambda: run([PY, str(BENCH / "tui_start.py")], d.hrdd_env(d.tmp / "empty.db")))
        empty_start[:] = [hw, hc]
        row.hrdd = f"{s(hw)} wall, {s(hc)} CPU"
        row.ratio = f"{x(hw, fw)} wall, {x(hc, fc)} CPU"

    table.measure("TUI start to first screen, empty database", "≤ 1.3×", start_empty)

    # (1) and (2) answering, and memory over the walk
    walk: dict[str, dict] = {}  # type: ignore[type-arg]

    def answering(row: Row) -> None:
        walk["floor"] = f = script("floor_inplace.py", sizes.answers, env=env)
        row.floor = (f"in place: CPU {ms(f['p50_cpu'])} / {ms(f['p95_cpu'])}, "
                     f"wall {ms(f['p50_wall'])} / {ms(f['p95_wall'])}")
        walk["hrdd"] = h = script("tui_walk.py", d.tmp / "walk.db", sizes.answers, env=env)
        row.hrdd = (f"{h['samples']} answers: CPU p50 {ms(h['p50_cpu'])}, p95 {ms(h['p95_cpu'])}; "
                    f"wall {ms(h['p50_wall'])} / {ms(h['p95_wall'])}")
        row.ratio = (f"CPU {x(h['p50_cpu'], f['p50_cpu'])} / {x(h['p95_cpu'], f['p95_cpu'])}, "
                     f"wall {x(h['p50_wall'], f['p50_wall'])} / {x(h['p95_wall'], f['p95_wall'])}; "
                     f"p95 wall above the floor's {ms(h['p95_wall'] - f['p95_wall'])}")

    table.measure("key press → answer committed → next question drawn (Pilot; p50 / p95)",
                  "≤ 30 ms p95 wall (idle); ≤ 1.3× the floor", answering)

    def memory(row: Row) -> None:
        if "hrdd" not in walk or "floor" not in walk:
            raise Failed("the walk above did not run")
        h, f = walk["hrdd"], walk["floor"]

        def growth(w: dict) -> str:  # type: ignore[type-arg]
            per = (w["rss_end"] - w["rss_mid"]) / max(1, w["answers"] - w["answers"] // 2) * 100
            return f"{w['rss_start']:.0f} → {w['rss_end']:.0f} MiB (peak {w['rss_peak']:.0f}), " \
                   f"{per:+.1f} MiB/100 answers in the 2nd half"

        row.hrdd = f"{h['answers']} answers: " + growth(h)
        if "widgets_end" in h:
            row.hrdd += (f"; widgets on the question screen {h['widgets_start']} → {h['widgets_end']}, "
                         f"Python objects {h['objects_start']:,} → {h['objects_end']:,}")
        row.floor = growth(f)
        row.ratio = f"{h['rss_end'] - h['rss_start']:+.0f} vs {f['rss_end'] - f['rss_start']:+.0f} MiB"

    table.measure(f"TUI RSS over a {sizes.answers}-answer walk", "flat; ≤ 120 MB after a full walk", memory)

    # (6) one full report, per page
    def one_report(row: Row) -> None:
        import floor_reportlab
        from pypdf import PdfReader

        from hrdd.report import write_report
        from hrdd.storage import Store

        store = Store(d.scratch_db)  # type: ignore[arg-type]
        out = d.tmp / "one.pdf"
        write_report(store, d.bundle, d.full_company, "en", out)  # type: ignore[arg-type]  # warm
        cpu, wall = [], []
        for _ in range(max(2, n)):
            t0, c0 = time.perf_counter(), time.process_time()
            write_report(store, d.bundle, d.full_company, "en", out)  # type: ignore[arg-type]
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - t0)
        store.close()
        pages = d.report_pages = len(PdfReader(out).pages)
        hc = median(cpu)
        one = run(HRDD + ["report", "--company", str(d.full_company), "--out", str(d.tmp / "one-cli.pdf")],
                  d.hrdd_env(d.scratch_db))  # type: ignore[arg-type]
        f = floor_reportlab.per_page_cpu(pages, d.tmp / "floor.pdf", repeat=max(2, n))
        row.hrdd = (f"{pages} pages: {ms(hc / pages)} CPU per page ({s(hc)} per report, warm); "
                    f"`hrdd report` process peak RSS {one.maxrss_mib:.0f} MiB")
        row.floor = f"plain reportlab, {f['pages']} pages, hrdd fonts: {ms(f['cpu_per_page'])} per page"
        row.ratio = f"{x(hc / pages, f['cpu_per_page'])} per page"

    table.measure("one full report, warm (CPU per page)", "≤ 1.3× per page, and fewer pages", one_report)

    # (8) import
    def importing(row: Row) -> None:
        assert d.exports is not None
        db = d.tmp / "federation.db"
        names = sorted((p.name for p in d.exports.iterdir()), key=lambda name: int(name.split(".")[0]))
        r = run(HRDD + ["import", *names], d.hrdd_env(db), cwd=d.exports)
        d.federation_db = db
        rows_ = len(names) * d.answers_per_file
        f = script("floor_sqlite.py", "insert", rows_, env=env)
        row.hrdd = (f"{len(names):,} files ({rows_:,} answers): {s(r.wall)} wall, {s(r.cpu)} CPU, "
                    f"{len(names) / r.wall:.0f} files/s")
        row.floor = f"one-transaction executemany: {s(f['wall'])}, {f['rows_per_s']:,.0f} rows/s"
        row.ratio = f"{x(r.wall, f['wall'])} wall, {x(r.cpu, f['cpu'])} CPU"
        if len(names) >= 500 and len(names) != 10_000:
            row.hrdd += f" (→ 10,000 files ≈ {s(r.wall * 10_000 / len(names))})"

    table.measure("`hrdd import` of exported files", "≤ 15 s for 10,000 files", importing)

    # (4) TUI start with the imported companies
    def start_many(row: Row) -> None:
        if d.federation_db is None:
            raise Failed("needs the database of the import row")
        if not floor_start:
            raise Failed("needs the minimal Textual app of the empty-start row")
        hw, hc = repeated(max(1, n - 1), lambda: run([PY, str(BENCH / "tui_start.py")],
                                                     d.hrdd_env(d.federation_db)))  # type: ignore[arg-type]
        row.hrdd = f"{sizes.imports:,} companies: {s(hw)} wall, {s(hc)} CPU"
        row.floor = f"minimal Textual app {s(floor_start[0])}"
        row.ratio = f"{x(hw, floor_start[0])} wall, {x(hc, floor_start[1])} CPU"
        if empty_start:
            row.ratio += f"; {x(hc, empty_start[1])} the empty start's CPU"

    table.measure("TUI start to first screen, many companies", "≤ 1.3×, flat in the number of companies",
                  start_many)

    # (9) benchmark
    def benchmark(row: Row) -> None:
        if d.federation_db is None:
            raise Failed("needs the database of the import row")
        out = d.tmp / "benchmark"
        hw, hc = repeated(max(1, n - 1), lambda: run(HRDD + ["benchmark", "--out", str(out)],
                                                     d.hrdd_env(d.federation_db)))  # type: ignore[arg-type]
        rows_ = sizes.imports * d.answers_per_file
        f = script("floor_sqlite.py", "groupby", rows_, env=env)
        row.hrdd = f"{sizes.imports:,} companies: {s(hw)} wall, {s(hc)} CPU (the command: PDF, CSV and YAML too)"
        row.floor = f"GROUP BY over {rows_:,} score rows: {s(f['wall'])} wall, {s(f['cpu'])} CPU"
        row.ratio = f"{x(hw, f['wall'])} wall, {x(hc, f['cpu'])} CPU"

    table.measure("`hrdd benchmark` over the imported companies", "≤ 1 s (10,000 companies)", benchmark)

    # (7) report --all
    def report_all(row: Row) -> None:
        out = d.tmp / "reports"
        r, w = watched(HRDD + ["report", "--all", "--out", str(out)], d.hrdd_env(d.adviser_db))  # type: ignore[arg-type]
        count = sum(1 for _ in out.glob("*.pdf"))
        if not d.report_pages:
            from pypdf import PdfReader

            d.report_pages = len(PdfReader(next(out.glob("*.pdf"))).pages)
        pages = d.report_pages
        jobs = os.cpu_count() or 1
        f = script("floor_reportlab.py", pages, max(2 * jobs, min(count, 4 * jobs)), jobs, env=env)
        rate = count / r.wall
        row.hrdd = (f"{count:,} reports: {s(r.wall)} wall, {s(r.cpu)} CPU, {rate:.1f} reports/s "
                    f"({rate * pages:.0f} pages/s); peak RSS parent {w.parent_kib / 1024:.0f} MiB, "
                    f"workers {w.worker_kib / 1024:.0f} MiB")
        if count >= 20 and count != 1000:
            row.hrdd += f" (→ 1,000 ≈ {s(1000 / rate)})"
        row.floor = f"reportlab pool of {jobs}: {f['pages_per_s']:.0f} pages/s"
        row.ratio = f"{x(f['pages_per_s'], rate * pages)} per page"

    table.measure(f"`hrdd report --all` ({os.cpu_count()} cores)", "≤ 30 s for 1,000 companies", report_all)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smaller sizes (about 1–2 minutes)")
    mode.add_argument("--smoke", action="store_true", help="tiny sizes: every row runs once")
    mode.add_argument("--worst", action="store_true", help="only the worst cases of the limits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hrdd-bench-") as tmp:
        tmpdir = Path(tmp)
        os.environ["HRDD_DATA_DIR"] = str(tmpdir / "data")
        os.environ.pop("HRDD_DB", None)
        if args.worst:
            from hrdd.demo import create_demo
            from hrdd.loader import load_bundled
            from hrdd.storage import Store

            bundle = load_bundled()
            store = Store(tmpdir / "bench.db")
            _, assessment = create_demo(store, bundle, "nl", modules=["due_diligence"])
            worst_cases(tmpdir, bundle, store, assessment)
            return
        sizes = SIZES["quick" if args.quick else "smoke" if args.smoke else "full"]
        global WARM
        WARM = not args.smoke
        env = {**os.environ, "HRDD_LANG": "en", "HRDD_DATA_DIR": str(tmpdir / "data"),
               "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
        env.pop("HRDD_DB", None)
        started = time.perf_counter()
        print(f"hrdd bench ({'quick' if args.quick else 'smoke' if args.smoke else 'full'}): {os.cpu_count()} cores, "
              f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}", flush=True)
        d = Data(tmpdir, env)
        table = Table()
        try:
            prepare(d, sizes)
        except Exception as exc:  # noqa: BLE001
            print(f"error: preparing the data: {type(exc).__name__}: {exc}".splitlines()[0], flush=True)
        rows(d, sizes, table)
        table.print()
        print(f"({s(time.perf_counter() - started)} in all; load average now {os.getloadavg()[0]:.1f}; "
              f"medians of {sizes.runs} run(s){' after a warm-up' if WARM else ''}; Pilot's wall includes its own "
              f"idle waits, in the floor too)", flush=True)
        shutil.rmtree(tmpdir / "reports", ignore_errors=True)


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float]) -> None:
    print(f"{label:<52} median {median(seconds) * 1000:9.1f} ms  min {min(seconds) * 1000:9.1f} ms  "
          f"(n={len(seconds)})", flush=True)


def attempt(label: str, fn, repeat: int) -> None:  # type: ignore[no-untyped-def]
    """``show`` the timings of ``fn``, or one line saying how it failed (the next cases still run)."""
    try:
        seconds = timed(fn, repeat)
    except Exception as exc:  # noqa: BLE001
        print(f"{label:<52} error: {type(exc).__name__}: {str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ''}",
              flush=True)
    else:
        show(label, seconds)


def worst_cases(tmpdir: Path, bundle, store, assessment: int) -> None:  # type: ignore[no-untyped-def]
    """The slowest inputs the limits in hrdd/limits.py allow, and hostile ones they refuse."""
    from hrdd.answers import Answer
    from hrdd.exchange import ImportProblem, export_assessment, import_file
    from hrdd.limits import MAX_EXPORT_BYTES, MAX_TEXT_ANSWER, MAX_YAML_BYTES, MAX_YAML_VALUES
    from hrdd.loader import LoadError, load_files
    from hrdd.report import write_report
    from hrdd.storage import Store

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
    attempt("report of that assessment (nl)", lambda: write_report(worst, bundle, result.company_id, "nl",
                                                                   tmpdir / "worst.pdf"), 1)

    def refused(label: str, body: str | bytes) -> None:
        path = tmpdir / "hostile.json"
        path.write_bytes(body if isinstance(body, bytes) else body.encode())

        def run() -> None:
            try:
                import_file(worst, bundle.questionnaires, path)
            except ImportProblem:
                return
            raise AssertionError(f"{label} was accepted")

        attempt(f"refuse: {label}", run, 3)

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

        attempt(f"refuse: {label}", run, 3)

    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefghi", "bcdefghij"))
    refused_yaml("alias bomb (9^10 values)", bomb)
    refused_yaml(f"{MAX_YAML_VALUES + 1:,} values", "v: [" + "1, " * MAX_YAML_VALUES + "1]")
    refused_yaml("a YAML file just under 2 MB", "kind: questionnaire\nx: '" + "y" * (MAX_YAML_BYTES - 40) + "'\n")


if __name__ == "__main__":
    main()
