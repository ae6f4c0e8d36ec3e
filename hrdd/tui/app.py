"""The hrdd terminal app: language, companies, the questionnaire, results and the PDF."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from .. import i18n
from ..i18n import N_, _, ngettext
from ..loader import Bundle
from ..storage import Store
from .base import FocusKeeper

LANG_CYCLE = {"nl": "fr", "fr": "en", "en": "nl"}
EXIT_MESSAGE = N_("hrdd: your answers are saved in {path}")
"""Printed when the app closes, in the language it was last shown in (``_(EXIT_MESSAGE)`` after ``run()``)."""


class HrddApp(App[None]):
    """Walks a company through its due-diligence self-check."""

    CSS_PATH = "app.tcss"
    TITLE = "hrdd"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f2", "switch_language", N_("Language"), id="language"),
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, store: Store, bundle: Bundle, lang: str = "en"):
        super().__init__()
        self.store = store
        self.bundle = bundle
        self.note_drafts: dict[tuple[int, str], str] = {}
        """Notes typed on questions not answered yet, kept for the session."""
        self.quit_warned = False
        i18n.activate(lang)
        self.set_reactive(HrddApp.lang, lang)

    def on_mount(self) -> None:
        from .home import HomeScreen

        self.push_screen(HomeScreen())

    async def watch_lang(self, old: str, lang: str) -> None:
        """Switch the whole interface: every screen on the stack is rebuilt in ``lang``; the field
        being typed in keeps the focus (and its cursor)."""
        i18n.activate(lang)
        top = self.screen
        if isinstance(top, FocusKeeper):
            top.remember_focus()
        for screen in list(self.screen_stack):
            if hasattr(screen, "on_language_changed"):
                screen.on_language_changed(old, lang)
            await screen.recompose()
            if isinstance(screen, FocusKeeper):
                screen.after_recompose()
        self.refresh_bindings()

    async def action_quit(self) -> None:
        """Quit; whatever is typed on the open question is saved first (once more to quit anyway).

        A note on a question without an answer cannot be stored: the person is told before quitting."""
        questions = [s for s in self.screen_stack if hasattr(s, "save_if_given")]
        if questions and not questions[-1].save_if_given() and not self.quit_warned:
            self.quit_warned = True
            self.notify(_("This answer cannot be saved yet: correct it, or press Ctrl+Q again to quit without it."),
                        severity="warning", timeout=10)
            return
        drafts = [note for note in self.note_drafts.values() if note.strip()]
        if drafts and not self.quit_warned:
            self.quit_warned = True
            self.notify(ngettext("{n} note on a question without an answer is not saved. Choose an answer to "
                                 "keep it, or press Ctrl+Q again to quit without it.",
                                 "{n} notes on questions without an answer are not saved. Choose an answer to "
                                 "keep them, or press Ctrl+Q again to quit without them.", len(drafts)).format(
                                     n=len(drafts)), severity="warning", timeout=10)
            return
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C (copy in a field) does not quit: say how to quit, in the interface language."""
        self.notify(_("Press Ctrl+Q to quit."))

    def action_switch_language(self) -> None:
        self.lang = LANG_CYCLE[self.lang]

    def action_help(self) -> None:
        from .help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
