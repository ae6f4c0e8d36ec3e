"""The help screen: what hrdd does and which keys do what."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from ..i18n import N_, _
from .base import BaseModal

KEYS = [
    ("F2", N_("Switch language: Nederlands → Français → English")),
    ("F1", N_("This help")),
    (N_("Tab / Shift+Tab"), N_("Move between fields")),
    (N_("↑ ↓ Enter / Space"), N_("Choose an answer")),
    ("1 … 9", N_("Choose answer 1 to 9, as numbered on screen (the best answer is the last)")),
    ("Ctrl+N / Ctrl+B", N_("Next / previous question")),
    ("Ctrl+D", N_("Don't know")),
    ("Ctrl+L", N_("List of questions: jump to any one")),
    (N_("Esc"), N_("Save and go back")),
    ("N / A / /", N_("Companies: new, show archived, search")),
    ("E / C / A", N_("Company: edit profile, adviser's commentary, archive or restore")),
    ("1 … 9", N_("Company: start, resume or see the results of module 1 to 9")),
    ("P", N_("Company: the action plan (owner, due date, status, note per action)")),
    ("P / Q", N_("Results: write the PDF, list of questions")),
    ("Ctrl+Q", N_("Quit (your answers are already saved)")),
]


class HelpScreen(BaseModal):
    BINDINGS = [Binding("escape", "close", N_("Close"), id="close"), Binding("f1,q", "close", show=False)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(_("Help"), classes="title")
            yield Static(_("hrdd walks your company through a human-rights due-diligence self-check. "
                           "Every answer is saved the moment you give it: you can quit at any time and "
                           "continue later where you left off. “Don't know” is a valid answer: it "
                           "shows what to find out."), classes="intro")
            for keys, what in KEYS:
                with Horizontal(classes="key-row"):
                    yield Static(_(keys), markup=False, classes="keys")
                    yield Static(_(what), markup=False, classes="what")
            yield Button(_("Close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
