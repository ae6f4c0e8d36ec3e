"""The company profile as people read it: sector names, regions, yes/no, size."""

from __future__ import annotations

import csv
from functools import lru_cache

from .i18n import N_, colon, country_names, fmt_number, t
from .models import Profile
from .paths import questionnaires_dir
from .radar import Reference

REGION_NAMES = {"flanders": N_("Flanders"), "wallonia": N_("Wallonia"), "brussels": N_("Brussels-Capital")}


@lru_cache(maxsize=1)
def nace_sections() -> dict[str, dict[str, str]]:
    """NACE-BEL 2008 section letter → {nl, fr, en} label (Statbel)."""
    with (questionnaires_dir() / "reference" / "nace_sections.csv").open(encoding="utf-8") as fh:
        return {row["code"]: {"nl": row["nl"], "fr": row["fr"], "en": row["en"]} for row in csv.DictReader(fh)}


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return t("Not given", lang)
    return t("Yes", lang) if value else t("No", lang)


MINERALS_ANSWERS = {"yes": N_("Yes"), "no": N_("No"), "unknown": N_("Don't know")}
SIZE_NAMES = {"micro": N_("Micro company"), "small": N_("Small company"), "medium": N_("Medium-sized company"),
              "large": N_("Large company")}
"""Size classes of the EU SME definition (Recommendation 2003/361/EC)."""
SUPPLIES_NAMES = {"goods": N_("Goods"), "services": N_("Services"), "both": N_("Goods and services")}
WORKFORCE_NAMES = {
    "agency": N_("Temporary agency workers"),
    "students": N_("Student workers"),
    "seasonal": N_("Seasonal or occasional workers"),
    "subcontractors_on_site": N_("Subcontractors' workers on your sites or premises"),
    "posted": N_("Workers posted to Belgium by a foreign employer"),
    "self_employed": N_("Freelancers you subcontract work to"),
}
MINERALS_FORM_NAMES = {"metals": N_("As ores or metals"), "components": N_("In components or finished products"),
                       "both": N_("Both")}
CHANNEL_NAMES = {"direct": N_("imported by you"), "eu_intermediary": N_("through an EU intermediary"),
                 "unknown": N_("channel not known")}
CHANNEL_CHOICES = {"direct": N_("Imported by you from outside the EU"),
                   "eu_intermediary": N_("Bought through an intermediary in the EU"),
                   "unknown": N_("Don't know")}
"""How a product is bought, as the choices of a form (CHANNEL_NAMES: as said inside a sentence)."""
WORKFORCE_NONE = N_("None of these")
"""The answer that says nobody else works for the company (workforce ``[]``), unlike "not given"."""


def product_names(keys: list[str], reference: Reference | None, lang: str) -> list[str]:
    """Product keys as names in ``lang``."""
    names = []
    for key in keys:
        product = reference.product(key) if reference else None
        names.append(product.name.get(lang) if product else key)
    return names


def sourcing_lines(profile: Profile, reference: Reference | None, lang: str) -> list[str]:
    """"Cocoa: Côte d'Ivoire, Ghana (imported by you)" for each sourcing pair."""
    countries = country_names(lang)
    return [f"{colon(product_names([s.product], reference, lang)[0], lang)} "
            f"{', '.join(countries.get(c, c) for c in s.origins)} ({t(CHANNEL_NAMES[s.channel], lang)})"
            for s in profile.sourcing]


def describe_profile(profile: Profile, lang: str, reference: Reference | None = None) -> list[tuple[str, str]]:
    """(label, value) lines describing the company in ``lang``."""
    not_given = t("Not given", lang)
    countries = country_names(lang)
    sector = f"{profile.nace} – {nace_sections()[profile.nace][lang]}" if profile.nace else not_given
    size = profile.size_class
    workforce = profile.workforce
    return [
        (t("Sector (NACE)", lang), sector),
        (t("Region", lang), t(REGION_NAMES[profile.region], lang) if profile.region else not_given),
        (t("Employees", lang), fmt_number(profile.employees, lang) if profile.employees is not None else not_given),
        (t("Annual turnover (€ million)", lang),
         fmt_number(profile.turnover_eur_m, lang) if profile.turnover_eur_m is not None else not_given),
        (t("Size class (EU SME definition)", lang), t(SIZE_NAMES[size], lang) if size else not_given),
        (t("Supplies", lang), t(SUPPLIES_NAMES[profile.supplies], lang) if profile.supplies else not_given),
        (t("Other workers", lang), not_given if workforce is None else
         (", ".join(t(WORKFORCE_NAMES[w], lang) for w in workforce) or t("None", lang))),
        (t("Sells to large companies", lang), yes_no(profile.sells_to_large_companies, lang)),
        (t("Supplies public buyers", lang), yes_no(profile.public_buyer, lang)),
        (t("Imports directly from outside the EU", lang), yes_no(profile.imports_non_eu, lang)),
        (t("Sells to consumers", lang), yes_no(profile.b2c, lang)),
        (t("Products with tin, tantalum, tungsten or gold", lang),
         t(MINERALS_ANSWERS[profile.minerals_3tg], lang)
         + (f" ({t(MINERALS_FORM_NAMES[profile.minerals_form], lang).lower()})" if profile.minerals_form else "")
         if profile.minerals_3tg else not_given),
        (t("Main products and raw materials", lang),
         ", ".join(product_names(profile.products, reference, lang)) or not_given),
        (t("What you buy and where it comes from", lang), "; ".join(sourcing_lines(profile, reference, lang))
         or (", ".join(countries.get(c, c) for c in profile.sourcing_countries) or not_given)),
    ]
