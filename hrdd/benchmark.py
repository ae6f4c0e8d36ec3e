"""Anonymised sector benchmark for federations: distributions, red-flag shares, common gaps.

The benchmark uses each company's latest completed assessment of every module in the
group. It is SQL (GROUP BY) over the scores stored when each assessment completed
(:func:`hrdd.scoring.benchmark_figures`; any missing or made stale by a change since are
computed again first, so no figure rests on stale scores). It never names a company, and no figure rests on fewer than ``k`` companies (the
minimum group size: 5 by default; it can be raised, never lowered):

- a group, a module or a score distribution is shown only with at least ``k`` companies;
- a share (a red flag, "below the expected level" for a question, a level capped at "urgent
  attention") is shown only when at least ``k`` companies have it **and** at least ``k`` do
  not: "100 %" or "all but one" would tell each member about every other one;
- a sector is compared with the rest of its pack: a sector group is refused when the pack's
  other companies are between 1 and ``k - 1`` (the pack-wide benchmark minus the sector's
  would show them), and a module or a figure is left out of a sector's benchmark when the
  same figure for the rest of the pack would break the rules above.

Modules left out because too few companies answered them are named, without a number. The
figures can be published inside a pack (``benchmark.yaml``) so that each member's own
report shows how it compares with the sector median, offline.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

import yaml

from .i18n import _, ngettext
from .loader import THEME_ORDER
from .models import Questionnaire, Text
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


class Share(NamedTuple):
    """A share of companies, with what it is about."""

    text: Text
    share: float
    key: str
    """The question id (``question`` or ``question=option`` for a red flag)."""
    n: int = 0
    """How many companies the share is of."""


@dataclass(frozen=True)
class ModuleBenchmark:
    questionnaire: Questionnaire
    companies: int
    overall: Distribution | None
    steps: dict[int, Distribution]
    red_flags: list[Share]
    """Red flags with their share of companies, most frequent first (only shares that may be shown)."""
    gaps: list[Share]
    """Questions with the share of the companies they apply to that are below the expected level
    (an answer short of the best one for a company of their size, or "don't know"), most common first."""
    urgent: float | None = 0.0
    """Share of companies whose level is capped at "urgent attention" by an open critical or high red
    flag (None: not shown, too few companies on one side)."""
    hidden: int = 0
    """Red flags and gaps found but not shown: too few companies have them, or too few do not."""


LEFT_FEW = "few"
LEFT_REST = "rest"


@dataclass(frozen=True)
class Benchmark:
    pack: str
    sector: str | None
    companies: int
    min_group: int
    on: date
    modules: list[ModuleBenchmark] = field(default_factory=list)
    left_out: list[tuple[Questionnaire, str]] = field(default_factory=list)
    """Modules answered in the group but not shown: too few companies answered them (``"few"``),
    or too few in the rest of the pack (``"rest"``)."""


@dataclass
class _Raw:
    """The counts of one module in one group, before anything is left out."""

    questionnaire: Questionnaire
    members: int = 0
    overall: list[int] = field(default_factory=list)
    steps: dict[int, list[int]] = field(default_factory=dict)
    flags: Counter[tuple[str, str]] = field(default_factory=Counter)
    applicable: Counter[str] = field(default_factory=Counter)
    below: Counter[str] = field(default_factory=Counter)
    capped: int = 0


def _choose_members(store: Store, pack: str, sector: str | None) -> None:
    """Fill the temporary table ``bench_members`` with the latest completed assessment of each
    module per company in the group (latest: the greatest completion time, then the greatest id)."""
    sql = ("insert into temp.bench_members (id, company_id, module, content_hash) "
           "select id, company_id, module, content_hash from (select a.id, a.company_id, "
           "a.questionnaire_id as module, a.content_hash, row_number() over (partition by a.questionnaire_id, "
           "a.company_id order by a.completed desc, a.id desc) as n from assessments a "
           "join companies c on c.id = a.company_id join questionnaires q on q.hash = a.content_hash "
           "join scores s on s.assessment_id = a.id "
           "where a.completed is not null and coalesce(q.pack, 'hrdd') = ?")
    args: list[object] = [pack]
    if sector:
        sql += " and c.nace = ?"
        args.append(sector)
    conn = store.db.conn
    conn.execute("create temp table if not exists bench_members (id integer primary key, company_id integer not null, "
                 "module text not null, content_hash text not null)")
    conn.execute("delete from temp.bench_members")
    conn.execute(sql + ") where n = 1", args)


def _counts(store: Store, pack: str, sector: str | None) -> tuple[int, dict[str, _Raw]]:
    """The number of companies in the group, and the counts of every module answered in it,
    aggregated in SQL over the stored scores. Call it inside one write transaction, after
    :meth:`Store.refresh_scores`: every completed assessment has fresh scores.

    Each member was scored with the questionnaire version it answered; the texts shown come
    from the newest version in the group (that of the newest assessment)."""
    _choose_members(store, pack, sector)
    query = store.db.conn.execute
    raw: dict[str, _Raw] = {}
    versions: dict[str, Questionnaire] = {}
    for module, members, capped, _newest, content_hash in query(
            "select m.module, count(*), total(s.capped), max(m.id), m.content_hash from temp.bench_members m "
            "join scores s on s.assessment_id = m.id group by m.module order by m.module"):
        if content_hash not in versions:
            versions[content_hash] = store.questionnaire(content_hash)
        raw[module] = _Raw(versions[content_hash], members=members, capped=int(capped))
    for module, score, count in query(
            "select m.module, s.score, count(*) from temp.bench_members m join scores s on s.assessment_id = m.id "
            "where s.score is not null group by m.module, s.score order by m.module, s.score"):
        raw[module].overall.extend([score] * count)
    for module, step, score, count in query(
            "select t.module, t.step, t.score, count(*) from score_steps t indexed by score_steps_by_module "
            "join temp.bench_members m on m.id = t.assessment_id where t.score is not null "
            "group by t.module, t.step, t.score"):
        raw[module].steps.setdefault(step, []).extend([score] * count)
    for module, question_id, option_id, count in query(
            "select m.module, f.question_id, f.option_id, count(*) from temp.bench_members m join score_flags f "
            "on f.assessment_id = m.id group by m.module, f.question_id, f.option_id"):
        raw[module].flags[(question_id, option_id)] = count
    for module, question_id, applicable, below in query(
            "select g.module, g.question_id, count(*), sum(g.below) from score_questions g indexed by "
            "score_questions_by_module join temp.bench_members m on m.id = g.assessment_id "
            "group by g.module, g.question_id"):
        raw[module].applicable[question_id] = applicable
        if below:
            raw[module].below[question_id] = below
    [(companies,)] = query("select count(distinct company_id) from temp.bench_members").fetchall()
    query("delete from temp.bench_members")
    return companies, raw


def _both_sides(count: int, n: int, k: int) -> bool:
    """A share of ``count`` in ``n`` may be shown: at least k have it and at least k do not."""
    return count >= k and n - count >= k


def _rest_allows(count: int, n: int, all_count: int, all_n: int, k: int, share: bool = True) -> bool:
    """The same figure for the rest of the pack (pack minus this group) would be allowed too."""
    rest, rest_count = all_n - n, all_count - count
    if rest == 0:
        return True
    return rest >= k and (_both_sides(rest_count, rest, k) if share else True)


def compute_benchmark(store: Store, pack: str = "hrdd", sector: str | None = None,
                      min_group: int = MIN_GROUP, on: date | None = None) -> Benchmark:
    """The benchmark of every module answered in the group; :class:`GroupTooSmall` below ``min_group``
    (or when the rest of the pack would be a group under it)."""
    k = min_group
    if k < MIN_GROUP:
        raise ValueError(_("the minimum group size can be raised, not lowered below {n}").format(n=MIN_GROUP))
    store.refresh_scores()  # in chunks of their own: other programs keep writing meanwhile
    with store.write():  # one consistent view, with the scores of whatever changed since
        store.refresh_scores()
        companies, raw = _counts(store, pack, sector)
        everyone, whole = (companies, raw) if sector is None else _counts(store, pack, None)
    if companies < k:
        raise GroupTooSmall(ngettext(
            "{n} company in this group; at least {k} are needed before any figure is shown",
            "{n} companies in this group; at least {k} are needed before any figure is shown",
            companies).format(n=companies, k=k))
    if 0 < everyone - companies < k:
        raise GroupTooSmall(_("the other companies of this pack are fewer than {k}: with the benchmark of the "
                              "whole pack, the figures of this sector would show theirs (leave out --sector, or "
                              "wait until more companies answer)").format(k=k))
    modules = []
    left_out: list[tuple[Questionnaire, str]] = []
    for module_id, group in raw.items():
        pack_wide = whole.get(module_id, group)
        n, all_n = group.members, pack_wide.members
        if n < k:
            left_out.append((group.questionnaire, LEFT_FEW))
            continue
        if not _rest_allows(n, n, all_n, all_n, k, share=False):
            left_out.append((group.questionnaire, LEFT_REST))
            continue
        questionnaire = group.questionnaire

        def sized(values: list[int], all_values: list[int]) -> bool:
            return len(values) >= k and _rest_allows(len(values), len(values), len(all_values), len(all_values), k,
                                                     share=False)

        def shown(count: int, total: int, all_count: int, all_total: int) -> bool:
            return _both_sides(count, total, k) and _rest_allows(count, total, all_count, all_total, k)

        red: list[Share] = []
        gaps: list[Share] = []
        hidden = 0
        for (qid, oid), count in sorted(group.flags.items(), key=lambda item: (-item[1], item[0])):
            question = questionnaire.question(qid)
            option = question.option(oid) if question else None
            if option is None or option.red_flag is None:
                continue
            if shown(count, n, pack_wide.flags[(qid, oid)], all_n):
                red.append(Share(option.red_flag.finding, count / n, f"{qid}={oid}", n))
            else:
                hidden += 1
        for qid, below in sorted(group.below.items(), key=lambda item: (-item[1] / group.applicable[item[0]],
                                                                        item[0])):
            question = questionnaire.question(qid)
            if question is None:
                continue
            total = group.applicable[qid]
            if shown(below, total, pack_wide.below[qid], pack_wide.applicable[qid]):
                gaps.append(Share(question.text, below / total, qid, total))
            else:
                hidden += 1
        modules.append(ModuleBenchmark(
            questionnaire=questionnaire, companies=n,
            overall=distribution(group.overall) if sized(group.overall, pack_wide.overall) else None,
            steps={step: distribution(v) for step, v in sorted(group.steps.items())
                   if sized(v, pack_wide.steps.get(step, v))},
            red_flags=red, gaps=gaps[:10],
            urgent=group.capped / n if shown(group.capped, n, pack_wide.capped, all_n) else None,
            hidden=hidden + max(0, len(gaps) - 10)))
    modules.sort(key=lambda m: (THEME_ORDER.index(m.questionnaire.theme), m.questionnaire.id))
    left_out.sort(key=lambda item: (THEME_ORDER.index(item[0].theme), item[0].id))
    return Benchmark(pack, sector, companies, k, on or date.today(), modules, left_out)


CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A text cell that a spreadsheet will not run as a formula (``=HYPERLINK(…)`` from a pack text)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA):
        return "'" + value
    return value


def write_csv(bench: Benchmark, out: Path, lang: str) -> Path:
    """One row per figure: module, figure, key (step or question id), label, n, q1, median, q3, share.

    Texts are in ``lang``; a text that starts like a spreadsheet formula is written with a
    leading apostrophe."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["module", "figure", "key", "label", "n", "q1", "median", "q3", "share"])

        def row(*cells: object) -> None:
            writer.writerow([csv_text(c) for c in cells])

        for m in bench.modules:
            module = m.questionnaire.id
            if m.overall:
                row(module, "score", "module", m.questionnaire.title.get(lang), m.overall.n, m.overall.q1,
                    m.overall.median, m.overall.q3, "")
            for step, d in m.steps.items():
                row(module, "score", f"step {step}", "", d.n, d.q1, d.median, d.q3, "")
            if m.urgent is not None:
                row(module, "level", "urgent", "", m.companies, "", "", "", round(m.urgent, 3))
            for finding, share, key, n in m.red_flags:
                row(module, "red_flag", key, finding.get(lang), n, "", "", "", round(share, 3))
            for question, share, key, n in m.gaps:
                row(module, "gap", key, question.get(lang), n, "", "", "", round(share, 3))
        for questionnaire, reason in bench.left_out:
            row(questionnaire.id, "left_out", reason, questionnaire.title.get(lang), "", "", "", "", "")
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
