"""Floor for answering: one screen with the question screen's kinds of widgets (a label, a progress
line, an option list, a "don't know" checkbox, a note input, header and footer) that updates the
same widgets in place. Each answer is the same key sequence as bench/tui_walk.py ("1" chooses,
Ctrl+N shows the next question), timed the same way through Pilot.

    python bench/floor_inplace.py ANSWERS
"""

from __future__ import annotations

import asyncio
import sys
import time

from _common import emit, rss_mib, walk_summary
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

SIZE = (100, 40)
OPTIONS = ["No, not at all", "Partly, informally", "Yes, in writing", "Yes, and it is reviewed every year",
           "Yes, reviewed with the workers and published"]


class InPlace(App[None]):
    BINDINGS = [Binding("ctrl+n", "next", "Next", priority=True),
                Binding("ctrl+d", "dont_know", "Don't know", priority=True),
                *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]]

    def __init__(self) -> None:
        super().__init__()
        self.n = 0
        self.answers: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="crumbs")
            yield Static("", id="position")
            yield ProgressBar(total=500, show_eta=False, id="progress")
            yield Static("", id="question-text")
            yield Static("", id="help-text")
            yield OptionList(id="choice")
            yield Checkbox("Don't know", id="dont-know")
            yield Input(placeholder="Note (optional)", id="note")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        n = self.n
        self.query_one("#crumbs", Static).update(f"Module {n % 5} · Step {n % 6 + 1}")
        self.query_one("#position", Static).update(f"Question {n + 1} of 500")
        self.query_one("#progress", ProgressBar).update(progress=len(self.answers))
        self.query_one("#question-text", Static).update(f"Question {n}: does your company have a policy on topic {n}?")
        self.query_one("#help-text", Static).update(f"Help for question {n}. " * (1 + n % 3))
        options = self.query_one("#choice", OptionList)
        options.clear_options()
        options.add_options([Option(f"{i + 1}. {text}", id=f"o{i}") for i, text in enumerate(OPTIONS[: 3 + n % 3])])
        options.highlighted = None
        self.query_one("#dont-know", Checkbox).value = False
        self.query_one("#note", Input).value = ""
        options.focus(scroll_visible=False)

    def action_pick(self, k: int) -> None:
        options = self.query_one("#choice", OptionList)
        if k <= options.option_count:
            options.highlighted = k - 1
            self.answers[self.n] = k

    def action_dont_know(self) -> None:
        box = self.query_one("#dont-know", Checkbox)
        box.value = not box.value

    def action_next(self) -> None:
        self.n += 1
        self.show()


async def walk(wanted: int) -> dict:  # type: ignore[type-arg]
    app = InPlace()
    wall: list[float] = []
    cpu: list[float] = []
    rss: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rss.append(rss_mib())
        for _ in range(wanted):
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("1", "ctrl+n")
            await pilot.pause()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            rss.append(rss_mib())
    return walk_summary(wall, cpu, rss, wanted)


if __name__ == "__main__":
    emit(asyncio.run(walk(int(sys.argv[1]))))
