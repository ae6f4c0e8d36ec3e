"""The company profile form: it decides which questions apply.

Profile v2 asks how the company really works (issue 8): what it supplies, who else works for it,
whether it imports itself, and for each product it buys the countries it comes from and how it
is bought. Everything typed lives in ``draft`` and ``rows``, so a language switch, which rebuilds
the screen, loses nothing; the focus goes back to the field it was on.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Header, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from ..i18n import (
    N_,
    _,
    colon,
    country_names,
    fmt_input_number,
    fmt_number,
    match_countries,
    parse_number,
    relocalise_number,
)
from ..models import WORKFORCE, Profile, size_class
from ..profile import (
    CHANNEL_CHOICES,
    MINERALS_ANSWERS,
    MINERALS_FORM_NAMES,
    REGION_NAMES,
    SIZE_NAMES,
    SUPPLIES_NAMES,
    WORKFORCE_NAMES,
    WORKFORCE_NONE,
    nace_sections,
    product_names,
)
from ..radar import match_products
from .base import BaseScreen, Footer

YES_NO_FIELDS = {
    "sells_to_large_companies": N_("Do you sell to large companies (which may ask about your due diligence)?"),
    "public_buyer": N_("Do you supply public buyers (government contracts)?"),
    "imports_non_eu": N_("Do you yourself import goods from outside the EU (you are the importer, not a "
                         "supplier in the EU)?"),
    "b2c": N_("Do you sell to consumers?"),
}
PROFILE_MAX = 10_000_000
"""Upper bound for employees and turnover (€ million) typed in the profile."""
NUMBER_FIELDS = ("employees", "turnover_eur_m")
EMPLOYEES_LABEL = N_("Number of employees (0 for a sole trader without staff)")
TURNOVER_LABEL = N_("Annual turnover (€ million)")
MINERALS_QUESTION = N_("Do your products contain tin, tantalum, tungsten or gold (3TG), for example in "
                       "electronics, solder or jewellery?")
MINERALS_FORM_QUESTION = N_("In what form do these metals reach you?")
SUPPLIES_QUESTION = N_("What does your company supply to its customers?")
WORKFORCE_QUESTION = N_("Who else works for you besides your own employees? Tick all that apply with "
                        "Space, or “None of these”.")
REVIEW_NOTICE = N_("hrdd now asks how your company works: please check the new fields (what you supply, "
                   "other workers, whether you import yourself, and where each product you buy comes "
                   "from), then save.")
SOURCING_HELP = N_("One row per product you buy: the countries it comes from (where it is grown, mined or "
                   "made, not where your supplier is) and how you buy it. Ctrl+N adds a row, Ctrl+R "
                   "removes the row you are in.")
NONE = "none"
"""The workforce choice "None of these" (workforce ``[]``); nothing ticked means not given."""


class ProfileScreen(BaseScreen):
    """Create a company, or edit its profile (``review``: a profile from before v2, to check)."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", priority=True),
        Binding("ctrl+n", "add_row", N_("Add a product"), id="add-row", priority=True),
        Binding("ctrl+r", "remove_row", N_("Remove row"), id="remove-row", priority=True, show=False),
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
    ]

    def __init__(self, company_id: int | None, review: bool = False):
        super().__init__()
        self.company_id = company_id
        self.review = review
        self.draft: dict[str, Any] = {}
        self.rows: list[dict[str, Any]] = []
        """Sourcing rows as typed: key (widget ids), product, countries (text), channel."""
        self.legacy_countries: list[str] = []
        """Countries bought from, as a profile v1 gave them: shown as a hint, kept on save."""
        self.checked = False
        """A save was tried: problems are shown next to their fields and kept up to date."""
        if company_id is not None:
            profile = self.hrdd.store.company(company_id).profile
            self.draft = profile.model_dump(exclude={"sourcing", "sourcing_countries"})
            for key in NUMBER_FIELDS:
                if self.draft[key] is not None:
                    self.draft[key] = fmt_input_number(self.draft[key])
            lang, reference = self.hrdd.lang, self.hrdd.bundle.reference
            self.draft["products"] = ", ".join(product_names(profile.products, reference, lang))
            names = country_names(lang)
            self.rows = [{"key": n, "product": product_names([s.product], reference, lang)[0],
                          "countries": ", ".join(names.get(c, c) for c in s.origins), "channel": s.channel}
                         for n, s in enumerate(profile.sourcing)]
            self.legacy_countries = list(profile.sourcing_countries)
        if not self.rows:
            self.rows = [self._blank_row(0)]
        self.next_key = max(r["key"] for r in self.rows) + 1
        self.opened = self._snapshot()
        self.leave_warned = False

    @staticmethod
    def _blank_row(key: int) -> dict[str, Any]:
        return {"key": key, "product": "", "countries": "", "channel": None}

    # --- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self.hrdd.lang
        d = self.draft
        problems = self._problems() if self.checked else {}
        yield Header()
        with VerticalScroll(id="profile-form"):
            if self.review:
                yield Static(_(REVIEW_NOTICE), id="review-notice", markup=False)
            yield Static(_("Company profile") if self.company_id else _("New company"), classes="title")
            yield Static(_("Your answers decide which questions apply to you. Leave a field empty if "
                           "you do not know."), classes="intro")
            yield Label(_("Company name"))
            yield Input(value=d.get("name") or "", id="name", max_length=300)
            yield self._error_line("name", problems)
            yield Label(_(SUPPLIES_QUESTION))
            yield Select([(_(name), key) for key, name in SUPPLIES_NAMES.items()], prompt=_("Not given"),
                         id="supplies", value=d.get("supplies") or Select.NULL)
            yield Label(_(EMPLOYEES_LABEL))
            yield Input(value=str(d.get("employees") or ""), id="employees", placeholder="35")
            yield self._error_line("employees", problems)
            yield Label(_(TURNOVER_LABEL))
            yield Input(value=str(d.get("turnover_eur_m") or ""), id="turnover_eur_m",
                        placeholder=fmt_number(6.5))
            yield self._error_line("turnover_eur_m", problems)
            yield Static(self._size_text(), id="size-class", markup=False)
            yield Label(_(WORKFORCE_QUESTION))
            workforce = d.get("workforce")
            yield SelectionList[str](
                *[Selection(_(name), key, key in (workforce or [])) for key, name in WORKFORCE_NAMES.items()],
                Selection(_(WORKFORCE_NONE), NONE, workforce == []), id="workforce")
            yield Label(_("Sector (NACE)"))
            yield Select([(f"{code} – {labels[lang]}", code) for code, labels in nace_sections().items()],
                         prompt=_("Not given"), id="nace", value=d.get("nace") or Select.NULL)
            yield Label(_("Region of your registered office"))
            yield Select([(_(name), key) for key, name in REGION_NAMES.items()], prompt=_("Not given"),
                         id="region", value=d.get("region") or Select.NULL)
            for key, question in YES_NO_FIELDS.items():
                yield Label(_(question))
                value = d.get(key)
                yield Select([(_("Yes"), "yes"), (_("No"), "no")], prompt=_("Not given"), id=key,
                             value=Select.NULL if value is None else ("yes" if value else "no"))
            yield Label(_(MINERALS_QUESTION))
            yield Select([(_(name), key) for key, name in MINERALS_ANSWERS.items()], prompt=_("Not given"),
                         id="minerals_3tg", value=d.get("minerals_3tg") or Select.NULL)
            with Vertical(id="minerals-form-box"):
                yield Label(_(MINERALS_FORM_QUESTION))
                yield Select([(_(name), key) for key, name in MINERALS_FORM_NAMES.items()],
                             prompt=_("Not given"), id="minerals_form", value=d.get("minerals_form") or Select.NULL)
            yield Label(_("Main products and raw materials you buy or sell (separate them with commas)"))
            yield Input(value=d.get("products") or "", id="products",
                        placeholder=_("for example: cocoa, coffee, cotton, electronics"))
            yield Static(self._recognised(), id="products-recognised", markup=False, classes="muted")
            yield Static(_("What you buy and where it comes from"), classes="section")
            yield Static(_(SOURCING_HELP), classes="muted", markup=False)
            if self.legacy_countries:
                names = country_names(lang)
                yield Static(colon(_("Countries you gave before, to put in the rows below (they stay in your "
                                     "profile)")) + " " + ", ".join(names.get(c, c) for c in self.legacy_countries),
                             id="legacy-countries", markup=False)
            with Vertical(id="sourcing"):
                for row in self.rows:
                    yield self._row(row, problems)
            yield Button(_("Add a product"), id="add-row", compact=True)
            yield Static("", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")
        yield Footer(compact=True)

    def _error_line(self, key: str, problems: dict[str, tuple[str, str]]) -> Static:
        message = problems.get(key, ("", ""))[0]
        line = Static(message, id=f"{key}-error", markup=False, classes="field-error")
        line.display = bool(message)
        return line

    def _row(self, row: dict[str, Any], problems: dict[str, tuple[str, str]]) -> Vertical:
        """One product → countries of origin pair: two inputs, how it is bought, what was understood."""
        key = row["key"]
        note = Static(self._row_note(row), id=f"src-note-{key}", markup=False, classes="src-note")
        note.set_class(f"row-{key}" in problems, "-problem")
        return Vertical(
            Horizontal(
                Input(value=row["product"], id=f"src-product-{key}", classes="src-product",
                      placeholder=_("Product, e.g. cocoa")),
                Input(value=row["countries"], id=f"src-countries-{key}", classes="src-countries",
                      placeholder=_("Countries of origin, e.g. Ghana")),
                classes="src-line"),
            Horizontal(
                Select([(_(name), k) for k, name in CHANNEL_CHOICES.items()], prompt=_("How do you buy it?"),
                       id=f"src-channel-{key}", classes="src-channel", value=row["channel"] or Select.NULL),
                Button(_("Remove"), id=f"src-remove-{key}", classes="src-remove", compact=True),
                classes="src-line"),
            note,
            id=f"src-{key}", classes="src-row")

    def on_mount(self) -> None:
        self.query_one("#supplies" if self.review else "#name").focus()
        self._show_minerals_form()

    # --- language switch ----------------------------------------------------------
    def on_language_changed(self, old: str, new: str) -> None:
        """Numbers typed the old language's way are shown the new language's way."""
        for key in NUMBER_FIELDS:
            self.draft[key] = relocalise_number(str(self.draft.get(key) or ""), old, new)

    async def recompose(self) -> None:
        """Rebuild in the new language and put the focus, the cursor and the scroll back."""
        if not self.is_attached:
            return
        focused = self._focused_field()
        cursor = self.focused.cursor_position if isinstance(self.focused, Input) else None
        highlighted = self.focused.highlighted if isinstance(self.focused, SelectionList) else None
        scroll_y = self.query_one("#profile-form", VerticalScroll).scroll_y
        await super().recompose()
        self._show_minerals_form()
        form = self.query_one("#profile-form", VerticalScroll)
        form.scroll_to(y=scroll_y, animate=False, immediate=True)
        if focused is None:
            return
        widget = self.query_one(f"#{focused.id}")
        if isinstance(widget, Input) and cursor is not None:
            # back where the person was typing, not with everything selected (typing would replace it)
            widget.select_on_focus = False
            widget.cursor_position = cursor
        if isinstance(widget, SelectionList) and highlighted is not None:
            widget.highlighted = highlighted
        widget.focus(scroll_visible=False)
        self.call_after_refresh(lambda: form.scroll_to(y=scroll_y, animate=False, immediate=True))
        self.call_after_refresh(widget.scroll_visible, animate=False)

    def _focused_field(self) -> Widget | None:
        """The form field holding the focus (a Select's menu counts as the Select)."""
        node = self.focused
        while node is not None and node is not self:
            if isinstance(node, Widget) and node.id and node.can_focus:
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    # --- typing ---------------------------------------------------------------------
    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        if key.startswith("src-"):
            part, row = self._row_of(key)
            if row is not None:
                row[part] = event.value
                self._update_row_note(row)
            return
        self.draft[key] = event.value
        if key == "products":
            self.query_one("#products-recognised", Static).update(self._recognised())
        if key in NUMBER_FIELDS:
            self.query_one("#size-class", Static).update(self._size_text())
        if self.checked and key in ("name", *NUMBER_FIELDS):
            self._update_error_line(key)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        key = event.select.id or ""
        value = None if event.value is Select.NULL else event.value
        if key.startswith("src-channel-"):
            _part, row = self._row_of(key)
            if row is not None:
                row["channel"] = value
            return
        self.draft[key] = (value == "yes") if key in YES_NO_FIELDS and value is not None else value
        if key == "minerals_3tg":
            self._show_minerals_form()

    @on(SelectionList.SelectionToggled, "#workforce")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        """"None of these" and the kinds of workers exclude each other."""
        selections = event.selection_list
        value = event.selection.value
        if value not in selections.selected:
            return
        if value == NONE:
            for kind in WORKFORCE:
                selections.deselect(kind)
        else:
            selections.deselect(NONE)

    @on(SelectionList.SelectedChanged, "#workforce")
    def _workforce(self, event: SelectionList.SelectedChanged[str]) -> None:
        selected = event.selection_list.selected
        if not selected:
            self.draft["workforce"] = None
        elif NONE in selected and len(selected) == 1:
            self.draft["workforce"] = []
        else:
            self.draft["workforce"] = [w for w in WORKFORCE if w in selected]

    def _show_minerals_form(self) -> None:
        """The form of 3TG is asked only when the company has them or does not know."""
        self.query_one("#minerals-form-box").display = self.draft.get("minerals_3tg") in ("yes", "unknown")

    def _size_text(self) -> str:
        """The size class the EU SME definition gives for what is typed, or how to get one."""
        employees, _problem = self._number("employees")
        turnover, _problem = self._number("turnover_eur_m")
        label = colon(_("Size class (EU SME definition)"))
        if employees is None or employees != int(employees):
            return label + " " + _("give the number of employees")
        size = size_class(int(employees), turnover)
        text = f"{label} {_(SIZE_NAMES[size])}" if size else label
        if turnover is None and not str(self.draft.get("turnover_eur_m") or "").strip():
            text += " " + _("(from the number of employees only)")
        return text

    # --- recognition ----------------------------------------------------------------
    def _recognised(self) -> str:
        """What hrdd understood of the product list, so nothing is dropped silently."""
        reference = self.hrdd.bundle.reference
        text = str(self.draft.get("products") or "")
        found, unknown = match_products(text, reference) if reference else ([], [])
        names = product_names(found, reference, self.hrdd.lang)
        parts = []
        if names:
            parts.append(colon(_("Recognised")) + " " + ", ".join(names))
        if unknown:
            parts.append(colon(_("Not recognised, will not be saved")) + " " + ", ".join(unknown))
        return " · ".join(parts)

    def _row_of(self, widget_id: str) -> tuple[str, dict[str, Any] | None]:
        """("product" | "countries" | "channel" | …, the row) for a sourcing widget id."""
        _src, part, key = widget_id.split("-", 2)
        return part, next((r for r in self.rows if str(r["key"]) == key), None)

    def _row_check(self, row: dict[str, Any]) -> tuple[str, str | None, str]:
        """(what was understood, the problem or None, the field to correct) for one sourcing row."""
        key = row["key"]
        product_text, countries_text = row["product"].strip(), row["countries"].strip()
        if not product_text and not countries_text:
            return "", None, ""
        reference = self.hrdd.bundle.reference
        products, unknown_products = match_products(product_text, reference) if reference else ([], [product_text])
        countries, unknown_countries = match_countries(countries_text)
        names = country_names()
        understood = [*product_names(products, reference, self.hrdd.lang),
                      *(names.get(c, c) for c in countries)]
        parts = [colon(_("Recognised")) + " " + ", ".join(understood)] if understood else []
        if unknown_countries and countries:
            parts.append(colon(_("Not recognised, will not be saved")) + " " + ", ".join(unknown_countries))
        problem, field = None, f"src-product-{key}"
        if not product_text:
            problem = _("Give the product.")
        elif len(products) + len(unknown_products) > 1:
            problem = _("One product per row: add a row for each product (Ctrl+N).")
        elif not products:
            problem = _("Product not recognised: “{text}”. Try its common name, e.g. cocoa, cotton, "
                        "tin.").format(text=product_text)
        elif not countries_text:
            problem, field = _("Give the countries this product comes from."), f"src-countries-{key}"
        elif not countries:
            problem, field = (_("No country recognised: “{text}”.").format(text=countries_text),
                              f"src-countries-{key}")
        return " · ".join([problem, *parts] if problem else parts), problem, field

    def _row_note(self, row: dict[str, Any]) -> str:
        return self._row_check(row)[0]

    def _update_row_note(self, row: dict[str, Any]) -> None:
        text, problem, _field = self._row_check(row)
        note = self.query_one(f"#src-note-{row['key']}", Static)
        note.update(text)
        note.set_class(self.checked and problem is not None, "-problem")

    # --- sourcing rows --------------------------------------------------------------
    @on(Button.Pressed, "#add-row")
    async def action_add_row(self) -> None:
        row = self._blank_row(self.next_key)
        self.next_key += 1
        self.rows.append(row)
        widget = self._row(row, {})
        await self.query_one("#sourcing", Vertical).mount(widget)
        self.query_one(f"#src-product-{row['key']}", Input).focus(scroll_visible=False)
        self.call_after_refresh(widget.scroll_visible, animate=False)

    @on(Button.Pressed, ".src-remove")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        _part, row = self._row_of(event.button.id or "")
        if row is not None:
            await self._remove(row)

    async def action_remove_row(self) -> None:
        row = self._focused_row()
        if row is not None:
            await self._remove(row)

    def _focused_row(self) -> dict[str, Any] | None:
        node = self.focused
        while node is not None and node is not self:
            if node.has_class("src-row"):
                return next((r for r in self.rows if f"src-{r['key']}" == node.id), None)
            node = node.parent  # type: ignore[assignment]
        return None

    async def _remove(self, row: dict[str, Any]) -> None:
        index = self.rows.index(row)
        self.rows.remove(row)
        await self.query_one(f"#src-{row['key']}").remove()
        if self.rows:
            following = self.rows[min(index, len(self.rows) - 1)]
            self.query_one(f"#src-product-{following['key']}", Input).focus()
        else:
            self.query_one("#add-row", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_row":
            return self._focused_row() is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, Input):
            event.widget.select_on_focus = True

    # --- reading and saving ---------------------------------------------------------
    def _number(self, key: str) -> tuple[float | None, str | None]:
        """The number typed in ``key`` (None when empty) and the problem with it, if any."""
        label = _(EMPLOYEES_LABEL) if key == "employees" else _(TURNOVER_LABEL)
        text = str(self.draft.get(key) or "").strip()
        if not text:
            return None, None
        try:
            number = parse_number(text)
        except ValueError as exc:
            return None, f"{colon(label)} {exc}"
        if not 0 <= number <= PROFILE_MAX or (key == "employees" and number != int(number)):
            expected = _("expected a whole number from 0 to {high}") if key == "employees" \
                else _("expected a number from {low} to {high}")
            return None, f"{colon(label)} {expected.format(low=0, high=fmt_number(PROFILE_MAX))}"
        return number, None

    def _problems(self) -> dict[str, tuple[str, str]]:
        """Everything that keeps the profile from being saved, in form order:
        key of the error line → (message, id of the field to correct)."""
        problems: dict[str, tuple[str, str]] = {}
        if not str(self.draft.get("name") or "").strip():
            problems["name"] = (_("Please give the company's name."), "name")
        for key in NUMBER_FIELDS:
            problem = self._number(key)[1]
            if problem:
                problems[key] = (problem, key)
        for row in self.rows:
            _text, problem, field = self._row_check(row)
            if problem:
                problems[f"row-{row['key']}"] = (problem, field)
        return problems

    def _update_error_line(self, key: str) -> None:
        message = self._problems().get(key, ("", ""))[0]
        line = self.query_one(f"#{key}-error", Static)
        line.update(message)
        line.display = bool(message)

    def read_profile(self) -> Profile:
        """The profile as typed; ``ValueError`` with a translated message if something is off."""
        problems = self._problems()
        if problems:
            raise ValueError(next(iter(problems.values()))[0])
        data = dict(self.draft)
        for key in NUMBER_FIELDS:
            number = self._number(key)[0]
            data[key] = None if number is None else int(number) if key == "employees" else number
        reference = self.hrdd.bundle.reference
        data["products"] = match_products(str(data.get("products") or ""), reference)[0] if reference else []
        if data.get("minerals_3tg") not in ("yes", "unknown"):
            data["minerals_form"] = None
        data["sourcing"] = []
        for row in self.rows:
            if row["product"].strip() or row["countries"].strip():
                product = match_products(row["product"], reference)[0][0] if reference else row["product"]
                data["sourcing"].append({"product": product, "origins": match_countries(row["countries"])[0],
                                         "channel": row["channel"] or "unknown"})
        data["sourcing_countries"] = self.legacy_countries
        try:
            return Profile(**{k: data.get(k) for k in Profile.model_fields})
        except ValidationError as exc:
            raise ValueError("; ".join(str(e["msg"]) for e in exc.errors())) from None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from .company import CompanyScreen

        self.checked = True
        problems = self._problems()
        for key in ("name", *NUMBER_FIELDS):
            self._update_error_line(key)
        for row in self.rows:
            self._update_row_note(row)
        if problems:
            key, (message, field) = next(iter(problems.items()))
            self._reveal(field, f"#{key}-error" if not key.startswith("row-") else f"#src-{key[4:]}")
            more = len(problems) - 1
            self.notify(message if not more else message + " " + _("({n} more to correct)").format(n=more),
                        title=_("Please correct the form"), severity="error")
            return
        try:
            profile = self.read_profile()
        except ValueError as exc:
            self.query_one("#error", Static).update(str(exc))
            self._reveal("save", "#error")
            self.notify(str(exc), title=_("Please correct the form"), severity="error")
            return
        store = self.hrdd.store
        if self.company_id is None:
            company_id = store.create_company(profile)
            self.app.switch_screen(CompanyScreen(company_id))
        else:
            store.update_company(self.company_id, profile)
            self.app.pop_screen()

    def _reveal(self, field: str, error: str) -> None:
        """Focus the field to correct and bring its error into view (centred, so the field shows too)."""
        self.query_one(f"#{field}").focus(scroll_visible=False)
        form = self.query_one("#profile-form", VerticalScroll)
        target = self.query_one(error)
        self.call_after_refresh(lambda: form.scroll_to_center(target, animate=False, immediate=True))

    def _snapshot(self) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
        """What is typed, to tell whether anything changed since the form was opened."""
        fields = {k: v for k, v in self.draft.items() if v is not None and v != ""}
        rows = [(r["product"].strip(), r["countries"].strip(), r["channel"]) for r in self.rows
                if r["product"].strip() or r["countries"].strip() or r["channel"]]
        return fields, rows

    def action_cancel(self) -> None:
        """Escape leaves the form; with changes typed, only when pressed a second time."""
        if self._snapshot() != self.opened and not self.leave_warned:
            self.leave_warned = True
            self.notify(_("Your changes are not saved: press Ctrl+S to save, or Escape again to leave without "
                          "saving."), severity="warning")
            return
        self.app.pop_screen()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.app.pop_screen()
