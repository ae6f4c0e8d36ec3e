"""The risk radar (products × sourcing countries) and the legal radar, from dated reference data.

* Risk flags come from the U.S. DOL ILAB list of goods produced with child or forced labour
  (2022 edition, with the removals known from the 2024 edition applied) and the EU's indicative
  list of conflict-affected and high-risk areas (CAHRA). Each flag names its source and edition.
  Flags are raised only for the product × country-of-origin pairs the company declared: origin,
  not import, decides supply-chain risk.
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
from typing import Any, Literal

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
    ilab_removed: frozenset[tuple[str, str, str]] = frozenset()
    """(country, good, kind) rows of the 2022 list known to be removed in the 2024 edition."""

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
    component: bool = False
    """A CAHRA flag for a component or finished product that contains 3TG (not the ore or metal):
    the path is the customer's CMRT request and upstream questions, not importer duties."""


@dataclass(frozen=True)
class LegalHit:
    rule: LegalRule
    how: Literal["direct", "via_customers"]


def _truthy(text: str) -> bool:
    return text.strip().lower() == "true"


ILAB_2024_NAMES = {"Fluorspar (mineral)": "Fluorspar"}
"""Good names in the 2024 change list that the 2022 list spells differently."""


def _ilab_removed(folder: Path, ilab: list[IlabRow]) -> frozenset[tuple[str, str, str]]:
    """The 2022 rows the 2024 edition removed, from the partial change list.

    Where the sources say only the child-labour listing was dropped (Thai shrimp), the
    forced-labour listing is kept: its 2024 status is not known.
    """
    path = folder / "ilab_2024_changes_partial.csv"
    if not path.exists():
        return frozenset()
    from babel import Locale

    by_name = {name: code for code, name in Locale.parse("en").territories.items() if len(code) == 2}
    removed: set[tuple[str, str, str]] = set()
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["change"] != "removed":
                continue
            good = ILAB_2024_NAMES.get(r["good"], r["good"])
            country = by_name.get(r["country"], r["country"])
            removed.add((country, good, "child_labour"))
            if "forced" not in r["note"].lower():
                removed.add((country, good, "forced_labour"))
    return frozenset(removed)


def read_reference(folder: Path, legal: LegalRadar, products: ProductTable) -> Reference:
    """Read the CSV lists in ``folder`` and combine them with the validated YAML tables."""
    with (folder / "ilab_goods.csv").open(encoding="utf-8") as fh:
        ilab = [IlabRow(r["iso3166_alpha2"], r["good"], _truthy(r["child_labor"]), _truthy(r["forced_labor"]),
                        r["edition_year"]) for r in csv.DictReader(fh)]
    with (folder / "eu_cahra.csv").open(encoding="utf-8") as fh:
        cahra = [CahraRow(r["iso3166_alpha2"], r["area_detail"].split(" (")[0] if r["subdivision_code"] else "",
                          r["list_date"]) for r in csv.DictReader(fh)]
    return Reference(products=products, ilab=ilab, cahra=cahra, legal=legal,
                     ilab_removed=_ilab_removed(folder, ilab))


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
    """Named, sourced risks for the product × country-of-origin pairs the company declared."""
    flags: list[RiskFlag] = []
    seen: set[tuple[str, str, str]] = set()

    def add(flag: RiskFlag) -> None:
        if (flag.kind, flag.product, flag.country) not in seen:
            seen.add((flag.kind, flag.product, flag.country))
            flags.append(flag)

    for pair in profile.sourcing:
        product = ref.product(pair.product)
        if product is None:
            continue
        goods = set(product.ilab_goods)
        origins = set(pair.origins)
        for row in ref.ilab:
            if row.country in origins and row.good in goods:
                for kind, listed in (("child_labour", row.child_labour), ("forced_labour", row.forced_labour)):
                    if listed and (row.country, row.good, kind) not in ref.ilab_removed:
                        add(RiskFlag(kind, pair.product, row.country, row.good, ILAB_SOURCE, row.edition))  # type: ignore[arg-type]
        if product.mineral_3tg or product.contains_3tg:
            for country in sorted(origins):
                areas = [r for r in ref.cahra if r.country == country]
                if areas:
                    names = [a.area for a in areas if a.area]
                    detail = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
                    add(RiskFlag("cahra", pair.product, country, detail, CAHRA_SOURCE, areas[0].list_date,
                                 component=not product.mineral_3tg))
    order = {"forced_labour": 0, "child_labour": 1, "cahra": 2}
    return sorted(flags, key=lambda f: (order[f.kind], f.product, f.country))


RISK_HELP: dict[str, tuple[list[str], list[int]]] = {
    "child_labour": (["unicef", "ilo_helpdesk"], [9, 10]),
    "forced_labour": (["ilo_helpdesk", "myria"], [3]),
    "cahra": (["eu_due_diligence_ready", "fps_economy_conflict_minerals"], [4]),
    "cahra_component": (["rmi_cmrt", "eu_due_diligence_ready"], [4]),
}
"""Who can help with each kind of risk flag (catalogue ids) and the NAP actions behind it.
Product initiatives (Beyond Chocolate, TruStone) are found through the catalogue's ``products``."""


def help_for(flag_kind: str, product: str, catalogue: Any) -> list[str]:
    """Catalogue ids for a risk flag: the product's own initiatives first, then the kind's helpers."""
    initiatives = [r.id for r in catalogue.resources if product in r.products]
    return initiatives + RISK_HELP[flag_kind][0]


def legal_radar(profile: Profile, ref: Reference) -> list[LegalHit]:
    """The rules that may concern the company, and how."""
    hits = []
    for rule in ref.legal.rules:
        if rule.applies_directly_if is not None and holds(rule.applies_directly_if, profile, {}):
            hits.append(LegalHit(rule, "direct"))
        elif rule.applies_via_customers_if is not None and holds(rule.applies_via_customers_if, profile, {}):
            hits.append(LegalHit(rule, "via_customers"))
    return hits
