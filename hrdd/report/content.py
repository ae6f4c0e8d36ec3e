"""What the report says, computed without reportlab: a pure function of the data.

:func:`build_content` turns a company profile and its assessments (one per module, each
with its answers and, when there is one, the previous completed assessment of the same
module) into plain strings in the report's language. The PDF layer only lays them out, so
the content is tested on its own and can feed other outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from ..actions import (
    CLOSED,
    HORIZON_NAMES,
    HORIZON_OF,
    PLAN_SIZE,
    PRIORITY_NAMES,
    ROLE_NAMES,
    STATUS_NAMES,
    Tracking,
    action_key,
    due_date,
    effort_of,
    fitting_nap,
    nap_legend,
    owner_role,
    priority_of,
    radar_key,
)
from ..actions import (
    EFFORT_NAMES as EFFORT_SCALE,
)
from ..answers import Answer
from ..conditions import applicable_questions, tailored
from ..i18n import N_, colon, country_names, fmt_date, fmt_number, t, translations
from ..loader import Bundle, SectorMedian
from ..models import Profile, Question, Questionnaire
from ..profile import describe_profile, product_names
from ..radar import RISK_HELP, RiskFlag, help_for, legal_radar, risk_flags
from ..scoring import (
    CAP_REASON,
    LEVEL_NAMES,
    RADAR_KEY,
    SEVERITY_NAMES,
    THEME_NAMES,
    URGENT,
    Action,
    ModuleResult,
    fitting_resources,
    plan_key,
    prioritise,
    score_module,
    step_name,
)

TOP_ACTIONS = 5
YES_NO_LABELS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No")}
RISK_KINDS = {"child_labour": N_("Child labour reported"), "forced_labour": N_("Forced labour reported"),
              "cahra": N_("Conflict-affected or high-risk area")}
SOURCES = [
    N_("OECD Due Diligence Guidance for Responsible Business Conduct (2018)"),
    N_("OECD Due Diligence Guidance for Responsible Supply Chains of Minerals from Conflict-Affected "
       "and High-Risk Areas"),
    N_("UN Guiding Principles on Business and Human Rights (2011)"),
    N_("ILO Conventions C29, C138 and C182; ILO indicators of forced labour"),
    N_("Children's Rights and Business Principles (UNICEF, UN Global Compact, Save the Children, 2012)"),
    N_("Belgium, National Action Plan on Business and Human Rights 2.0 (2024–2029)"),
    N_("U.S. Department of Labor, ILAB, List of Goods Produced by Child Labor or Forced Labor, 2022 edition; "
       "the 2024 edition (204 goods, 82 countries) could not be used in full: its known removals are applied"),
    N_("EU indicative list of conflict-affected and high-risk areas (2026-06)"),
]
HOW = {"direct": N_("May concern you directly"), "via_customers": N_("Through your customers")}


@dataclass(frozen=True)
class Link:
    name: str
    url: str
    description: str
    contact: str = ""
    """The contact line of a human help route (phone, form, e-mail), "" when the catalogue has none."""


@dataclass(frozen=True)
class StepRow:
    step: int
    name: str
    score: int | None
    level: str
    answered: str
    dont_know: int
    change: str
    """Change since the previous assessment: "+12", "−5", "=", "new" or ""."""
    sector: str
    """The sector median for this step, when a pack publishes one, else ""."""


@dataclass(frozen=True)
class FlagRow:
    module: str
    severity: str
    finding: str
    action: str
    links: list[Link]


@dataclass(frozen=True)
class ActionRow:
    number: int
    module: str
    priority: str
    urgent: bool
    effort: str
    action: str
    why: str
    links: list[Link]
    nap: str
    key: str = ""
    """The action's stable key (:func:`hrdd.actions.action_key`)."""
    order: tuple[object, ...] = field(default=(), compare=False, repr=False)
    """Where the row stands in the plan (:func:`hrdd.scoring.plan_key`)."""
    kind: str = "gap"
    horizon: str = "12m"
    horizon_name: str = ""
    role: str = ""
    """The suggested owner role, in the report's language."""
    owner: str = ""
    """The owner the company named for it, else ""."""
    due: str = ""
    """The due date as the language writes it: the one the company set, else the suggested one."""
    due_on: date | None = None
    due_short: str = ""
    """The due date in short form, for the backlog table."""
    status: str = "todo"
    status_name: str = ""
    note: str = ""
    nap_numbers: tuple[int, ...] = ()
    module_id: str = ""

    @property
    def closed(self) -> bool:
        return self.status in CLOSED


