"""A screen whose key labels follow the active language; a Yes/No question."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual._styles_cache import StylesCache
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ActiveBinding, ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Static, TextArea
from textual.widgets import Footer as TextualFooter

from ..i18n import N_, _

if TYPE_CHECKING:
    from .app import HrddApp

TEXTUAL_DESCRIPTIONS = [N_("Dismiss menu"), N_("Open link"), N_("Toggle option"), N_("Show menu")]
"""Key descriptions that Textual's own widgets show in the footer: translated like ours."""


def _translated(bindings: dict[str, ActiveBinding], screen: Any = None) -> dict[str, ActiveBinding]:
    describe = getattr(screen, "describe_binding", lambda b: b.description)
    return {
        key: ActiveBinding(b.node, dataclasses.replace(b.binding, description=_(describe(b.binding)))
                           if b.binding.description else b.binding, b.enabled, b.tooltip)
        for key, b in bindings.items()
    }


def forget_removed(*nodes: object) -> None:
    """Let widgets that left the screen be freed: Textual 8.2 keeps a widget's watchers of another
    node (the app's theme, the footer's ``compact``, ...) until that value next changes, and every
    ``query_one`` result until 1,024 later ones push it out, so each removed widget stayed in memory."""
    for node in nodes:
        for watchers in getattr(node, "__watchers", {}).values():
            watchers[:] = [(owner, callback) for owner, callback in watchers
                           if not isinstance(owner, Widget) or owner.is_attached and not owner._closing]
        cache = getattr(node, "_query_one_cache", None)
        if cache is not None:
            cache.clear()


class Footer(TextualFooter):
    """Textual's footer, rebuilt whenever the keys change (on every focus change), without keeping
    the keys of each earlier build in memory."""

    async def recompose(self) -> None:
        await super().recompose()
        forget_removed(self)


class LeavesNothing:
    """A screen that, once removed, leaves none of its widgets behind in memory.

    Textual 8.2.8 keeps every watcher a widget sets on the app (a ``Header``'s four ``title``
    watchers, a ``TextArea``'s ``theme`` watcher, ...) until that value next changes, which in this
    app is never: each screen pushed and popped kept its header, text area and all they had drawn
    (issue 12: +7 MiB per 100 answers over a walk through the modules). The screen's own Unmount
    comes after all its widgets have closed: their watchers on the app are dropped there, and after
    each rebuild of the screen (which replaces its header, watching the screen's title too).

    Textual 8.2.8 also memoises ``StylesCache.get_inner_outer`` with ``lru_cache(1024)`` on the
    instance method (meant as a class method), so the key holds every widget's styles cache, with
    all the lines it drew, until 1,024 later keys push it out: emptied here too (it holds two
    ``Style`` objects per pair of colours, rebuilt on the next draw)."""

    def _forget_closed(self) -> None:
        forget_removed(self.app, self)  # type: ignore[attr-defined]
        StylesCache.get_inner_outer.cache_clear()

    def _on_unmount(self) -> None:
        self._forget_closed()

    async def recompose(self) -> None:
        """Rebuilt (back from a module, in another language): the widgets replaced are freed too."""
        await super().recompose()  # type: ignore[misc]
        self._forget_closed()


class FocusKeeper:
    """Keeps the focused field (and its cursor) across a rebuild of the screen, and in view
    when the window shrinks."""

    keep_focus: tuple[str, Any] | None = None
    """(widget id, cursor) to focus again once the screen is rebuilt, e.g. after a language switch."""

    def remember_focus(self) -> None:
        widget: Widget | None = self.focused  # type: ignore[attr-defined]
        while widget is not None and not widget.id:  # e.g. the open menu of a Select: the Select
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        if widget is None or widget is self:
            self.keep_focus = None
            return
        cursor = widget.cursor_position if isinstance(widget, Input) else \
            widget.cursor_location if isinstance(widget, TextArea) else None
        self.keep_focus = (widget.id or "", cursor)

    def restore_focus(self) -> bool:
        """Focus the remembered field again; False if there was none (or it is gone)."""
        keep, self.keep_focus = self.keep_focus, None
        if keep is None:
            return False
        widget_id, cursor = keep
        try:
            widget = self.query_one(f"#{widget_id}")  # type: ignore[attr-defined]
        except NoMatches:
            return False
        if not widget.focusable:
            return False
        if isinstance(widget, Input) and isinstance(cursor, int):
            widget.select_on_focus = False  # the next key must not replace the whole text
            widget.cursor_position = cursor
        elif isinstance(widget, TextArea) and cursor is not None:
            widget.cursor_location = cursor
        widget.focus(scroll_visible=False)
        self.call_after_refresh(lambda: widget.is_attached and widget.scroll_visible(animate=False))  # type: ignore[attr-defined]
        return True

    def after_recompose(self) -> bool:
        """Called once the screen is rebuilt (e.g. in another language)."""
        return self.restore_focus()

    def on_resize(self, event: events.Resize) -> None:
        """A smaller window must not leave the field being typed in out of sight (the first size, when
        the screen is shown, is left alone: the screen decides what it shows first)."""
        before, self._size_seen = getattr(self, "_size_seen", None), event.size
        if before is not None and (event.size.width < before.width or event.size.height < before.height):
            self.call_after_refresh(self._focused_into_view)  # type: ignore[attr-defined]

    def _focused_into_view(self) -> None:
        focused = self.focused  # type: ignore[attr-defined]
        if focused is not None:
            focused.scroll_visible(animate=False)


class BaseScreen(LeavesNothing, FocusKeeper, Screen[None]):
    """Key descriptions in BINDINGS are English msgids, shown translated in the footer."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings, self)

    @property
    def hrdd(self) -> HrddApp:
        return self.app  # type: ignore[return-value]


class BaseModal(LeavesNothing, FocusKeeper, ModalScreen[Any]):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return _translated(super().active_bindings)


class ConfirmScreen(BaseModal):
    """A question answered with Yes (True) or No (False); Esc is No."""

    BINDINGS = [
        Binding("y,j,o", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", N_("No"), id="no"),
    ]

    def __init__(self, question: Callable[[], str], yes: str = N_("Yes"), no: str = N_("No")):
        """``question`` gives the text in the active language (it is asked again after a switch)."""
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question(), id="confirm-question", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_(self.yes), id="yes", variant="primary")
                yield Button(_(self.no), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
