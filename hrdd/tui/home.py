"""The first screen: choose the language, then a company (or create one)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import LANGUAGE_NAMES, N_, _, fmt_date
from .base import BaseScreen, Footer

if TYPE_CHECKING:  # the models are imported once the first screen is drawn (HrddApp.loaded)
    from ..company_list import CompanySummary

PAGE = 100
"""Companies listed at first; the next ones are added as the list is scrolled to its end."""


@lru_cache(maxsize=512)
def _day(day: str, lang: str) -> str:
    """A stored date (YYYY-MM-DD…) as the language writes it: formatted once per day and language."""
    return fmt_date(date.fromisoformat(day[:10]), lang, form="medium")


class CompanyList(OptionList):
    """The company list; scrolling (or moving) to its last lines asks the screen for the next page."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - self.size.height and isinstance(self.screen, HomeScreen):
            self.screen.more_companies()


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
            yield CompanyList(id="company-list")  # filled when the screen is shown
            with Horizontal(classes="buttons"):
                yield Button(_("New company"), id="new-company", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#company-list", OptionList).focus()

    def on_loaded(self) -> None:
        """The questionnaires and the database are there (or cannot be): the list shows the companies (or why not)."""
        self.fill_list()

    NEEDS_LOADED = {"new_company", "toggle_archived", "focus_search"}
    """What cannot be done before the questionnaires and the database are loaded."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.NEEDS_LOADED and not self.hrdd.loaded:
            return None  # shown disabled in the footer until then
        return super().check_action(action, parameters)

    def on_screen_resume(self) -> None:
        self.fill_list()  # a name or progress may have changed; the search box keeps filtering

    def after_recompose(self) -> bool:
        self.fill_list()  # rebuilt in another language
        return super().after_recompose()

    shown = 0
    """How many companies the list shows (a page at a time)."""
    more = False
    """Whether more companies match than the list shows."""

    def _page(self) -> list[Option]:
        """The next page of companies that match the search (accents and case ignored)."""
        rows = self.hrdd.store.company_summaries(archived=self.show_archived, search=self.search,
                                                 limit=PAGE + 1, offset=self.shown)
        self.more = len(rows) > PAGE
        rows = rows[:PAGE]
        self.shown += len(rows)
        return [Option(self._label(c), id=str(c.id)) for c in rows]

    def _none(self) -> Option:
        """Why the list is empty."""
        store = self.hrdd.store
        if self.search.strip() and store.company_count(archived=self.show_archived):
            why = _("No company matches “{text}”.").format(text=self.search.strip())
        elif self.show_archived:
            why = _("No archived companies.")
        elif store.company_count(archived=True):
            why = _("Every company is archived: press A to see them, or N to add one.")
        else:
            why = _("No companies yet: press N to add yours.")
        return Option(Content(why), id="none", disabled=True)

    def _waiting(self) -> Option:
        """What the list says before the companies can be shown."""
        if self.hrdd.load_error is not None:
            return Option(Content(_("hrdd cannot start: {error}").format(error=self.hrdd.load_error)),
                          id="none", disabled=True)
        return Option(Content(_("Loading the questionnaires…")), id="none", disabled=True)

    def fill_list(self) -> None:
        """Show the first companies matching the search; no row is chosen, so Enter opens nothing by accident."""
        options = self.query_one("#company-list", OptionList)
        self.shown = 0
        if not self.hrdd.loaded:
            self.more = False
            options.clear_options()
            options.add_options([self._waiting()])
            options.highlighted = None
            return
        page = self._page()
        options.clear_options()
        options.add_options(page or [self._none()])
        options.highlighted = None

    def more_companies(self) -> None:
        """The next page, at the end of the list (scrolled or moved to)."""
        if self.more:
            self.query_one("#company-list", OptionList).add_options(self._page())

    @on(OptionList.OptionHighlighted, "#company-list")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= event.option_list.option_count - 5:
            self.more_companies()

    def _label(self, company: CompanySummary) -> Content:
        """Number, name as typed (no markup), region, progress and when it was last changed: rows for
        companies with the same name can be told apart."""
        from ..conditions import applies
        from ..profile import REGION_NAMES

        profile = company.profile
        latest = company.latest
        modules = [q.id for q in self.hrdd.bundle.questionnaires if applies(q, profile)]
        done = sum(1 for m in modules if latest.get(m))
        started = sum(1 for m in modules if m in latest and not latest[m])
        details = []
        if profile.region:
            details.append(_(REGION_NAMES[profile.region]))
        details.append(_("{done}/{total} completed").format(done=done, total=len(modules)))
        if started:
            details.append(_("{n} in progress").format(n=started))
        details.append(_day(company.updated, self.hrdd.lang))
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

        if not self.hrdd.loaded:
            return
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