@dataclass(frozen=True)
class Finding:
    question: str
    answer: str
    note: str | None
    mark: str = ""
    """What the answer means, in words with a mark: "⚠ Red flag", "△ Gap", "✓ Good", "? Don't know"
    (empty when the question is not scored)."""
    kind: str = ""
    """red_flag, gap, good, dont_know, open or "" (not scored)."""


@dataclass(frozen=True)
class StepFindings:
    step: int
    title: str
    findings: list[Finding]


@dataclass(frozen=True)
class ModuleSection:
    id: str
    title: str
    short: str
    """The theme's short name, for charts."""
    version: str
    score: int | None
    level: str
    completion: str
    steps: list[StepRow]
    knowledge_gaps: list[str]
    findings: list[StepFindings]
    previous: str | None
    """When the previous completed assessment of this module was made, if any."""
    done_since: list[str]
    """Actions of the previous assessment that are no longer needed."""
    sector_note: str
    """"Your score vs. the sector median", when a pack publishes figures, else ""."""
    capped: bool = False
    cap_note: str = ""
    """Why the level is capped at "urgent attention", in one sentence, else ""."""


@dataclass(frozen=True)
class RiskRow:
    kind: str
    product: str
    country: str
    detail: str
    source: str


@dataclass(frozen=True)
class LegalRow:
    name: str
    how: str
    summary: str
    meaning: str
    dates: list[str]
    source: str
    verified: bool
    links: list[Link]


@dataclass(frozen=True)
class ModuleInput:
    """One module's data for the report: the current assessment and, if any, the previous one."""

    questionnaire: Questionnaire
    answers: Mapping[str, Answer]
    previous_answers: Mapping[str, Answer] | None = None
    previous_on: date | None = None
    answered_on: date | None = None
    """The day the answers were given (the assessment's completion, else its last change)."""


LEVEL_MARKS = {"initial": "○", "developing": "◔", "established": "◑", "advanced": "●", URGENT: "⚠"}
"""A mark per level that reads without colour."""


@dataclass(frozen=True)
class ScoreLine:
    """One module on the scorecard."""

    module: str
    level: str
    """The level with its mark ("◑ Established", "⚠ Urgent attention")."""
    score: str
    flags: str
    """The red-flag status in words, with a mark ("✓ None", "⚠ 2 open: 1 critical, 1 high")."""
    capped: bool
    answered: str
    """The day the answers were given."""
    valid_until: str


@dataclass(frozen=True)
class Scorecard:
    """The two-page summary to share: one line per module, strengths, priorities, legal rules."""

    title: str
    profile: str
    """The profile in one line."""
    modules: list[ScoreLine]
    levels: str
    """The level names explained, with their marks."""
    strengths: list[str]
    rules: list[str]
    assessment_id: str = ""
    """The content hash of the data embedded in the PDF (set when the PDF is written)."""


@dataclass(frozen=True)
class ReportContent:
    lang: str
    title: str
    company: str
    profile_lines: list[tuple[str, str]]
    date: str
    versions: str
    summary: list[str]
    top_actions: list[ActionRow]
    red_flags: list[FlagRow]
    knowledge_gap_count: int
    modules: list[ModuleSection]
    actions: list[ActionRow]
    risks: list[RiskRow]
    legal: list[LegalRow]
    legal_note: str
    method: list[str]
    glossary: list[tuple[str, str]]
    sources: list[str]
    disclaimer: str
    headings: dict[str, str] = field(default_factory=dict)
    plan: list[ActionRow] = field(default_factory=list)
    """The plan the report shows: at most ten open actions, in plan order."""
    backlog: list[ActionRow] = field(default_factory=list)
    """Every other action (and those done or not applicable), for the annex."""
    plan_legend: list[tuple[int, str]] = field(default_factory=list)
    """The NAP actions cited in the plan, with their titles."""
    backlog_legend: list[tuple[int, str]] = field(default_factory=list)
    """The NAP actions cited in the backlog and not in the plan."""
    commentary: str | None = None
    """An adviser's commentary, printed as written."""
    scorecard: Scorecard | None = None


def option_label(question: Question, option_id: str, lang: str) -> str:
    option = question.option(option_id)
    if option is None:
        return option_id
    if option.label is not None:
        return option.label.get(lang)
    return t(YES_NO_LABELS.get(option_id, option_id), lang)


def size_note(question: Question, profile: Profile, lang: str) -> str:
    """What counts as good for a company of this size, when the questionnaire says it differs
    ("For a micro company, “A named contact person” is enough."), else ""."""
    size = profile.size_class
    if size is None:
        return ""
    best = question.max_score_for(size)
    enough = [o for o in question.options if size in o.score_by_size and o.score_for(size) >= best > o.score]
    if not enough or question.kind == "multi":
        return ""
    from ..profile import SIZE_NAMES

    return t("For a company of your size ({size}), “{answer}” is enough.", lang).format(
        size=t(SIZE_NAMES[size], lang).lower(), answer=option_label(question, enough[0].id, lang))


