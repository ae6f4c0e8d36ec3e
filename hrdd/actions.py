"""The action plan as a plan a company can run: no Textual, no reportlab.

Each action of the plan (:func:`hrdd.scoring.prioritise` decides the order) gets

* a **stable key**, the same from one assessment to the next: ``<module>:<question>`` for a
  gap or a "don't know", ``<module>:<question>:red_flag`` for a red flag (a question can raise
  both), ``radar:<product>`` for a product of the risk radar;
* a **priority** (urgent, high, medium, low) read from its place in the plan: red flags are
  urgent; the other actions follow the severity tier of the impact they are about;
* an **effort** (small, moderate, large) from the weight of its question: how much work it
  is, which says nothing about how soon it is needed;
* a **horizon** (now, within three months, within a year) from its priority, and a due
  date from the horizon and the day the answers were given;
* a **suggested owner role** for a company of that size (:data:`ROLES`);
* what the company decided about it (:class:`Tracking`: owner, due date, status, note),
  stored per company and key, so it carries over to the next assessment.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from .i18n import N_, t
from .scoring import SUPPLY_FIELDS, Action

if TYPE_CHECKING:
    from .loader import Bundle
    from .report.content import ActionRow
    from .storage import Store

Priority = Literal["urgent", "high", "medium", "low"]
Effort = Literal["small", "moderate", "large"]
Horizon = Literal["now", "3m", "12m"]
Status = Literal["todo", "in_progress", "done", "not_applicable"]

PRIORITY_NAMES: dict[str, str] = {"urgent": N_("Urgent"), "high": N_("High priority"),
                                  "medium": N_("Medium priority"), "low": N_("Low priority")}
"""How soon an action matters: red flags are urgent, then the severity of the impact decides."""
EFFORT_NAMES: dict[str, str] = {"small": N_("Small effort"), "moderate": N_("Moderate effort"),
                                "large": N_("Large effort")}
"""How much work an action takes (from its question's weight): not how soon it is needed."""
HORIZONS: tuple[Horizon, ...] = ("now", "3m", "12m")
HORIZON_NAMES: dict[str, str] = {"now": N_("Now"), "3m": N_("Within three months"), "12m": N_("Within a year")}
HORIZON_OF: dict[str, Horizon] = {"urgent": "now", "high": "3m", "medium": "12m", "low": "12m"}
STATUSES: tuple[Status, ...] = ("todo", "in_progress", "done", "not_applicable")
STATUS_NAMES: dict[str, str] = {"todo": N_("To do"), "in_progress": N_("In progress"), "done": N_("Done"),
                                "not_applicable": N_("Not applicable")}
STATUS_MARKS = {"todo": "☐", "in_progress": "◐", "done": "☑", "not_applicable": "–"}
"""A mark per status that reads without colour (printed, in the terminal, in the PDF)."""
CLOSED: frozenset[str] = frozenset({"done", "not_applicable"})
PLAN_SIZE = 10
"""At most this many actions in the report's plan; the others go to the backlog in the annex."""
VALID_MONTHS = 12
"""An assessment is valid for this many months after its answers were given."""

ROLE_NAMES: dict[str, str] = {
    "owner": N_("Owner or manager"),
    "management": N_("Management"),
    "purchasing": N_("Purchasing"),
    "hr": N_("HR"),
    "prevention": N_("Prevention adviser"),
    "sales": N_("Sales and marketing"),
}
"""The roles that can own an action."""
THEME_ROLES: dict[str, str] = {"due_diligence": "management", "workforce": "hr", "children": "hr",
                               "forced_labour": "hr", "conflict_minerals": "purchasing", "radar": "purchasing"}
"""Who owns an action of a theme in a small or medium-sized company, unless a rule below says otherwise."""
QUESTION_ROLES: dict[str, str] = {
    # own workforce: safety and well-being belong with the prevention adviser
    "prevention_organisation": "prevention", "psychosocial_risks": "prevention", "accidents": "prevention",
    "wellbeing_at_work": "prevention", "harassment_contact": "prevention", "child_safety_on_site": "prevention",
    # the supply chain: purchasing
    "supplier_code": "purchasing", "supplier_count": "purchasing", "sourcing_countries": "purchasing",
    "non_eu_supplier_check": "purchasing", "purchasing_practices": "purchasing", "leverage": "purchasing",
    "disengagement": "purchasing", "supply_chain_child_labour_risk": "purchasing",
    "supplier_child_labour_response": "purchasing", "supplier_child_labour_monitoring": "purchasing",
    "fl_supply_chain_risk": "purchasing", "fl_traceability": "purchasing", "fl_eu_regulation": "purchasing",
    # products and customers
    "product_safety_children": "sales", "marketing_children": "sales", "customer_requests": "sales",
    "customers_use": "sales",
}
"""Questions whose action belongs with another role than its theme's."""
MANAGEMENT_STEPS = frozenset({1, 5, 6})
"""Commitment, communication and remediation: decided by the management."""


def action_key(module_id: str, action: Action) -> str:
    """The stable key of an action of a module (see the module docstring)."""
    suffix = ":red_flag" if action.kind == "red_flag" else ""
    return f"{module_id}:{action.question_id}{suffix}"


def radar_key(product: str) -> str:
    return f"radar:{product}"


def priority_of(order: tuple[Any, ...]) -> Priority:
    """The priority of an action from its plan key (:func:`hrdd.scoring.plan_key`)."""
    if order[0] == 0:
        return "urgent"
    return ("high", "medium", "low")[min(int(order[1]), 2)]


def effort_of(weight: int) -> Effort:
    return {1: "small", 2: "moderate"}.get(weight, "large")  # type: ignore[return-value]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def due_date(horizon: str, start: date) -> date:
    """When an action of this horizon is due, counted from the day the answers were given:
    two weeks for "now", three months, or a year."""
    if horizon == "now":
        return start + timedelta(days=14)
    return add_months(start, 3 if horizon == "3m" else 12)


def valid_until(answered: date) -> date:
    return add_months(answered, VALID_MONTHS)


def owner_role(theme: str, step: int, question_id: str, kind: str, fields: Iterable[str],
               size: str | None) -> str:
    """The role that suggests itself as owner of an action, for a company of ``size``.

    A micro company: its owner or manager. Otherwise a red flag goes to the management (it
    must act at once); a question named in :data:`QUESTION_ROLES` to that role; a question
    about the supply chain to purchasing; commitment, communication and remediation to the
    management; the rest to the theme's role."""
    if size == "micro":
        return "owner"
    if kind == "red_flag":
        return "management"
    if question_id in QUESTION_ROLES:
        return QUESTION_ROLES[question_id]
    if kind == "radar" or set(fields) & SUPPLY_FIELDS:
        return "purchasing"
    if step in MANAGEMENT_STEPS:
        return "management"
    return THEME_ROLES.get(theme, "management")


@dataclass(frozen=True)
class Tracking:
    """What the company decided about one action; kept per company and action key."""

    key: str
    owner: str | None = None
    due: date | None = None
    status: Status = "todo"
    note: str | None = None
    updated: str | None = None
    done_on: date | None = None
    """The day the status was last set to done."""

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


@lru_cache(maxsize=1)
def _nap_table() -> dict[int, dict[str, str]]:
    with (Path(__file__).parent / "nap_actions.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {int(number): dict(titles) for number, titles in data.items()}  # titles per language, products


def fitting_nap(numbers: Iterable[int], products: Iterable[str]) -> list[int]:
    """The NAP actions to cite to a company with ``products``: a product initiative (Beyond
    Chocolate, TruStone) only to companies with its product."""
    have = set(products)
    out = []
    for n in numbers:
        needs = _nap_table().get(n, {}).get("products")
        if not needs or have & set(needs):
            out.append(n)
    return out


def nap_title(number: int, lang: str) -> str | None:
    """The title of a NAP action in ``lang``, or None when hrdd does not know it."""
    titles = _nap_table().get(number)
    return titles[lang] if titles else None


def nap_legend(numbers: Iterable[int], lang: str) -> list[tuple[int, str]]:
    """(number, title) for each NAP action cited, in number order; unknown numbers are left out."""
    return [(n, title) for n in sorted(set(numbers)) if (title := nap_title(n, lang)) is not None]


# --- the plan as a spreadsheet -----------------------------------------------------------------

CSV_COLUMNS = ("number", "key", "module", "priority", "effort", "horizon", "action", "why", "suggested_owner",
               "owner", "due", "status", "note", "help", "nap")


def plan_table(rows: list[ActionRow], lang: str) -> list[dict[str, str]]:
    """The plan as rows of plain text, one per action, for CSV: dates in ISO form."""
    del lang  # the rows are already in their language
    return [{
        "number": str(r.number), "key": r.key, "module": r.module, "priority": r.priority, "effort": r.effort,
        "horizon": r.horizon_name, "action": r.action, "why": r.why, "suggested_owner": r.role,
        "owner": r.owner, "due": r.due_on.isoformat() if r.due_on else "", "status": r.status_name,
        "note": r.note, "help": "; ".join(f"{link.name} <{link.url}>" for link in r.links), "nap": r.nap,
    } for r in rows]


def write_plan_csv(rows: list[ActionRow], out: Path, lang: str, headers: Mapping[str, str] | None = None) -> Path:
    """Write the plan to ``out`` as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
    read the accents right). ``headers`` maps each column to its title (default: the column ids)."""
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(CSV_COLUMNS))
        writer.writerow({c: (headers or {}).get(c, c) for c in CSV_COLUMNS})
        writer.writerows(plan_table(rows, lang))
    return out


def csv_headers(lang: str) -> dict[str, str]:
    """The CSV column titles in ``lang``."""
    names = {"number": N_("Number"), "key": N_("Key"), "module": N_("Module"), "priority": N_("Priority"),
             "effort": N_("Effort"), "horizon": N_("Horizon"), "action": N_("What to do"), "why": N_("Why"),
             "suggested_owner": N_("Suggested owner"), "owner": N_("Owner"), "due": N_("Due date"),
             "status": N_("Status"), "note": N_("Note"), "help": N_("Who can help"), "nap": N_("NAP action")}
    return {k: t(v, lang) for k, v in names.items()}


def company_plan(store: Store, bundle: Bundle, company_id: int, lang: str, on: date | None = None,
                 tracked: bool = True) -> list[ActionRow]:
    """The company's whole action plan in plan order, with what was decided about each action
    (``tracked=False``: as suggested). Empty when the company has no assessment yet."""
    from .report import report_content

    if not store.assessments(company_id):
        return []
    return report_content(store, bundle, company_id, lang, on, tracked=tracked).actions


def parse_due(text: str) -> date | None:
    """A due date typed as 2027-03-31 or 31/03/2027 (also with - or .); None when empty;
    ``ValueError`` when it is not a date."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    raise ValueError(text)
