"""The company profile form: it decides which questions apply."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

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
from ..models import Profile
from ..profile import MINERALS_ANSWERS, REGION_NAMES, nace_sections, product_names
from ..radar import match_products
from .base import BaseScreen

YES_NO_FIELDS = {
    "sells_to_large_companies": N_("Do you sell to large companies (which may ask about your due diligence)?"),
    "public_buyer": N_("Do you supply public buyers (government contracts)?"),
    "imports_non_eu": N_("Do you buy goods or materials from outside the EU?"),
    "b2c": N_("Do you sell to consumers?"),
}
PROFILE_MAX = 10_000_000
"""Upper bound for employees and turnover (€ million) typed in the profile."""
NUMBER_FIELDS = ("employees", "turnover_eur_m")
MINERALS_QUESTION = N_("Do your products contain tin, tantalum, tungsten or gold (3TG), for example in "
                       "electronics, solder or jewellery?")


class ProfileScreen(BaseScreen):
    """Create a company, or edit its profile."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="cancel"),
    ]

    def __init__(self, company_id: int | None):
        super().__init__()
        self.company_id = company_id
        self.draft: dict[str, Any] = {}
        if company_id is not None:
            profile = self.hrdd.store.company(company_id).profile
            self.draft = profile.model_dump()
            for key in NUMBER_FIELDS:
                if self.draft[key] is not None:
                    self.draft[key] = fmt_input_number(self.draft[key])
            lang = self.hrdd.lang
            self.draft["products"] = ", ".join(product_names(profile.products, self.hrdd.bundle.reference, lang))
            names = country_names(lang)
            self.draft["sourcing_countries"] = ", ".join(names.get(c, c) for c in profile.sourcing_countries)

    def compose(self) -> ComposeResult:
        lang = self.hrdd.lang
        d = self.draft
        yield Header()
        with VerticalScroll(id="profile-form"):
            yield Static(_("Company profile") if self.company_id else _("New company"), classes="title")
            yield Static(_("Your answers decide which questions apply to you. Leave a field empty if "
                           "you do not know."), classes="intro")
            yield Label(_("Company name"))
            yield Input(value=d.get("name") or "", id="name", max_length=300)
            yield Label(_("Number of employees"))
            yield Input(value=str(d.get("employees") or ""), id="employees", placeholder="35")
            yield Label(_("Annual turnover (€ million)"))
            yield Input(value=str(d.get("turnover_eur_m") or ""), id="turnover_eur_m",
                        placeholder=fmt_number(6.5))
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
            yield Label(_("Main products and raw materials you buy or sell (separate them with commas)"))
            yield Input(value=d.get("products") or "", id="products",
                        placeholder=_("for example: cocoa, coffee, cotton, electronics"))
            yield Static(self._recognised("products"), id="products-recognised", markup=False, classes="muted")
            yield Label(_("Countries you buy from (separate them with commas)"))
            yield Input(value=d.get("sourcing_countries") or "", id="sourcing_countries",
                        placeholder=_("for example: Ghana, Vietnam, Türkiye"))
            yield Static(self._recognised("sourcing_countries"), id="sourcing_countries-recognised",
                         markup=False, classes="muted")
            yield Static("", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_language_changed(self, old: str, new: str) -> None:
        """Numbers typed the old language's way are shown the new language's way."""
        for key in NUMBER_FIELDS:
            self.draft[key] = relocalise_number(str(self.draft.get(key) or ""), old, new)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        self.draft[key] = event.value
        if key in ("products", "sourcing_countries"):
            self.query_one(f"#{key}-recognised", Static).update(self._recognised(key))

    def _matched(self, key: str) -> tuple[list[str], list[str]]:
        text = str(self.draft.get(key) or "")
        if key == "products":
            reference = self.hrdd.bundle.reference
            return match_products(text, reference) if reference else ([], [])
        return match_countries(text)

    def _recognised(self, key: str) -> str:
        """What hrdd understood of a typed list, so nothing is dropped silently."""
        found, unknown = self._matched(key)
        names = product_names(found, self.hrdd.bundle.reference, self.hrdd.lang) if key == "products" \
            else [country_names().get(c, c) for c in found]
        parts = []
        if names:
            parts.append(colon(_("Recognised")) + " " + ", ".join(names))
        if unknown:
            parts.append(colon(_("Not recognised, will not be saved")) + " " + ", ".join(unknown))
        return " · ".join(parts)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        key = event.select.id or ""
        value = None if event.value is Select.NULL else event.value
        self.draft[key] = (value == "yes") if key in YES_NO_FIELDS and value is not None else value

    def read_profile(self) -> Profile:
        """The profile as typed; ``ValueError`` with a translated message if something is off."""
        data = dict(self.draft)
        if not str(data.get("name") or "").strip():
            raise ValueError(_("Please give the company's name."))
        for key, label in (("employees", _("Number of employees")),
                           ("turnover_eur_m", _("Annual turnover (€ million)"))):
            text = str(data.get(key) or "").strip()
            if not text:
                data[key] = None
                continue
            try:
                number = parse_number(text)
            except ValueError as exc:
                raise ValueError(f"{colon(label)} {exc}") from None
            if not 0 <= number <= PROFILE_MAX or (key == "employees" and number != int(number)):
                expected = _("expected a whole number from 0 to {high}") if key == "employees" \
                    else _("expected a number from {low} to {high}")
                raise ValueError(f"{colon(label)} {expected.format(low=0, high=fmt_number(PROFILE_MAX))}")
            data[key] = int(number) if key == "employees" else number
        data["products"] = self._matched("products")[0]
        data["sourcing_countries"] = self._matched("sourcing_countries")[0]
        try:
            return Profile(**{k: data.get(k) for k in Profile.model_fields})
        except ValidationError as exc:
            raise ValueError("; ".join(str(e["msg"]) for e in exc.errors())) from None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from .company import CompanyScreen

        try:
            profile = self.read_profile()
        except ValueError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        store = self.hrdd.store
        if self.company_id is None:
            company_id = store.create_company(profile)
            self.app.switch_screen(CompanyScreen(company_id))
        else:
            store.update_company(self.company_id, profile)
            self.app.pop_screen()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.app.pop_screen()