def answer_text(question: Question, answer: Answer | None, lang: str) -> str:
    """An answer as a reader sees it, in ``lang``."""
    if answer is None:
        return t("Not answered", lang)
    if answer.dont_know:
        return t("Don't know", lang)
    if question.kind in ("single", "yes_no", "multi"):
        labels = [option_label(question, o, lang) for o in answer.choices()]
        return ", ".join(labels) if labels else t("None of these", lang)
    if question.kind == "number" and isinstance(answer.value, (int, float)):
        unit = f" {question.unit.get(lang)}" if question.unit else ""
        return fmt_number(answer.value, lang) + unit
    if question.kind == "countries" and isinstance(answer.value, list):
        names = country_names(lang)
        return ", ".join(names.get(c, c) for c in answer.value) or t("None", lang)
    return str(answer.value)


def source_line(flag: RiskFlag, lang: str) -> str:
    """"ILAB list, 2022 edition" / "EU CAHRA list, 2026-06": where a radar flag comes from."""
    if flag.kind == "cahra":
        return f"{t(flag.source, lang)}, {flag.edition}"
    return f"{t(flag.source, lang)}, " + t("{year} edition (known 2024 removals applied)", lang).format(
        year=flag.edition)


def risk_detail(flag: RiskFlag, lang: str) -> str:
    """The listed areas for a CAHRA flag (proper names); ILAB's English good names are not shown."""
    if flag.kind != "cahra":
        return ""
    return flag.detail or t("The whole country is listed", lang)


def _links(ids: list[str], bundle: Bundle, profile: Profile, lang: str) -> list[Link]:
    return [Link(r.name.get(lang), r.urls.get(lang), r.description.get(lang), r.contact.get(lang) if r.contact else "")
            for r in fitting_resources(ids, bundle.catalogue, profile)]



def _change(now: int | None, before: int | None, lang: str) -> str:
    """How a step's score moved since the previous assessment ("new": it had no score then)."""
    if now is None:
        return ""
    if before is None:
        return t("new", lang)
    delta = now - before
    return "=" if delta == 0 else (f"+{delta}" if delta > 0 else f"−{-delta}")


MARKS = {"red_flag": ("⚠", N_("Red flag")), "gap": ("△", N_("Gap")), "good": ("✓", N_("Good")),
         "dont_know": ("?", N_("Don't know")), "open": ("·", N_("Not answered"))}
"""What an answer means, each with a mark that reads without colour."""


def answer_kind(question: Question, answer: Answer | None, profile: Profile) -> str:
    """red_flag, gap, good, dont_know, open, or "" for a question that is not scored."""
    from ..scoring import question_fraction

    if answer is None:
        return "open"
    if answer.dont_know:
        return "dont_know"
    if any(o.red_flag for o in question.options if o.id in answer.choices()):
        return "red_flag"
    fraction = question_fraction(question, answer, profile.size_class)
    if fraction is None:
        return ""
    return "good" if fraction >= 1 else "gap"


def _mark(question: Question, answer: Answer | None, profile: Profile, lang: str) -> tuple[str, str]:
    kind = answer_kind(question, answer, profile)
    if not kind:
        return "", ""
    symbol, name = MARKS[kind]
    return f"{symbol} {t(name, lang)}", kind


