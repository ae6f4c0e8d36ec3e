"""Proportionate and tailored: a text that names a regional instrument or a product initiative
reaches only the companies it fits, and a company without staff is never asked about staff.

The content rules are checked on the data (every core text, every conditional block's
condition), and the same rules are checked on what generated companies of every region, size
and product mix actually get in their report.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdd.answers import Answer
from hrdd.conditions import applicable_questions, applies, first_open_question
from hrdd.models import (
    AllCondition,
    AnyCondition,
    ConditionalText,
    Condition,
    Profile,
    ProfileCondition,
    Question,
    Sourcing,
    Text,
)
from hrdd.report.content import ModuleInput, build_content

INSTRUMENTS: dict[str, tuple[str, set[str]]] = {
    "kmo-portefeuille": ("region", {"flanders"}),
    "portefeuille pme": ("region", {"flanders"}),
    "sme wallet": ("region", {"flanders"}),
    "vlaio": ("region", {"flanders"}),
    "mvo vlaanderen": ("region", {"flanders"}),
    "flanders investment": ("region", {"flanders"}),
    "chèques-entreprises": ("region", {"wallonia"}),
    "cheques-entreprises": ("region", {"wallonia"}),
    "awex": ("region", {"wallonia"}),
    "wallonie entreprendre": ("region", {"wallonia"}),
    "sowalfin": ("region", {"wallonia"}),
    "hub.brussels": ("region", {"brussels"}),
    "prime consultance": ("region", {"brussels"}),
    "consultancypremie": ("region", {"brussels"}),
    "beyond chocolate": ("products", {"cocoa"}),
    "trustone": ("products", {"natural_stone"}),
}
"""Names of regional instruments and product initiatives → the profile field and values they need."""

_FIT = re.compile(r"\bFIT\b")


def named(text: str) -> set[str]:
    """The instruments and initiatives a text names."""
    low = text.lower()
    found = {name for name in INSTRUMENTS if name in low}
    if _FIT.search(text):
        found.add("flanders investment")
    return found


def implies(cond: Condition, field: str, allowed: set[str]) -> bool:
    """Whether every profile for which ``cond`` holds has ``field`` within ``allowed``."""
    if isinstance(cond, ProfileCondition) and cond.profile == field:
        values = cond.in_ if cond.in_ is not None else [cond.equals]
        return set(values) <= allowed  # type: ignore[arg-type]
    if isinstance(cond, AllCondition):
        return any(implies(c, field, allowed) for c in cond.all)
    if isinstance(cond, AnyCondition):
        return all(implies(c, field, allowed) for c in cond.any)
    return False


def _core_texts(q: Question) -> list[Text]:
    texts = [q.text, *(t for t in (q.help, q.action) if t is not None)]
    for o in q.options:
        texts += [t for t in (o.label,) if t is not None]
        if o.red_flag:
            texts += [o.red_flag.finding, o.red_flag.action]
    return texts


def _blocks(q: Question) -> list[ConditionalText]:
    return [*q.help_if, *q.action_if, *(b for o in q.options if o.red_flag for b in o.red_flag.action_if)]


def test_no_core_text_names_a_regional_instrument_or_a_product_initiative(bundle):
    bad = []
    for questionnaire in bundle.questionnaires:
        for text in (questionnaire.title, questionnaire.description):
            bad += [(questionnaire.id, n) for lang in ("nl", "fr", "en") for n in named(text.get(lang))]
        for q in questionnaire.questions:
            for text in _core_texts(q):
                bad += [(q.id, n) for lang in ("nl", "fr", "en") for n in named(text.get(lang))]
    for rule in bundle.reference.legal.rules:
        for text in (rule.name, rule.summary, rule.direct, rule.via_customers):
            bad += [(rule.id, n) for lang in ("nl", "fr", "en") for n in named(text.get(lang))]
    assert not bad


def test_every_block_naming_an_instrument_is_limited_to_the_companies_it_fits(bundle):
    bad = []
    for questionnaire in bundle.questionnaires:
        for q in questionnaire.questions:
            for block in _blocks(q):
                for name in {n for lang in ("nl", "fr", "en") for n in named(block.text.get(lang))}:
                    field, allowed = INSTRUMENTS[name]
                    if not implies(block.when, field, allowed):
                        bad.append((q.id, name))
    assert not bad


def test_catalogue_entries_name_only_their_own_region_or_products(bundle):
    bad = []
    for r in bundle.catalogue.resources:
        for lang in ("nl", "fr", "en"):
            for name in named(r.description.get(lang)) | named(r.name.get(lang)):
                field, allowed = INSTRUMENTS[name]
                fits = r.region in allowed if field == "region" else bool(r.products) and set(r.products) <= allowed
                if not fits:
                    bad.append((r.id, name))
    assert not bad


def test_product_initiatives_are_tied_to_their_products(bundle):
    by_id = {r.id: r for r in bundle.catalogue.resources}
    assert by_id["beyond_chocolate"].products == ["cocoa"]
    assert by_id["trustone"].products == ["natural_stone"]


# --- generated companies -------------------------------------------------------------------

PRODUCTS = ["cocoa", "coffee", "sugarcane", "natural_stone", "garments", "electronics", "hazelnuts", "tin",
            "gold", "fish", "timber", "rubber"]
COUNTRIES = ["CI", "GH", "BR", "TR", "CN", "IN", "CD", "VN", "BD", "NL", "DE", "FR", "MY", "ID"]

sourcing = st.builds(Sourcing, product=st.sampled_from(PRODUCTS),
                     origins=st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3, unique=True),
                     channel=st.sampled_from(["direct", "eu_intermediary", "unknown"]))
profiles = st.builds(
    Profile, name=st.just("Generated"),
    employees=st.one_of(st.none(), st.sampled_from([0, 0, 3, 12, 45, 120, 400])),
    turnover_eur_m=st.one_of(st.none(), st.sampled_from([0.1, 1.5, 8.0, 30.0, 80.0])),
    nace=st.one_of(st.none(), st.sampled_from(list("ACFGHIJMN"))),
    region=st.one_of(st.none(), st.sampled_from(["flanders", "wallonia", "brussels"])),
    supplies=st.one_of(st.none(), st.sampled_from(["goods", "services", "both"])),
    workforce=st.one_of(st.none(), st.lists(st.sampled_from(
        ["agency", "students", "seasonal", "subcontractors_on_site", "posted", "self_employed"]), unique=True)),
    sells_to_large_companies=st.one_of(st.none(), st.booleans()),
    public_buyer=st.one_of(st.none(), st.booleans()),
    imports_non_eu=st.one_of(st.none(), st.booleans()),
    b2c=st.one_of(st.none(), st.booleans()),
    minerals_3tg=st.one_of(st.none(), st.sampled_from(["yes", "no", "unknown"])),
    minerals_form=st.one_of(st.none(), st.sampled_from(["metals", "components", "both"])),
    products=st.lists(st.sampled_from(PRODUCTS), max_size=3, unique=True),
    sourcing=st.lists(sourcing, max_size=3),
)


def weakest(question: Question) -> Answer:
    """The answer that opens the most advice: the lowest-scoring option, a red flag if there is one."""
    if question.kind in ("single", "yes_no"):
        return Answer(question_id=question.id, value=min(question.options, key=lambda o: o.score).id)
    if question.kind == "multi":
        return Answer(question_id=question.id, value=[])
    if question.kind == "number":
        return Answer(question_id=question.id, value=question.min)
    if question.kind == "countries":
        return Answer(question_id=question.id, value=["CN"])
    return Answer(question_id=question.id, value="x")


def walk(questionnaire, profile: Profile) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    while (q := first_open_question(questionnaire, profile, answers)) is not None:
        answers[q.id] = weakest(q)
    return answers


def report_texts(content) -> list[str]:
    texts = [*content.summary, *(p for line in content.profile_lines for p in line)]
    for row in [*content.actions, *content.red_flags]:
        texts += [row.action, *(f"{link.name} {link.description}" for link in row.links)]
    for row in content.legal:
        texts += [row.name, row.summary, row.meaning, *(f"{link.name} {link.description}" for link in row.links)]
    return texts


def unfit_names(texts: list[str], profile: Profile) -> set[str]:
    """Names in ``texts`` of instruments for another region or initiatives for products it lacks."""
    products = set(profile.all_products)
    bad = set()
    for text in texts:
        for name in named(text):
            field, allowed = INSTRUMENTS[name]
            if field == "region" and profile.region is not None and profile.region not in allowed:
                bad.add(name)
            if field == "products" and not products & allowed:
                bad.add(name)
    return bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles, lang=st.sampled_from(["nl", "fr", "en"]))
def test_generated_companies_get_only_the_help_that_fits_them(bundle, profile, lang):
    items = [ModuleInput(q, walk(q, profile)) for q in bundle.questionnaires if applies(q, profile)]
    content = build_content(profile, items, bundle, lang, date(2026, 12, 1))
    assert not unfit_names(report_texts(content), profile)


STAFF_WORDS = re.compile(r"\b(your staff|your employees|your own staff|workers in your company|"
                         r"young workers|student workers|agency workers|your workers)\b", re.IGNORECASE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=profiles)
def test_no_question_about_staff_when_there_are_none(bundle, profile):
    profile = profile.model_copy(update={"employees": 0, "workforce": [w for w in profile.workforce or []
                                                                      if w == "self_employed"]})
    assert not profile.has_staff
    asked = [q for questionnaire in bundle.questionnaires if applies(questionnaire, profile)
             for q in applicable_questions(questionnaire, profile, walk(questionnaire, profile))]
    about_staff = [q.id for q in asked if STAFF_WORDS.search(q.text.en)]
    assert not about_staff
