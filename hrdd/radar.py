"""The risk radar (products × sourcing countries) and the legal radar, from dated reference data.

* Risk flags come from the U.S. DOL ILAB list of goods produced with child or forced labour
  (2022 edition) and the EU's indicative list of conflict-affected and high-risk areas
  (CAHRA). Each flag names its source and edition.
* The legal radar says which rules may concern a company, directly or through its
  customers, from ``questionnaires/reference/legal.yaml`` (dated ``as_of``).

Products are matched through a small table of names and synonyms in nl / fr / en — no
fuzzy guessing: a product a person types either matches a known name or it does not.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from .conditions import holds
from .i18n import N_, fold
from .models import LegalRadar, LegalRule, Product, ProductTable, Profile

ILAB_SOURCE = N_("U.S. Department of Labor, ILAB, List of Goods Produced by Child Labor or Forced Labor")
CAHRA_SOURCE = N_("EU indicative list of conflict-affected and high-risk areas (Regulation (EU) 2017/821)")
"""Source names (English msgids: translate with ``t()`` where they are shown)."""


@dataclass(frozen=True)
class IlabRow:
    country: str
    good: str
    child_labour: bool
    forced_labour: bool
    edition: str


@dataclass(frozen=True)
class CahraRow:
    country: str
    area: str
    """The area's proper name, or "" when the whole country is listed."""
    list_date: str


@dataclass(frozen=True)
class Reference:
    """Reference data shipped with hrdd, read once."""

    products: ProductTable
    ilab: list[IlabRow]
    cahra: list[CahraRow]
    legal: LegalRadar

    def product(self, product_id: str) -> Product | None:
        return next((p for p in self.products.products if p.id == product_id), None)

    @cached_property
    def name_index(self) -> dict[str, str]:
        """Every name and synonym, folded, → product key."""
        return _name_index(self.products)


@dataclass(frozen=True)
class RiskFlag:
    kind: Literal["child_labour", "forced_labour", "cahra"]
    product: str
    """Product key."""
    country: str
    """ISO 3166 alpha-2 code."""
    detail: str
    """The ILAB good, or the CAHRA areas listed for the country ("" when the whole country is listed)."""
    source: str
    edition: str


@dataclass(frozen=True)
class LegalHit:
    rule: LegalRule
    how: Literal["direct", "via_customers"]


def _truthy(text: str) -> bool:
    return text.strip().lower() == "true"


def read_reference(folder: Path, legal: LegalRadar, products: ProductTable) -> Reference:
    """Read the CSV lists in ``folder`` and combine them with the validated YAML tables."""
    with (folder / "ilab_goods.csv").open(encoding="utf-8") as fh:
        ilab = [IlabRow(r["iso3166_alpha2"], r["good"], _truthy(r["child_labor"]), _truthy(r["forced_labor"]),
                        r["edition_year"]) for r in csv.DictReader(fh)]
    with (folder / "eu_cahra.csv").open(encoding="utf-8") as fh:
        cahra = [CahraRow(r["iso3166_alpha2"], r["area_detail"].split(" (")[0] if r["subdivision_code"] else "",
                          r["list_date"]) for r in csv.DictReader(fh)]
    return Reference(products=products, ilab=ilab, cahra=cahra, legal=legal)


def _name_index(products: ProductTable) -> dict[str, str]:
    index: dict[str, str] = {}
    for p in products.products:
        names = [p.id.replace("_", " "), *(p.name.get(lang) for lang in ("nl", "fr", "en"))]
        names += [s for synonyms in p.synonyms.values() for s in synonyms]
        for name in names:
            index.setdefault(fold(name), p.id)
    return index


def match_products(text: str, ref: Reference) -> tuple[list[str], list[str]]:
    """Product keys named in comma-separated ``text`` (names or synonyms in nl, fr or en),
    and the parts that matched no product."""
    found: list[str] = []
    unknown: list[str] = []
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        key = ref.name_index.get(fold(part))
        if key is None:
            unknown.append(part.strip())
        elif key not in found:
            found.append(key)
    return found, unknown


def risk_flags(profile: Profile, ref: Reference) -> list[RiskFlag]:
    """Named, sourced risks for the company's products and sourcing countries."""
    flags: list[RiskFlag] = []
    countries = set(profile.sourcing_countries)
    for key in profile.products:
        product = ref.product(key)
        if product is None:
            continue
        goods = set(product.ilab_goods)
        for row in ref.ilab:
            if row.country in countries and row.good in goods:
                if row.child_labour:
                    flags.append(RiskFlag("child_labour", key, row.country, row.good, ILAB_SOURCE, row.edition))
                if row.forced_labour:
                    flags.append(RiskFlag("forced_labour", key, row.country, row.good, ILAB_SOURCE, row.edition))
        if product.mineral_3tg or product.contains_3tg:
            for country in sorted(countries):
                areas = [r for r in ref.cahra if r.country == country]
                if areas:
                    names = [a.area for a in areas if a.area]
                    detail = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
                    flags.append(RiskFlag("cahra", key, country, detail, CAHRA_SOURCE, areas[0].list_date))
    order = {"forced_labour": 0, "child_labour": 1, "cahra": 2}
    return sorted(flags, key=lambda f: (order[f.kind], f.product, f.country))


RISK_HELP: dict[str, tuple[list[str], list[int]]] = {
    "child_labour": (["unicef", "ilo_helpdesk"], [9, 10]),
    "forced_labour": (["ilo_helpdesk", "myria"], [3]),
    "cahra": (["eu_due_diligence_ready", "fps_economy_conflict_minerals"], [4]),
}
"""Who can help with each kind of risk flag (catalogue ids) and the NAP actions behind it."""

PRODUCT_HELP = {"cocoa": ["beyond_chocolate"], "natural_stone": ["trustone"]}
"""Sector initiatives for particular products (NAP actions 18 and 28)."""


def legal_radar(profile: Profile, ref: Reference) -> list[LegalHit]:
    """The rules that may concern the company, and how."""
    hits = []
    for rule in ref.legal.rules:
        if rule.applies_directly_if is not None and holds(rule.applies_directly_if, profile, {}):
            hits.append(LegalHit(rule, "direct"))
        elif rule.applies_via_customers_if is not None and holds(rule.applies_via_customers_if, profile, {}):
            hits.append(LegalHit(rule, "via_customers"))
    return hits