def _module_section(item: ModuleInput, result: ModuleResult, profile: Profile, lang: str,
                    sector: SectorMedian | None = None) -> ModuleSection:
    q = item.questionnaire
    previous = score_module(q, profile, item.previous_answers) if item.previous_answers is not None else None
    before = {s.step: s.score for s in previous.steps} if previous else {}
    steps = [StepRow(
        step=s.step, name=t(step_name(q, s.step), lang), score=s.score,
        level="–" if s.level is None else t(LEVEL_NAMES[s.level], lang),
        answered=f"{s.answered}/{s.applicable}", dont_know=s.dont_know,
        change=_change(s.score, before.get(s.step), lang) if previous else "",
        sector=fmt_number(sector.steps[s.step], lang) if sector and s.step in sector.steps else "")
        for s in result.steps]
    sector_note = ""
    if sector and sector.median is not None:
        sector_note = t("Your score: {score}. Sector median: {median} ({n} companies, {publisher}, {date}).",
                        lang).format(score="–" if result.score is None else result.score,
                                     median=fmt_number(sector.median, lang), n=sector.companies,
                                     publisher=sector.publisher, date=_when(sector.date, lang))
    now_open = {a.question_id for a in result.actions}
    done_since = [a.text.get(lang) for a in (previous.actions if previous else [])
                  if a.question_id not in now_open and a.question_id in item.answers]
    shown = applicable_questions(q, profile, item.answers)  # not stale answers to questions that no longer apply
    findings = [StepFindings(step, f"{step}. {t(step_name(q, step), lang)}", [
        Finding(x.text.get(lang), answer_text(x, item.answers.get(x.id), lang),
                (item.answers[x.id].note or None) if x.id in item.answers else None,
                *_mark(x, item.answers.get(x.id), profile, lang))
        for x in shown if x.step == step]) for step in sorted({x.step for x in shown})]
    return ModuleSection(
        id=q.id, title=q.title.get(lang), short=t(THEME_NAMES[q.theme], lang), version=q.version,
        score=result.score,
        level="–" if result.level is None else t(LEVEL_NAMES[result.level], lang),
        completion=t("{answered} of {applicable} applicable questions answered", lang).format(
            answered=result.answered, applicable=result.applicable),
        steps=steps, knowledge_gaps=[x.text.get(lang) for i in result.knowledge_gaps if (x := q.question(i))],
        findings=findings,
        previous=fmt_date(item.previous_on, lang) if previous and item.previous_on else None,
        done_since=done_since, sector_note=sector_note, capped=result.capped,
        cap_note=t(CAP_REASON, lang).format(n=len(result.cap_flags)) if result.capped else "")


def _row(*, order: tuple[object, ...], key: str, kind: str, module: str, module_id: str, action: str, why: str,
         links: list[Link], nap: list[int], weight: int, role: str, start: date, lang: str) -> ActionRow:
    priority = priority_of(order)
    horizon = HORIZON_OF[priority]
    due = due_date(horizon, start)
    return ActionRow(
        number=0, module=module, priority=t(PRIORITY_NAMES[priority], lang), urgent=priority == "urgent",
        effort=t(EFFORT_SCALE[effort_of(weight)], lang), action=action, why=why, links=links,
        nap=", ".join(str(n) for n in nap), key=key, order=order, kind=kind, horizon=horizon,
        horizon_name=t(HORIZON_NAMES[horizon], lang), role=t(ROLE_NAMES[role], lang), due=fmt_date(due, lang),
        due_on=due, due_short=fmt_date(due, lang, form="short"), status="todo", status_name=t(STATUS_NAMES["todo"], lang), nap_numbers=tuple(nap),
        module_id=module_id)


def _why(item: ModuleInput, a: Action, lang: str) -> str:
    """Why an action is in the plan: the question (or the red flag's finding) and the answer given."""
    question = item.questionnaire.question(a.question_id)
    base = a.finding.get(lang)
    if question is None:
        return base
    answer = t("Your answer: {answer}.", lang).format(answer=answer_text(question, item.answers.get(a.question_id),
                                                                         lang))
    return f"{base} {answer}"


def _plan(pairs: list[tuple[ModuleInput, Action]], bundle: Bundle, profile: Profile,
          lang: str, radar_kinds: set[str], on: date) -> list[ActionRow]:
    """One action plan over all modules, most severe first (see :func:`hrdd.scoring.prioritise`)."""
    item_of = {id(a): item for item, a in pairs}
    ordered = prioritise([a for _, a in pairs], profile, radar_kinds)
    rows = []
    for a in ordered:
        item = item_of[id(a)]
        q = item.questionnaire
        question = q.question(a.question_id)
        rows.append(_row(
            order=plan_key(a, profile, radar_kinds), key=action_key(q.id, a), kind=a.kind,
            module=t(THEME_NAMES[q.theme], lang) if q.theme in THEME_NAMES else q.title.get(lang), module_id=q.id,
            action=tailored(a.text, a.text_if, profile, lang), why=_why(item, a, lang),
            links=_links(a.resources, bundle, profile, lang), nap=fitting_nap(a.nap, profile.all_products),
            weight=question.weight if question else 2,
            role=owner_role(q.theme, a.step, a.question_id, a.kind, a.profile_fields, profile.size_class),
            start=item.answered_on or on, lang=lang))
    return rows


def _track(row: ActionRow, tracked: Tracking | None, lang: str) -> ActionRow:
    """The row with what the company decided about it: owner, due date, status, note."""
    if tracked is None:
        return row
    due = tracked.due or row.due_on
    return replace(row, owner=tracked.owner or "", due=fmt_date(due, lang) if due else row.due, due_on=due,
                   due_short=fmt_date(due, lang, form="short") if due else row.due_short,
                   status=tracked.status, status_name=t(STATUS_NAMES[tracked.status], lang),
                   note=tracked.note or "")


