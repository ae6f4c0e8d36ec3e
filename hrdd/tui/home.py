"""The first screen: choose the language, then a company (or create one)."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import LANGUAGE_NAMES, N_, _, fmt_date
from ..storage import Company
from .base import BaseScreen


class HomeScreen(BaseScreen):
    BINDINGS = [
        Binding("n", "new_company", N_("New company"), id="new-company"),
        Binding("slash", "focus_search", N_("Search"), id="search"),
        Binding("a", "toggle_archived", N_("Show archived"), id="archived"),
    ]

    show_archived = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="home"):
            yield Static(_("Human-rights due diligence: a self-check for your company"), classes="title")
            yield Static(_("Based on Belgium's National Action Plan on Business and Human Rights 2.0 "
                           "and the OECD due-diligence steps. Your answers are saved as you go."),
                         classes="intro")
            with Horizontal(id="languages"):
                yield Static(_("Language:"), classes="label")
                for code, name in LANGUAGE_NAMES.items():
                    yield Button(name, id=f"lang-{code}", compact=True,
                                 variant="primary" if self.hrdd.lang == code else "default")
            yield Static(_("Archived companies") if self.show_archived else _("Companies"), classes="section",
                         id="list-title")
            yield Input(placeholder=_("Search companies…"), id="search")
            yield OptionList(id="company-list")
            with Horizontal(classes="buttons"):
                yield Button(_("New company"), id="new-company", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.fill_list()

    def on_screen_resume(self) -> None:
        self.fill_list()

    def fill_list(self, search: str = "") -> None:
        options = self.query_one("#company-list", OptionList)
        options.clear_options()
        companies = [c for c in self.hrdd.store.companies(archived=self.show_archived)
                     if search.lower() in c.profile.name.lower()]
        for company in companies:
            options.add_option(Option(self._label(company), id=str(company.id)))
        if not companies:
            options.add_option(Option(_("No companies yet: press N to add yours."), id="none", disabled=True))
        else:
            options.highlighted = 0
            options.focus()

    @staticmethod
    def _label(company: Company) -> Content:
        """The company's name as typed (no markup), and when it was last changed."""
        updated = fmt_date(datetime.fromisoformat(company.updated), form="medium")
        return Content.assemble(company.profile.name, ("  " + updated, "dim"))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.fill_list(event.value)

    @on(OptionList.OptionSelected, "#company-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from .company import CompanyScreen

        if event.option.id and event.option.id != "none":
            self.app.push_screen(CompanyScreen(int(event.option.id)))

    @on(Button.Pressed, "#new-company")
    def action_new_company(self) -> None:
        from .profile import ProfileScreen

        self.app.push_screen(ProfileScreen(None))

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.query_one("#list-title", Static).update(_("Archived companies") if self.show_archived
                                                     else _("Companies"))
        self.fill_list(self.query_one("#search", Input).value)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Button.Pressed, "#languages Button")
    def _language(self, event: Button.Pressed) -> None:
        self.hrdd.lang = (event.button.id or "lang-en").removeprefix("lang-")
