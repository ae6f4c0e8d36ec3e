"""Anonymised sector benchmark for federations: distributions, red-flag shares, common gaps.

The benchmark uses each company's latest completed assessment of every module in the
group. It never names a company, and it refuses to produce any figure for a group smaller
than the minimum size (5 by default; it can be raised, never lowered). The figures can be
published inside a pack (``benchmark.yaml``) so that each member's own report shows how it
compares with the sector median, offline.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from .loader import THEME_ORDER
from .models import Questionnaire, Text
from .scoring import question_fraction, score_module
from .storage import Store

MIN_GROUP = 5
"""The smallest group for which any figure is shown."""


class GroupTooSmall(ValueError):
    """Fewer companies than the minimum group size: no figure may be shown."""


@dataclass(frozen=True)
class Distribution:
    n: int
    q1: float
    median: float
    q3: float


def distribution(values: list[int]) -> Distribution:
    if len(values) == 1:
        return Distribution(1, values[0], values[0], values[0])
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(len(values), q1, median, q3)


@dataclass(frozen=True)
class ModuleBenchmark:
    questionnaire: Questionnaire
    companies: int
    overall: Distribution | None
    steps: dict[int, Distribution]
    red_flags: list[tuple[Text, float]]
    """(finding, share of companies) — most frequent first."""
    gaps: list[tuple[Text, float]]
    """(question, share of companies that fall short or don't know) — most frequent first."""
    urgent: float = 0.0
    """Share of companies whose level is capped at "urgent attention" by an open critical or high red flag."""


@dataclass(frozen=True)
class Benchmark:
    pack: str
    sector: str | None
    companies: int
    min_group: int
    on: date
    modules: list[ModuleBenchmark] = field(default_factory=list)


def _latest_completed(store: Store, pack: str, sector: str | None) -> dict[str, list[tuple[int, int]]]:
    """Module id → [(company id, assessment id)] of the latest completed assessment per company."""
    sql = ("select a.id, a.company_id, a.questionnaire_id, a.completed from assessments a "
           "join companies c on c.id = a.company_id join questionnaires q on q.hash = a.content_hash "
           "where a.completed is not null and coalesce(q.pack, 'hrdd') = ?")
    args: list[object] = [pack]
    if sector:
        sql += " and c.nace = ?"
        args.append(sector)
    latest: dict[tuple[str, int], tuple[str, int]] = {}
    for row in store.db.query(sql + " order by a.completed", args):
        latest[(row["questionnaire_id"], row["company_id"])] = (row["completed"], row["id"])
    out: dict[str, list[tuple[int, int]]] = {}
    for (module, company), (_, assessment) in sorted(latest.items()):
        out.setdefault(module, []).append((company, assessment))
    return out


def compute_benchmark(store: Store, pack: str = "hrdd", sector: str | None = None,
                      min_group: int = MIN_GROUP, on: date | None = None) -> Benchmark:
    """The benchmark of every module answered in the group; :class:`GroupTooSmall` below ``min_group``."""
    if min_group < MIN_GROUP:
        raise ValueError(f"the minimum group size can be raised, not lowered below {MIN_GROUP}")
    groups = _latest_completed(store, pack, sector)
    companies = len({c for members in groups.values() for c, _ in members})
    if companies < min_group:
        raise GroupTooSmall(f"{companies} compan{'y' if companies == 1 else 'ies'} in this group; at least "
                            f"{min_group} are needed before any figure is shown")
    modules = []
    for module_id, members in groups.items():
        if len(members) < min_group:
            continue  # too few for this module: show nothing about it
        questionnaire = store.questionnaire(store.assessment(members[-1][1]).content_hash)
        overall: list[int] = []
        steps: dict[int, list[int]] = {}
        flags: Counter[tuple[str, str]] = Counter()
        gaps: Counter[str] = Counter()
        capped = 0
        for company_id, assessment_id in members:
            profile = store.company(company_id).profile
            answers = store.answers(assessment_id)
            result = score_module(questionnaire, profile, answers)
            capped += result.capped
            if result.score is not None:
                overall.append(result.score)
            for s in result.steps:
                if s.score is not None:
                    steps.setdefault(s.step, []).append(s.score)
            flags.update({(f.question_id, f.option_id) for f in result.red_flags})
            for qid, answer in answers.items():
                question = questionnaire.question(qid)
                fraction = question_fraction(question, answer, profile.size_class) if question else None
                if question and question.scored and (answer.dont_know or (fraction is not None and fraction < 1)):
                    gaps[qid] += 1
        n = len(members)
        red = []
        for (qid, oid), count in flags.most_common():
            option = questionnaire.question(qid).option(oid)
            if option and option.red_flag:
                red.append((option.red_flag.finding, count / n))
        modules.append(ModuleBenchmark(
            questionnaire=questionnaire, companies=n,
            overall=distribution(overall) if len(overall) >= min_group else None,
            steps={step: distribution(v) for step, v in sorted(steps.items()) if len(v) >= min_group},
            red_flags=red,
            gaps=[(questionnaire.question(qid).text, count / n) for qid, count in gaps.most_common(10)],
            urgent=capped / n))
    modules.sort(key=lambda m: (THEME_ORDER.index(m.questionnaire.theme), m.questionnaire.id))
    return Benchmark(pack, sector, companies, min_group, on or date.today(), modules)


def write_csv(bench: Benchmark, out: Path, lang: str) -> Path:
    """One row per figure: module, what, step or item, n, q1, median, q3 or share."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["module", "figure", "item", "n", "q1", "median", "q3", "share"])
        for m in bench.modules:
            if m.overall:
                writer.writerow([m.questionnaire.id, "score", "module", m.overall.n, m.overall.q1, m.overall.median,
                                 m.overall.q3, ""])
            for step, d in m.steps.items():
                writer.writerow([m.questionnaire.id, "score", f"step {step}", d.n, d.q1, d.median, d.q3, ""])
            writer.writerow([m.questionnaire.id, "level", "urgent attention", m.companies, "", "", "",
                             round(m.urgent, 3)])
            for finding, share in m.red_flags:
                writer.writerow([m.questionnaire.id, "red_flag", finding.get(lang), m.companies, "", "", "",
                                 round(share, 3)])
            for question, share in m.gaps:
                writer.writerow([m.questionnaire.id, "gap", question.get(lang), m.companies, "", "", "",
                                 round(share, 3)])
    return out


def write_pack_figures(bench: Benchmark, out: Path) -> Path:
    """``benchmark.yaml``: the medians a federation can ship in its pack for members' reports."""
    data = {
        "kind": "benchmark", "pack": bench.pack, "sector": bench.sector, "companies": bench.companies,
        "date": bench.on.isoformat(),
        "modules": {m.questionnaire.id: {
            "median": m.overall.median if m.overall else None,
            "steps": {step: d.median for step, d in m.steps.items()}} for m in bench.modules},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out
