"""What the report says, computed without reportlab: a pure function of the data.

:func:`build_content` turns a company, an assessment and its answers into plain strings in
the report's language. The PDF layer only lays them out, so the content can be tested on
its own and the same content can later feed other outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..answers import Answer
from ..i18n import N_, country_names, fmt_date, fmt_number, t, translations
from ..loader import Bundle
from ..models import Profile, Question, Questionnaire
from ..profile import describe_profile
from ..scoring import LEVEL_NAMES, SEVERITY_NAMES, ModuleResult, fitting_resources, score_module, step_name


@dataclass(frozen=True)
class Link:
    name: str
    url: str
    description: str


@dataclass(frozen=True)
class StepRow:
    step: int
    name: str
    score: str
    level: str
    answered: str
    dont_know: int


@dataclass(frozen=True)
class FlagRow:
    severity: str
    finding: str
    action: str
    links: list[Link]


@dataclass(frozen=True)
class ActionRow:
    number: int
    priority: str
    urgent: bool
    action: str
    why: str
    links: list[Link]
    nap: str


@dataclass(frozen=True)
class Finding:
    question: str
    answer: str
    note: str | None


@dataclass(frozen=True)
class StepFindings:
    step: int
    title: str
    findings: list[Finding]


@dataclass(frozen=True)
class ReportContent:
    lang: str
    title: str
    company: str
    profile_lines: list[tuple[str, str]]
    date: str
    module: str
    module_version: str
    overall_score: str
    overall_level: str
    completion: str
    summary: str
    steps: list[StepRow]
    red_flags: list[FlagRow]
    knowledge_gaps: list[str]
    actions: list[ActionRow]
    findings: list[StepFindings]
    method: list[str]
    disclaimer: str
    headings: dict[str, str] = field(default_factory=dict)


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


YES_NO_LABELS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No")}


def option_label(question: Question, option_id: str, lang: str) -> str:
    option = question.option(option_id)
    if option is None:
        return option_id
    if option.label is not None:
        return option.label.get(lang)
    return t(YES_NO_LABELS.get(option_id, option_id), lang)


def _links(ids: list[str], bundle: Bundle, profile: Profile, lang: str) -> list[Link]:
    return [Link(r.name.get(lang), r.urls.get(lang), r.description.get(lang))
            for r in fitting_resources(ids, bundle.catalogue, profile.region)]


def _summary(questionnaire: Questionnaire, result: ModuleResult, lang: str) -> str:
    if result.score is None:
        return t("No scored question has been answered yet, so there is no score.", lang)
    parts = [t("Your overall maturity is {level} ({score}/100).", lang).format(
        level=t(LEVEL_NAMES[result.level], lang) if result.level else "–", score=result.score)]
    scored = [s for s in result.steps if s.score is not None]
    if scored:
        weakest = min(scored, key=lambda s: s.score or 0)
        parts.append(t("Your weakest step is “{step}” ({score}/100).", lang).format(
            step=t(step_name(questionnaire, weakest.step), lang), score=weakest.score))
    if result.red_flags:
        parts.append(t("There are red flags that need attention now: see below.", lang))
    if result.knowledge_gaps:
        n = len(result.knowledge_gaps)
        parts.append(translations(lang).ngettext(
            "You answered “don't know” to {n} question: finding out is a first action.",
            "You answered “don't know” to {n} questions: finding out is a first action.", n).format(n=n))
    return " ".join(parts)


def build_content(profile: Profile, questionnaire: Questionnaire, answers: Mapping[str, Answer],
                  bundle: Bundle, lang: str, on: date) -> ReportContent:
    """Everything the report says, in ``lang``."""
    result = score_module(questionnaire, profile, answers)
    steps = [StepRow(
        step=s.step, name=t(step_name(questionnaire, s.step), lang),
        score="–" if s.score is None else str(s.score),
        level="–" if s.level is None else t(LEVEL_NAMES[s.level], lang),
        answered=f"{s.answered}/{s.applicable}", dont_know=s.dont_know) for s in result.steps]
    flags = [FlagRow(t(SEVERITY_NAMES[f.severity], lang), f.finding.get(lang), f.action.get(lang),
                     _links(f.resources, bundle, profile, lang)) for f in result.red_flags]
    priority = {"red_flag": t("Urgent", lang), "gap": t("Improve", lang), "find_out": t("Find out", lang)}
    actions = [ActionRow(
        number=i, priority=priority[a.kind] + (f" ({t(SEVERITY_NAMES[a.severity], lang)})" if a.severity else ""),
        urgent=a.kind == "red_flag",
        action=a.text.get(lang), why=a.finding.get(lang), links=_links(a.resources, bundle, profile, lang),
        nap=", ".join(str(n) for n in a.nap)) for i, a in enumerate(result.actions, start=1)]
    questions = [q for q in questionnaire.questions if q.id in answers or q.id in result.open_questions]
    findings = [StepFindings(step, f"{step}. {t(step_name(questionnaire, step), lang)}", [
        Finding(q.text.get(lang), answer_text(q, answers.get(q.id), lang),
                (answers[q.id].note or None) if q.id in answers else None)
        for q in questions if q.step == step]) for step in sorted({q.step for q in questions})]
    return ReportContent(
        lang=lang,
        title=t("Human-rights due diligence: self-assessment report", lang),
        company=profile.name,
        profile_lines=describe_profile(profile, lang),
        date=fmt_date(on, lang),
        module=questionnaire.title.get(lang),
        module_version=questionnaire.version,
        overall_score="–" if result.score is None else f"{result.score}/100",
        overall_level="–" if result.level is None else t(LEVEL_NAMES[result.level], lang),
        completion=t("{answered} of {applicable} applicable questions answered", lang).format(
            answered=result.answered, applicable=result.applicable),
        summary=_summary(questionnaire, result, lang),
        steps=steps,
        red_flags=flags,
        knowledge_gaps=[questionnaire.question(qid).text.get(lang) for qid in result.knowledge_gaps],
        actions=actions,
        findings=findings,
        method=[
            t("Each applicable question answered with an option scores the share of the best answer it "
              "reaches; a step's score is the weighted mean of its questions, from 0 to 100.", lang),
            t("Levels: Initial (0–24), Developing (25–49), Established (50–74), Advanced (75–100).", lang),
            t("“Don't know” is not counted as zero: it is left out of the score and listed as a "
              "knowledge gap. Questions that do not apply to your company are not asked.", lang),
            t("The questions follow the six steps of the OECD Due Diligence Guidance for Responsible "
              "Business Conduct (2018), the UN Guiding Principles on Business and Human Rights and "
              "Belgium's National Action Plan on Business and Human Rights 2.0 (2024–2029).", lang),
        ],
        disclaimer=t("This report is a self-assessment based on the answers your company gave. It is not "
                     "an audit, a certification or legal advice.", lang),
        headings={
            "summary": t("Summary", lang),
            "scores": t("Scores per due-diligence step", lang),
            "red_flags": t("Red flags", lang),
            "knowledge_gaps": t("Knowledge gaps", lang),
            "actions": t("Action plan", lang),
            "findings": t("Findings per step", lang),
            "method": t("Method and disclaimer", lang),
            "step": t("Step", lang),
            "score": t("Score", lang),
            "level": t("Level", lang),
            "answered": t("Answered", lang),
            "dont_know": t("Don't know", lang),
            "priority": t("Priority", lang),
            "action": t("What to do", lang),
            "why": t("Why", lang),
            "help": t("Who can help", lang),
            "nap": t("NAP action", lang),
            "note": t("Note", lang),
            "answer": t("Answer", lang),
            "module": t("Module", lang),
            "version": t("version", lang),
            "date": t("Date", lang),
            "overall": t("Overall score", lang),
            "page": t("Page {page} of {pages}", lang),
            "no_flags": t("No red flags were raised.", lang),
            "no_gaps": t("No question was answered “don't know”.", lang),
            "no_actions": t("No actions: every answer is at the best level.", lang),
        },
    )
