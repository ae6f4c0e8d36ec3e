"""Four companies that differ, built for the tests (not the demo): size, region, trade,
workforce, products and where they come from."""

from __future__ import annotations

from hrdd.answers import Answer
from hrdd.conditions import applies, first_open_question
from hrdd.models import Profile, Question, Questionnaire, Sourcing

MICRO_SERVICES = Profile(
    name="Lies Peeters IT-advies", employees=0, turnover_eur_m=0.12, nace="J", region="flanders",
    supplies="services", workforce=["self_employed"], sells_to_large_companies=True, public_buyer=False,
    imports_non_eu=False, b2c=False, minerals_3tg="no")
"""A one-person IT consultancy in Flanders that subcontracts to freelancers now and then."""

WALLOON_MANUFACTURER = Profile(
    name="Électro-Meuse SA", employees=40, turnover_eur_m=7.5, nace="C", region="wallonia",
    supplies="goods", workforce=["agency"], sells_to_large_companies=True, public_buyer=False,
    imports_non_eu=False, b2c=False, minerals_3tg="yes", minerals_form="components",
    products=["electronics"],
    sourcing=[Sourcing(product="tantalum_capacitors", origins=["CN", "MX"], channel="eu_intermediary"),
              Sourcing(product="tin_solder", origins=["MY", "ID"], channel="eu_intermediary"),
              Sourcing(product="electronics", origins=["CN"], channel="eu_intermediary")])
"""A Walloon maker of control cabinets buying components with 3TG through an EU distributor."""

BRUSSELS_CLEANING = Profile(
    name="Net & Clair Bruxelles SRL", employees=120, turnover_eur_m=4.8, nace="N", region="brussels",
    supplies="services", workforce=["agency", "subcontractors_on_site", "posted", "students"],
    sells_to_large_companies=True, public_buyer=True, imports_non_eu=False, b2c=False, minerals_3tg="no",
    sourcing=[Sourcing(product="gloves", origins=["MY"], channel="eu_intermediary")])
"""A labour-intensive Brussels cleaning company with subcontractors and posted workers."""

FLEMISH_FOOD = Profile(
    name="Van Damme Cacao & Koffie NV", employees=60, turnover_eur_m=14.0, nace="C", region="flanders",
    supplies="goods", workforce=["seasonal", "students"], sells_to_large_companies=True, public_buyer=False,
    imports_non_eu=True, b2c=True, minerals_3tg="no", products=["cocoa", "coffee"],
    sourcing=[Sourcing(product="cocoa", origins=["CI", "GH"], channel="direct"),
              Sourcing(product="coffee", origins=["BR", "HN"], channel="eu_intermediary"),
              Sourcing(product="sugarcane", origins=["BR"], channel="eu_intermediary")])
"""A Flemish food company sourcing tropical commodities directly and through an EU trader."""

COMPANIES = {"micro_services": (MICRO_SERVICES, "nl"), "walloon_manufacturer": (WALLOON_MANUFACTURER, "fr"),
             "brussels_cleaning": (BRUSSELS_CLEANING, "fr"), "flemish_food": (FLEMISH_FOOD, "nl")}
"""Each company with the language a company of its region would use."""


def middling(question: Question) -> Answer:
    """A plausible, imperfect answer: the second-lowest option (no red flag), "partly", a number."""
    if question.kind in ("single", "yes_no"):
        safe = sorted((o for o in question.options if not o.red_flag), key=lambda o: o.score)
        return Answer(question_id=question.id, value=safe[min(1, len(safe) - 1)].id)
    if question.kind == "multi":
        return Answer(question_id=question.id, value=[o.id for o in question.options if not o.red_flag][:1])
    if question.kind == "number":
        return Answer(question_id=question.id, value=max(question.min, 12))
    if question.kind == "countries":
        return Answer(question_id=question.id, value=["NL"])
    return Answer(question_id=question.id, value="—")


def walk(questionnaire: Questionnaire, profile: Profile, answer=middling) -> dict[str, Answer]:  # type: ignore[no-untyped-def]
    """Answer every question that applies, in order, the way ``answer`` says."""
    answers: dict[str, Answer] = {}
    while (q := first_open_question(questionnaire, profile, answers)) is not None:
        answers[q.id] = answer(q)
    return answers


def complete(store, bundle, profile: Profile, lang: str, answer=middling) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """A new company with a completed assessment of every module that applies to it, answered the
    way ``answer`` says: its id and the assessments' ids."""
    company = store.create_company(profile)
    done = []
    for q in bundle.questionnaires:
        if applies(q, profile):
            assessment = store.start_assessment(company, q, lang)
            for a in walk(q, profile, answer).values():
                store.save_answer(assessment, a)
            store.set_completed(assessment)
            done.append(assessment)
    return company, done