def _risk_rows(profile: Profile, bundle: Bundle, lang: str, start: date) -> list[ActionRow]:
    """The risk radar in the action plan: one row per product, with each kind of risk and its
    countries of origin."""
    ref = bundle.reference
    if ref is None:
        return []
    names = country_names(lang)
    grouped: dict[str, dict[str, list[str]]] = {}
    for f in risk_flags(profile, ref):
        kind = "cahra_component" if f.component else f.kind
        grouped.setdefault(f.product, {}).setdefault(kind, []).append(names.get(f.country, f.country))
    rows = []
    for product, kinds in grouped.items():
        name = product_names([product], ref, lang)[0]
        name = name[:1].upper() + name[1:]  # a label before the colon: no article, no agreement
        if set(kinds) == {"cahra_component"}:
            action = t("{product}: ask your suppliers for their Conflict Minerals Reporting Template (CMRT) and "
                       "which smelters and refiners they use; pass this on when customers ask.",
                       lang).format(product=name)
        else:
            action = t("{product}: find out where your purchases come from and ask those suppliers how they "
                       "prevent this risk; record what you learn.", lang).format(product=name)
        why = "; ".join(f"{t(RISK_KINDS['cahra' if kind == 'cahra_component' else kind], lang)}: "
                        f"{', '.join(countries)}" for kind, countries in kinds.items())
        helpers = list(dict.fromkeys(h for kind in kinds for h in help_for(kind, product, bundle.catalogue)))
        nap = sorted({n for kind in kinds for n in RISK_HELP[kind][1]})
        rows.append(_row(order=RADAR_KEY, key=radar_key(product), kind="radar", module=t("Risk radar", lang),
                         module_id="radar", action=action, why=why, links=_links(helpers, bundle, profile, lang),
                         nap=nap, weight=2, role=owner_role("radar", 2, "", "radar", (), profile.size_class),
                         start=start, lang=lang))
    return rows


def _summary(modules: list[ModuleSection], results: list[ModuleResult], plan: list[ActionRow],
             flags: int, gaps: int, lang: str) -> list[str]:
    """One plain sentence per module (level, what drives it, the first thing to do), then the red
    flags and the knowledge gaps in one sentence each."""
    if not any(m.score is not None or m.capped for m in modules):
        return [t("No scored question has been answered yet, so there is no score.", lang)]
    out = []
    for m, result in zip(modules, results):
        if m.score is None and not m.capped:
            continue
        if m.capped:
            worst = result.cap_flags[0]
            driver = t("held at this level by an open red flag: {finding}", lang).format(
                finding=worst.finding.get(lang).rstrip(".").split(". ")[0])
        else:
            weakest = min((x for x in m.steps if x.score is not None), key=lambda x: x.score or 0, default=None)
            driver = t("weakest step “{step}” ({score}/100)", lang).format(step=weakest.name, score=weakest.score) \
                if weakest is not None else ""
        first = next((a for a in plan if a.module_id == m.id and not a.closed), None)
        sentence = t("{module}: {level} ({score}/100), {driver}.", lang).format(
            module=m.short, level=m.level, score="–" if m.score is None else m.score, driver=driver)
        if first is not None:
            sentence += " " + t("First: {action} (action {n}).", lang).format(
                action=_first_clause(first.action), n=first.number)
        out.append(sentence)
    if flags:
        out.append(translations(lang).ngettext(
            "{n} red flag needs attention now.", "{n} red flags need attention now.", flags).format(n=flags))
    if gaps:
        out.append(translations(lang).ngettext(
            "You answered “don't know” to {n} question: finding out is a first action.",
            "You answered “don't know” to {n} questions: finding out is a first action.", gaps).format(n=gaps))
    return out


def _first_clause(text: str) -> str:
    """The start of an action, up to its first full stop, colon or semicolon, lower-cased for use in a sentence."""
    cuts = [text.index(end) for end in (". ", ": ", "; ", " – ") if end in text]
    text = (text[:min(cuts)] if cuts else text.rstrip(".")).rstrip()
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def profile_line(profile: Profile, lang: str) -> str:
    """The company in one line: size, staff, sector, region."""
    from ..profile import REGION_NAMES, SIZE_NAMES, nace_sections

    parts = []
    if profile.size_class:
        parts.append(t(SIZE_NAMES[profile.size_class], lang))
    if profile.employees is not None:
        parts.append(translations(lang).ngettext("{n} employee", "{n} employees", profile.employees).format(
            n=fmt_number(profile.employees, lang)))
    if profile.nace:
        parts.append(f"{profile.nace} – {nace_sections()[profile.nace][lang]}")
    if profile.region:
        parts.append(t(REGION_NAMES[profile.region], lang))
    return " · ".join(parts) or t("Profile not filled in", lang)


