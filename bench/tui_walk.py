"""hrdd's answering loop through Pilot: for each answer, one key press that answers (the first
option, or "don't know" for a number or text question), Ctrl+N, and wait until the next question
is drawn. Companies with the demo profile (every module applies) are created and walked, one
module after another, until ``answers`` answers are given. Prints the latency of every answer
(wall and CPU) and the RSS after each one.

    python bench/tui_walk.py DB ANSWERS
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from pathlib import Path

from _common import emit, rss_mib, walk_summary

SIZE = (100, 40)


async def walk(db: Path, wanted: int) -> dict:  # type: ignore[type-arg]
    from hrdd.demo import DEMO_PROFILE
    from hrdd.loader import load_bundled
    from hrdd.storage import Store
    from hrdd.tui.app import HrddApp
    from hrdd.tui.question import QuestionScreen

    bundle = load_bundled()
    store = Store(db)
    app = HrddApp(store=store, bundle=bundle, lang="en")
    wall: list[float] = []
    cpu: list[float] = []
    rss: list[float] = []
    answers = 0
    stuck = 0
    counts: dict[str, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        round_ = 0
        while answers < wanted:
            round_ += 1
            company = store.create_company(DEMO_PROFILE.model_copy(update={"name": f"Walk {round_}"}))
            for questionnaire in bundle.questionnaires:
                if answers >= wanted:
                    break
                assessment = store.start_assessment(company, questionnaire, "en",
                                                    pack=bundle.packs.get(questionnaire.id))
                screen = QuestionScreen(assessment)
                await app.push_screen(screen)
                await pilot.pause()
                if not rss:
                    rss.append(rss_mib())
                    counts["widgets_start"] = sum(1 for _ in screen.walk_children())
                    counts["objects_start"] = len(gc.get_objects())
                while app.screen is screen and answers < wanted:
                    before = screen.current.id
                    key = "1" if screen.current.kind in ("single", "yes_no", "multi") else "ctrl+d"
                    t0, c0 = time.perf_counter(), time.process_time()
                    await pilot.press(key, "ctrl+n")
                    await pilot.pause()
                    t1, c1 = time.perf_counter(), time.process_time()
                    if app.screen is screen and screen.current.id == before:
                        stuck += 1  # the answer was refused (e.g. an exclusive option): say don't know
                        await pilot.press("ctrl+d", "ctrl+n")
                        await pilot.pause()
                        if stuck > 50:
                            raise RuntimeError(f"the walk is stuck on question {before}")
                        continue
                    answers += 1
                    rss.append(rss_mib())
                    if app.screen is screen:  # the next question is drawn (not the results)
                        wall.append(t1 - t0)
                        cpu.append(c1 - c0)
                if app.screen is screen:  # the walk ends here: what the last question screen holds
                    counts["widgets_end"] = sum(1 for _ in screen.walk_children())
                    counts["objects_end"] = len(gc.get_objects())
                while len(app.screen_stack) > 2:  # the default screen, the home screen
                    app.pop_screen()  # the results (or the question screen): back home
                    await pilot.pause()
    store.close()
    result = walk_summary(wall, cpu, rss, answers)
    result["stuck"] = stuck
    result.update(counts)
    return result


if __name__ == "__main__":
    emit(asyncio.run(walk(Path(sys.argv[1]), int(sys.argv[2]))))
