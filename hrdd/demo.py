"""A sample company with a complete, realistic assessment, so a newcomer sees results at once."""

from __future__ import annotations

from .answers import Answer
from .conditions import applies, first_open_question
from .loader import Bundle
from .models import Profile, Question, Sourcing
from .storage import Store

DEMO_PROFILE = Profile(
    name="Chocolaterie Demo & Zonen",
    employees=35,
    turnover_eur_m=6.5,
    nace="C",
    region="flanders",
    supplies="goods",
    workforce=["students", "seasonal"],
    sells_to_large_companies=True,
    public_buyer=False,
    imports_non_eu=True,
    b2c=True,
    minerals_3tg="no",
    products=["cocoa", "hazelnuts", "sugarcane"],
    sourcing=[Sourcing(product="cocoa", origins=["CI", "GH", "EC"], channel="direct"),
              Sourcing(product="hazelnuts", origins=["TR"], channel="eu_intermediary"),
              Sourcing(product="sugarcane", origins=["BR"], channel="eu_intermediary")],
)

MATURITY_BY_STEP = {1: 0.7, 2: 0.5, 3: 0.45, 4: 0.3, 5: 0.35, 6: 0.2}
"""How far along the demo company is in each OECD step (0 = nothing, 1 = best practice)."""

NOTES = {
    "nl": "Besproken op de directievergadering van maart; de aankoopverantwoordelijke volgt dit op.",
    "fr": "Discuté en réunion de direction en mars ; la responsable des achats assure le suivi.",
    "en": "Discussed at the March management meeting; our purchasing manager follows this up.",
}
TEXTS = {
    "nl": "Cacaobonen en cacaoboter, verpakkingen, suiker en hazelnoten.",
    "fr": "Fèves et beurre de cacao, emballages, sucre et noisettes.",
    "en": "Cocoa beans and cocoa butter, packaging, sugar and hazelnuts.",
}


def demo_answer(question: Question, index: int, lang: str, red_flag_shown: bool) -> Answer:
    """A plausible answer for the demo company."""
    maturity = MATURITY_BY_STEP[question.step]
    note = NOTES[lang] if index % 5 == 1 else None
    if index % 9 == 4:
        return Answer(question_id=question.id, dont_know=True)
    if question.kind in ("single", "yes_no"):
        flagged = [o for o in question.options if o.red_flag]
        if flagged and not red_flag_shown:
            return Answer(question_id=question.id, value=flagged[0].id, note=note)
        safe = sorted((o for o in question.options if not o.red_flag), key=lambda o: o.score)
        return Answer(question_id=question.id, value=safe[round((len(safe) - 1) * maturity)].id, note=note)
    if question.kind == "multi":
        chosen = [o.id for o in question.options if not o.red_flag][: max(1, round(len(question.options) * maturity))]
        return Answer(question_id=question.id, value=chosen, note=note)
    if question.kind == "number":
        return Answer(question_id=question.id, value=42, note=note)
    if question.kind == "countries":
        return Answer(question_id=question.id, value=["CI", "GH", "EC", "TR"], note=note)
    return Answer(question_id=question.id, value=TEXTS[lang], note=note)


def create_demo(store: Store, bundle: Bundle, lang: str = "en", name: str | None = None,
                modules: list[str] | None = None) -> tuple[int, int]:
    """Create the demo company with a completed assessment of every module that applies to it
    (or of ``modules``); return (company id, id of the first assessment)."""
    profile = DEMO_PROFILE.model_copy(update={"name": name}) if name else DEMO_PROFILE
    chosen = [q for q in bundle.questionnaires if (q.id in modules if modules else applies(q, profile))]
    if not chosen:
        raise LookupError(f"none of the modules {modules} is installed")
    company_id = store.create_company(profile)
    first = 0
    for questionnaire in chosen:
        assessment_id = store.start_assessment(company_id, questionnaire, lang,
                                               pack=bundle.packs.get(questionnaire.id))
        first = first or assessment_id
        answers: dict[str, Answer] = {}
        index, flag_shown = 0, False
        while (question := first_open_question(questionnaire, profile, answers)) is not None:
            answer = demo_answer(question, index, lang, flag_shown)
            flag_shown |= any(o.red_flag for o in question.options if o.id in answer.choices())
            store.save_answer(assessment_id, answer)
            answers[question.id] = answer
            index += 1
        store.set_completed(assessment_id)
    return company_id, first
