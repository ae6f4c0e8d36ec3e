"""The adviser's commentary on a client, printed in its reports."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from ..i18n import N_, _
from .base import BaseModal


class CommentaryScreen(BaseModal):
    """Edit the commentary; Ctrl+S saves, Esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
    ]

    def __init__(self, company_id: int):
        super().__init__()
        self.company_id = company_id
        self.draft: str | None = None

    def compose(self) -> ComposeResult:
        company = self.app.store.company(self.company_id)  # type: ignore[attr-defined]
        text = self.draft if self.draft is not None else (company.commentary or "")
        with Vertical(id="commentary-dialog"):
            yield Static(_("Adviser's commentary"), classes="title")
            yield Static(_("Printed in this company's reports, as you write it."), classes="muted")
            yield TextArea(text, id="commentary-text", soft_wrap=True, tab_behavior="focus")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#commentary-text", TextArea).focus()

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        self.draft = event.text_area.text

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one("#commentary-text", TextArea).text
        self.app.store.set_commentary(self.company_id, text)  # type: ignore[attr-defined]
        self.dismiss()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss()
