"""Probe of the TUI's own costs (not part of the test suite; bench/run.py is the harness).

    PYTHONPATH=. python bench/tui_probe.py answers 200   # key press → next question drawn, p50/p95
    PYTHONPATH=. python bench/tui_probe.py rss 450       # RSS and live widgets after a walk
    PYTHONPATH=. python bench/tui_probe.py start 10000   # start to the first screen with N companies
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Checkbox

from hrdd.loader import load_bundled
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.question import QuestionScreen
from tests.companies import FLEMISH_FOOD


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def walk(n: int, report_every: int = 0) -> tuple[list[float], list[float]]:
    bundle = load_bundled()
    folder = Path(tempfile.mkdtemp())
    store = Store(folder / "probe.db")
    company = store.create_company(FLEMISH_FOOD)
    assessment = store.start_assessment(company, bundle.questionnaire("due_diligence"), "en")
    app = HrddApp(store=store, bundle=bundle, lang="en")
    walls: list[float] = []
    cpus: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        forward = True
        for i in range(n):
            screen = app.screen
            assert isinstance(screen, QuestionScreen)
            q = screen.current
            questions = screen.questions
            index = next(k for k, x in enumerate(questions) if x.id == q.id)
            if q.kind in ("single", "yes_no"):
                await pilot.press(str(1 + i % 2))
            elif not screen.query_one("#dont-know", Checkbox).value:
                await pilot.press("ctrl+d")
            await pilot.pause()
            if forward and index == len(questions) - 1:
                forward = False
            elif not forward and index == 0:
                forward = True
            key = "ctrl+n" if forward else "ctrl+b"
            w, c = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            if report_every and (i + 1) % report_every == 0:
                gc.collect()
                widgets = sum(1 for o in gc.get_objects() if isinstance(o, Widget))
                print(f"{i + 1:4} answers: RSS {rss_mib():6.1f} MiB, DOM {len(list(app.screen.walk_children()))},"
                      f" Widget objects {widgets}")
    store.close()
    return walls, cpus


def pct(xs: list[float], p: float) -> float:
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] * 1000


async def start(n: int) -> None:
    from hrdd.models import Profile
    from tests.companies import BRUSSELS_CLEANING, MICRO_SERVICES, WALLOON_MANUFACTURER

    bundle = load_bundled()
    folder = Path(tempfile.mkdtemp())
    store = Store(folder / "start.db")
    profiles = [FLEMISH_FOOD, WALLOON_MANUFACTURER, BRUSSELS_CLEANING, MICRO_SERVICES]
    with store.write():
        for i in range(n):
            p = profiles[i % 4]
            store.create_company(Profile(**{**p.model_dump(), "name": f"{p.name} {i}"}))
    times = []
    for _run in range(3):
        t = time.perf_counter()
        app = HrddApp(store=store, bundle=bundle, lang="nl")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            times.append(time.perf_counter() - t)
    print(f"start with {n} companies: median {statistics.median(times) * 1000:.0f} ms ({[round(x * 1000) for x in times]})")


if __name__ == "__main__":
    what, n = sys.argv[1], int(sys.argv[2])
    if what == "answers":
        walls, cpus = asyncio.run(walk(n))
        print(f"{n} answers: wall p50 {pct(walls, .5):.0f} ms p95 {pct(walls, .95):.0f} ms; "
              f"CPU p50 {pct(cpus, .5):.0f} ms p95 {pct(cpus, .95):.0f} ms")
    elif what == "rss":
        print(f"RSS before: {rss_mib():.1f} MiB")
        asyncio.run(walk(n, report_every=50))
        print(f"RSS after {n} answers: {rss_mib():.1f} MiB")
    else:
        asyncio.run(start(n))
