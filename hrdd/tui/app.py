"""The hrdd terminal app: language, companies, the questionnaire, results and the PDF."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from .. import i18n
from ..i18n import N_, _, ngettext
from .base import FocusKeeper

if TYPE_CHECKING:  # the models and sqlite-utils are imported once the first screen is drawn
    from ..loader import Bundle
    from ..storage import Store

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

    store: Store
    bundle: Bundle

    def __init__(self, store: Store | None = None, bundle: Bundle | None = None, lang: str = "en", *,
                 load_bundle: Callable[[], Bundle] | None = None, open_store: Callable[[], Store] | None = None):
        """The app on ``store`` with ``bundle``; or, given ``load_bundle`` and ``open_store`` instead
        (``hrdd`` on the command line), the first screen is drawn at once and the questionnaires and the
        database are loaded after it: nothing that needs them can be reached before (:attr:`loaded`)."""
        super().__init__()
        if store is not None and bundle is not None:
            self.store, self.bundle = store, bundle
        elif load_bundle is None or open_store is None:
            raise TypeError("HrddApp needs a store and a bundle, or the functions that load them")
        self._load_bundle, self._open_store = load_bundle, open_store
        self.load_error: str | None = None
        """Why the questionnaires or the database could not be loaded (shown in the app), if they could not."""
        self.note_drafts: dict[tuple[int, str], str] = {}
        """Notes typed on questions not answered yet, kept for the session."""
        self.quit_warned = False
        i18n.activate(lang)
        self.set_reactive(HrddApp.lang, lang)

    @property
    def loaded(self) -> bool:
        """Whether the questionnaires and the database are there (screens past the home screen need them)."""
        return "store" in self.__dict__ and "bundle" in self.__dict__

    def on_mount(self) -> None:
        from .home import HomeScreen

        self.push_screen(HomeScreen())
        if not self.loaded:
            self.call_after_refresh(self._load)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load(self) -> None:
        """After the first screen: the questionnaires (and the modules they need) in a thread, then the
        database here, where the app uses it. A failure is shown in the app; the app stays open."""
        load_bundle, open_store = self._load_bundle, self._open_store
        assert load_bundle is not None and open_store is not None

        def prepare() -> Bundle:
            from .. import storage  # noqa: F401  (imported here, off the screen's thread)

            return load_bundle()

        try:
            bundle = await asyncio.to_thread(prepare)
            store = open_store()
        except Exception as exc:  # anything: said in the app, which stays open
            self.load_error = str(exc).strip() or type(exc).__name__
            self.notify(_("hrdd cannot start: {error}").format(error=self.load_error), severity="error", timeout=30)
        else:
            self.store, self.bundle = store, bundle
        self.refresh_bindings()
        for screen in self.screen_stack:
            if hasattr(screen, "on_loaded"):
                screen.on_loaded()

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