def _flag_words(result: ModuleResult, lang: str) -> str:
    if not result.red_flags:
        return "✓ " + t("No red flag", lang)
    counts: dict[str, int] = {}
    for f in result.red_flags:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    detail = ", ".join(f"{n} {t(SEVERITY_NAMES[sev], lang).lower()}" for sev, n in counts.items())
    return "⚠ " + translations(lang).ngettext("{n} open red flag", "{n} open red flags", len(result.red_flags)).format(
        n=len(result.red_flags)) + f" ({detail})"


def _scorecard(profile: Profile, items: list[ModuleInput], results: list[ModuleResult],
               modules: list[ModuleSection], legal: list[LegalRow], on: date, lang: str) -> Scorecard:
    from ..actions import valid_until

    lines = []
    for item, result, section in zip(items, results, modules):
        answered = item.answered_on or on
        level = "–" if result.level is None else f"{LEVEL_MARKS[result.level]} {section.level}"
        lines.append(ScoreLine(module=section.short, level=level,
                               score="–" if result.score is None else f"{result.score}/100",
                               flags=_flag_words(result, lang), capped=result.capped,
                               answered=fmt_date(answered, lang, form="medium"),
                               valid_until=fmt_date(valid_until(answered), lang, form="medium")))
    steps = sorted(((row.score, m.short, row.name) for m in modules for row in m.steps
                    if row.score is not None and row.score >= 50), key=lambda x: -x[0])
    distinct = [s for i, s in enumerate(steps) if s[2] not in {x[2] for x in steps[:i]}]  # one line per step name
    strengths = [t("{step} ({module}): {score}/100", lang).format(step=name, module=short, score=score)
                 for score, short, name in (distinct + [s for s in steps if s not in distinct])[:3]]
    levels = " · ".join(f"{LEVEL_MARKS[key]} {t(name, lang)}{rng}" for key, name, rng in (
        ("initial", LEVEL_NAMES["initial"], " 0–24"), ("developing", LEVEL_NAMES["developing"], " 25–49"),
        ("established", LEVEL_NAMES["established"], " 50–74"), ("advanced", LEVEL_NAMES["advanced"], " 75–100")))
    levels += ". " + t("⚠ Urgent attention: an open critical or high red flag, whatever the score.", lang)
    return Scorecard(
        title=t("Human-rights due diligence: scorecard", lang), profile=profile_line(profile, lang),
        modules=lines, levels=levels, strengths=strengths,
        rules=[f"{rule.name} — {rule.how.lower()}" for rule in legal])


