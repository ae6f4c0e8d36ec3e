"""Floor for "TUI start to first screen": a minimal Textual app (header, label, option list, input,
footer) started headless; it exits once its first screen is drawn, exactly as bench/tui_start.py
makes hrdd exit."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input, OptionList, Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Companies")
        yield OptionList("Company A", "Company B", "Company C")
        yield Input(placeholder="Search")
        yield Footer()


async def first_screen_then_exit(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.exit()


if __name__ == "__main__":
    Minimal().run(headless=True, size=(100, 40), auto_pilot=first_screen_then_exit)
