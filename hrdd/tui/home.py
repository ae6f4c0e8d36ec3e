"""The first screen: choose the language, then a company (or create one)."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..conditions import applies
from ..i18n import LANGUAGE_NAMES, N_, _, fmt_date, fold
from ..profile import REGION_NAMES
from ..storage import Company
from .base import BaseScreen


class HomeScreen(BaseScreen):
    BINDINGS = [
        Binding("n", "new_company", N_("New company"), id="new-company"),
        Binding("slash", "focus_search", N_("Search"), id="search"),
        Binding("a", "toggle_archived", N_("Archived"), id="archived"),
        Binding("down", "to_list", show=False),
        Binding("escape", "clear_search", show=False),
    ]

    show_archived = False
    search = ""
    """What is typed in the search box: the list always shows the companies that match it."""

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
            yield Input(value=self.search, placeholder=_("Search companies…"), id="search", compact=True)
            yield OptionList(*self._options(), id="company-list")
            with Horizontal(classes="buttons"):
                yield Button(_("New company"), id="new-company", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#company-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.fill_list()  # a name or progress may have changed; the search box keeps filtering

    def _options(self) -> list[Option]:
        """One row per company that matches the search (accents and case ignored), or why there is none."""
        wanted = fold(self.search)
        every = self.hrdd.store.companies(archived=self.show_archived)
        companies = [c for c in every if wanted in fold(c.profile.name)]
        if companies:
            return [Option(self._label(c), id=str(c.id)) for c in companies]
        if every and self.search.strip():
            why = _("No company matches “{text}”.").format(text=self.search.strip())
        elif self.show_archived:
            why = _("No archived companies.")
        elif self.hrdd.store.companies(archived=True):
            why = _("Every company is archived: press A to see them, or N to add one.")
        else:
            why = _("No companies yet: press N to add yours.")
        return [Option(Content(why), id="none", disabled=True)]

    def fill_list(self) -> None:
        """Show the companies matching the search; no row is chosen, so Enter opens nothing by accident."""
        options = self.query_one("#company-list", OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = None

    def _label(self, company: Company) -> Content:
        """Number, name as typed (no markup), region, progress and when it was last changed: rows for
        companies with the same name can be told apart."""
        profile = company.profile
        latest: dict[str, bool] = {}
        for a in self.hrdd.store.assessments(company.id):  # newest first
            latest.setdefault(a.questionnaire_id, a.completed is not None)
        modules = [q.id for q in self.hrdd.bundle.questionnaires if applies(q, profile)]
        done = sum(1 for m in modules if latest.get(m))
        started = sum(1 for m in modules if m in latest and not latest[m])
        details = []
        if profile.region:
            details.append(_(REGION_NAMES[profile.region]))
        details.append(_("{done}/{total} completed").format(done=done, total=len(modules)))
        if started:
            details.append(_("{n} in progress").format(n=started))
        details.append(fmt_date(datetime.fromisoformat(company.updated), form="medium"))
        return Content.assemble((f"{company.id:>3}  ", "dim"), (profile.name, "bold"),
                                (" · " + " · ".join(details), "dim"))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.search = event.value
        self.fill_list()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        """From the search box to the first match."""
        options = self.query_one("#company-list", OptionList)
        if self.focused is self.query_one("#search", Input):
            options.focus()
            if options.highlighted is None and options.option_count and not options.get_option_at_index(0).disabled:
                options.highlighted = 0

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one("#company-list", OptionList).focus()

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
        self.fill_list()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Button.Pressed, "#languages Button")
    def _language(self, event: Button.Pressed) -> None:
        self.hrdd.lang = (event.button.id or "lang-en").removeprefix("lang-")