def build_content(profile: Profile, items: list[ModuleInput], bundle: Bundle, lang: str,
                  on: date, commentary: str | None = None,
                  tracking: Mapping[str, Tracking] | None = None) -> ReportContent:
    """Everything the report says, in ``lang``; ``tracking``: what the company decided about
    its actions (owner, due date, status, note), by action key."""
    results = [score_module(item.questionnaire, profile, item.answers) for item in items]
    modules = [_module_section(item, result, profile, lang, bundle.sector_medians.get(item.questionnaire.id))
               for item, result in zip(items, results)]
    ref = bundle.reference
    radar = risk_flags(profile, ref) if ref else []
    plan = _plan([(item, a) for item, r in zip(items, results) for a in r.actions],
                 bundle, profile, lang, {f.kind for f in radar}, on)
    latest = max((item.answered_on for item in items if item.answered_on), default=on)
    ordered = sorted(enumerate(plan + _risk_rows(profile, bundle, lang, latest)),
                     key=lambda ir: (ir[1].order, ir[0]))
    tracking = tracking or {}
    plan = [_track(replace(row, number=n), tracking.get(row.key), lang)
            for n, (_, row) in enumerate(ordered, start=1)]
    for i, (item, section) in enumerate(zip(items, modules)):  # done in the app since the previous assessment
        if item.previous_on is None:
            continue
        done = [row.action for row in plan if row.module_id == item.questionnaire.id and row.status == "done"
                and (tracked := tracking.get(row.key)) is not None and tracked.done_on is not None
                and tracked.done_on >= item.previous_on and row.action not in section.done_since]
        if done:
            modules[i] = replace(section, done_since=section.done_since + done)
    shown = [row for row in plan if not row.closed][:PLAN_SIZE]
    backlog = [row for row in plan if row not in shown]
    explained = {n for row in shown for n in row.nap_numbers}
    flags = [FlagRow(t(THEME_NAMES[item.questionnaire.theme], lang), t(SEVERITY_NAMES[f.severity], lang),
                     f.finding.get(lang), tailored(f.action, f.action_if, profile, lang),
                     _links(f.resources, bundle, profile, lang))
             for item, r in zip(items, results) for f in r.red_flags]
    gaps = sum(len(r.knowledge_gaps) for r in results)
    names = country_names(lang)
    risks = [RiskRow(t(RISK_KINDS[f.kind], lang), product_names([f.product], ref, lang)[0],
                     names.get(f.country, f.country), risk_detail(f, lang), source_line(f, lang))
             for f in radar]
    legal = [LegalRow(
        name=h.rule.name.get(lang), how=t(HOW[h.how], lang), summary=h.rule.summary.get(lang),
        meaning=(h.rule.direct if h.how == "direct" else h.rule.via_customers).get(lang),
        dates=[f"{colon(_when(d.when, lang), lang)} {d.what.get(lang)}" for d in h.rule.dates], source=h.rule.source.get(lang),
        verified=h.rule.verified, links=_links(h.rule.resources, bundle, profile, lang))
        for h in (legal_radar(profile, ref) if ref else [])]
    version = t("version", lang)
    legal_note = (ref.legal.disclaimer.get(lang) + " " + t("Situation on {date}.", lang).format(
        date=fmt_date(date.fromisoformat(ref.legal.as_of), lang))) if ref else ""
    return ReportContent(
        lang=lang,
        commentary=commentary,
        scorecard=_scorecard(profile, items, results, modules, legal, on, lang),
        title=t("Human-rights due diligence: self-assessment report", lang),
        company=profile.name,
        profile_lines=describe_profile(profile, lang, ref),
        date=fmt_date(on, lang),
        versions=", ".join(f"{m.title} ({version} {m.version})" for m in modules),
        summary=_summary(modules, results, plan, len(flags), gaps, lang),
        top_actions=shown[:TOP_ACTIONS],
        plan=shown,
        backlog=backlog,
        plan_legend=nap_legend(explained, lang),
        backlog_legend=nap_legend({n for row in backlog for n in row.nap_numbers} - explained, lang),
        red_flags=flags,
        knowledge_gap_count=gaps,
        modules=modules,
        actions=plan,
        risks=risks,
        legal=legal,
        legal_note=legal_note,
        method=[
            t("Each applicable question answered with an option scores the share of the best answer it "
              "reaches; a step's score is the weighted mean of its questions, from 0 to 100.", lang),
            t("Levels: Initial (0–24), Developing (25–49), Established (50–74), Advanced (75–100).", lang),
            t("“Don't know” is not counted as zero: it is left out of the score and listed as a "
              "knowledge gap. Questions that do not apply to your company are not asked.", lang),
            t("The action plan lists red flags first, the most severe first; then the other gaps by the "
              "severity of the impact they concern, by how exposed your company is (risk radar, workforce, "
              "profile) and by the size of the gap.", lang),
            t("An open critical or high red flag caps a module's level at “Urgent attention”, whatever the "
              "average score.", lang),
            t("Priority says how soon an action matters: urgent for red flags (now, within two weeks), then high, "
              "medium or low from the severity of the impact (within three months for high, within a year for "
              "the others), counted from the day the answers were given.", lang),
            t("Effort (small, moderate, large) says how much work an action is, from the weight of its question; "
              "it is indicative: what is reasonable depends on your company's size, context and the severity of "
              "the risks (UN Guiding Principle 14). The suggested owner is a role that usually takes such an "
              "action in a company of your size.", lang),
            t("The risk radar matches each product with the countries it comes from, as given in your "
              "profile, against public lists; a match is a reason to look closer, not a finding about "
              "your suppliers.", lang),
        ],
        glossary=[
            (t("Due diligence", lang), t("The ongoing process by which a company identifies, prevents, "
                                         "mitigates and accounts for its impacts on people.", lang)),
            (t("Red flag", lang), t("An answer that signals a possible serious abuse and calls for "
                                    "immediate action.", lang)),
            (t("Knowledge gap", lang), t("A question answered “don't know”: something to find out.", lang)),
            (t("3TG", lang), t("Tin, tantalum, tungsten and gold, the minerals covered by Regulation "
                               "(EU) 2017/821.", lang)),
            (t("CAHRA", lang), t("Conflict-affected and high-risk areas, as listed for the EU.", lang)),
            (t("NAP", lang), t("Belgium's National Action Plan on Business and Human Rights 2.0 "
                               "(2024–2029).", lang)),
        ],
        sources=[t(source, lang) for source in SOURCES],
        disclaimer=t("This report is a self-assessment based on the answers your company gave. It is not "
                     "an audit, a certification or legal advice.", lang),
        headings={
            "contents": t("Contents", lang),
            "sc_report": t("Report of {date}", lang),
            "profile": t("Company profile", lang),
            "question": t("Question", lang),
            "meaning": t("Meaning", lang),
            "see_action": t("see action {n} of the plan", lang),
            "sc_id": t("Assessment id", lang),
            "sc_answered": t("Answers given", lang),
            "sc_valid": t("Valid until", lang),
            "sc_flags": t("Red flags", lang),
            "sc_strengths": t("Strengths", lang),
            "sc_no_strengths": t("No step has reached the established level yet.", lang),
            "sc_priorities": t("The five priorities", lang),
            "sc_rules": t("Rules that may concern the company", lang),
            "sc_id_note": t("The assessment id is the SHA-256 hash of the assessment data embedded in this PDF "
                            "(import it with 'hrdd import'); the same answers give the same id.", lang),
            "summary": t("Summary", lang),
            "commentary": t("Adviser's commentary", lang),
            "top_actions": t("Most urgent actions", lang),
            "scores": t("Scores per due-diligence step", lang),
            "red_flags": t("Red flags", lang),
            "knowledge_gaps": t("Knowledge gaps", lang),
            "risks": t("Risk radar: products and countries of origin", lang),
            "legal": t("Legal radar: rules that may concern you", lang),
            "actions": t("Action plan", lang),
            "findings": t("Findings per module and step", lang),
            "progress": t("Progress since the previous assessment", lang),
            "appendix": t("Method, glossary and sources", lang),
            "glossary": t("Glossary", lang),
            "sources": t("Sources", lang),
            "step": t("Step", lang),
            "score": t("Score", lang),
            "level": t("Level", lang),
            "answered": t("Answered", lang),
            "dont_know": t("Don't know", lang),
            "change": t("Change", lang),
            "sector": t("Sector median", lang),
            "priority": t("Priority", lang),
            "effort": t("Effort", lang),
            "action": t("What to do", lang),
            "why": t("Why", lang),
            "help": t("Who can help", lang),
            "nap": t("NAP action", lang),
            "owner": t("Owner", lang),
            "due": t("Due date", lang),
            "status": t("Status", lang),
            "suggested": t("suggested", lang),
            "backlog": t("Annex: all actions of the plan", lang),
            "backlog_intro": t("Every action of the plan, one line each, in plan order; the first ten open ones are "
                               "described in the action plan. The full text of each is in the app and in "
                               "'hrdd actions'.", lang),
            "plan_intro": t("The first {n} open actions, in the order of the plan, grouped by when they are due. "
                            "Priority says how soon an action matters, effort how much work it is. The other "
                            "actions are listed in the annex.", lang),
            "nap_legend": t("NAP actions cited", lang),
            "nap_legend_more": t("Other NAP actions cited", lang),
            "note": t("Note", lang),
            "answer": t("Answer", lang),
            "module": t("Module", lang),
            "date": t("Date", lang),
            "overall": t("Overall score", lang),
            "product": t("Product", lang),
            "country": t("Country", lang),
            "risk": t("Risk", lang),
            "source": t("Source", lang),
            "how": t("How", lang),
            "not_verified": t("not yet verified", lang),
            "previous": t("Compared with the assessment of {date}.", lang),
            "done_since": t("Done since then", lang),
            "no_previous": t("This is the first assessment of this module.", lang),
            "page": t("Page {page} of {pages}", lang),
            "no_flags": t("No red flags were raised.", lang),
            "no_gaps": t("No question was answered “don't know”.", lang),
            "no_actions": t("No actions: every answer is at the best level.", lang) if any(
                r.answered for r in results) else
            t("No answers yet: resume the questionnaire to see your actions.", lang),
            "no_risks": t("No match between your products and sourcing countries and the lists used.", lang)
            if profile.sourcing else
            t("Add the products you buy and their countries of origin to the profile to see known risks.", lang),
            "no_legal": t("None of the rules in hrdd's legal radar seems to concern you on the basis of "
                          "your profile.", lang),
        },
    )


def _when(value: str, lang: str) -> str:
    """"2027-12-14" as a local date; "2029-07" as month and year."""
    if len(value) == 7:
        from babel.dates import format_skeleton

        from ..i18n import LOCALES

        return format_skeleton("yMMMM", date.fromisoformat(value + "-01"), locale=LOCALES[lang])
    return fmt_date(date.fromisoformat(value), lang)
