"""The children, forced-labour and conflict-minerals modules fit the company (issue 8).

Each test runs the bundled YAML through the real loader, condition evaluator and scorer: which
modules and questions a company gets, what its answers are worth for its size, and which
conditional advice it reads.
"""

from __future__ import annotations

import csv
import re

import pytest

from hrdd.answers import Answer
from hrdd.conditions import applicable_questions, applies, holds
from hrdd.models import (
    AllCondition,
    AnyCondition,
    NotCondition,
    Profile,
    ProfileCondition,
    texts_for,
)
from hrdd.paths import questionnaires_dir
from hrdd.report.content import tailored
from hrdd.scoring import question_fraction, score_module

from companies import BRUSSELS_CLEANING, FLEMISH_FOOD, MICRO_SERVICES, WALLOON_MANUFACTURER

MODULES = ("children", "forced_labour", "conflict_minerals")

SOLE_TRADER = MICRO_SERVICES.model_copy(update={"workforce": []})
"""A one-person IT consultancy that subcontracts to nobody: no staff, services only, no consumers,
no goods of non-EU origin."""


def modules_for(bundle, profile):
    return {q.id for q in bundle.questionnaires if applies(q, profile)}


def asked(bundle, module, profile, **answers):
    """Ids of the questions asked, given the profile and answers given as id=option(s)."""
    given = {qid: Answer(question_id=qid, value=v) for qid, v in answers.items()}
    return {q.id for q in applicable_questions(bundle.questionnaire(module), profile, given)}


# --- which modules and questions ----------------------------------------------------------

def test_no_module_applies_always(bundle):
    for module in MODULES:
        assert bundle.questionnaire(module).applies_if is not None, module


def test_a_services_only_sole_trader_gets_none_of_the_three_modules(bundle):
    assert modules_for(bundle, SOLE_TRADER) & set(MODULES) == set()


def test_what_a_sole_trader_says_brings_the_modules_back(bundle):
    """A profile field left empty counts as "may concern": asked when in doubt."""
    for consumers in (None, True):
        modules = modules_for(bundle, SOLE_TRADER.model_copy(update={"b2c": consumers}))
        assert "children" in modules and "forced_labour" not in modules
    origin_unknown = SOLE_TRADER.model_copy(update={"imports_non_eu": None})
    assert {"children", "forced_labour"} <= modules_for(bundle, origin_unknown)
    goods = SOLE_TRADER.model_copy(update={"supplies": "goods"})
    assert {"children", "forced_labour"} <= modules_for(bundle, goods)


def test_a_sole_trader_with_freelancers_gets_a_few_forced_labour_questions(bundle):
    assert MICRO_SERVICES.workforce == ["self_employed"] and not MICRO_SERVICES.has_staff
    assert "children" not in modules_for(bundle, MICRO_SERVICES)
    assert "forced_labour" in modules_for(bundle, MICRO_SERVICES)
    assert asked(bundle, "forced_labour", MICRO_SERVICES) == {
        "fl_policy", "fl_labour_providers", "fl_supplier_response", "fl_whom_to_call", "fl_remediation"}


def test_staff_questions_need_staff(bundle):
    staff_only = {"young_workers_present", "age_checks", "working_parents", "children_knowledge"}
    consumer_seller = SOLE_TRADER.model_copy(update={"b2c": True})
    assert staff_only.isdisjoint(asked(bundle, "children", consumer_seller))
    assert staff_only <= asked(bundle, "children", WALLOON_MANUFACTURER)


def test_agency_and_posted_worker_questions_open_from_the_profile(bundle):
    cleaning = asked(bundle, "forced_labour", BRUSSELS_CLEANING)
    assert {"fl_subcontracting_chain", "fl_labour_providers", "fl_sector_social_dumping"} <= cleaning
    own_staff_only = BRUSSELS_CLEANING.model_copy(update={"workforce": []})
    assert "fl_subcontracting_chain" not in asked(bundle, "forced_labour", own_staff_only)
    # the module's own question still opens them for a company that left the profile field empty
    assert "fl_subcontracting_chain" in asked(bundle, "forced_labour", own_staff_only.model_copy(
        update={"workforce": None}), fl_workforce=["own_staff", "posted"])


def test_origin_not_import_decides_supply_chain_questions(bundle):
    """Tantalum capacitors of Chinese origin bought from an EU distributor: supply-chain risk all the same."""
    assert WALLOON_MANUFACTURER.imports_directly is False
    assert {"fl_supply_chain_risk", "fl_traceability"} <= asked(bundle, "forced_labour", WALLOON_MANUFACTURER)
    assert "supply_chain_child_labour_risk" in asked(bundle, "children", WALLOON_MANUFACTURER)
    # Malaysian gloves bought through an EU distributor: a cleaning company has a supply chain too
    assert {"fl_supply_chain_risk", "fl_traceability"} <= asked(bundle, "forced_labour", BRUSSELS_CLEANING)
    no_goods = BRUSSELS_CLEANING.model_copy(update={"sourcing": []})
    assert "fl_supply_chain_risk" not in asked(bundle, "forced_labour", no_goods)
    assert "fl_eu_regulation" not in asked(bundle, "forced_labour", BRUSSELS_CLEANING), "services are excluded"


def test_a_component_buyer_gets_the_customer_path_and_never_importer_duties(bundle):
    minerals = bundle.questionnaire("conflict_minerals")
    # an importer answer left from an earlier profile opens no importer duties either
    questions = asked(bundle, "conflict_minerals", WALLOON_MANUFACTURER,
                      cmrt_requests="regularly", importer_status="above_threshold")
    assert {"cmrt_requests", "cmrt_answers", "smelter_identification", "chain_of_custody"} <= questions
    assert not {q for q in questions if q.startswith("import")}, questions
    texts = " ".join(tailored(q.help, q.help_if, WALLOON_MANUFACTURER, "en") + " "
                     + tailored(q.action, q.action_if, WALLOON_MANUFACTURER, "en")
                     for q in minerals.questions if q.id in questions)
    assert "importer" not in texts.replace("no importer duties", "")
    metals = WALLOON_MANUFACTURER.model_copy(update={"minerals_form": "metals", "imports_non_eu": True})
    assert {"importer_status", "importer_system"} <= asked(bundle, "conflict_minerals", metals,
                                                         importer_status="above_threshold")
    unknown_form = WALLOON_MANUFACTURER.model_copy(update={"minerals_form": None, "imports_non_eu": None})
    assert "importer_status" in asked(bundle, "conflict_minerals", unknown_form)
    metals_from_eu = metals.model_copy(update={"imports_non_eu": False, "sourcing": []})
    assert "importer_status" not in asked(bundle, "conflict_minerals", metals_from_eu)


# --- red flags --------------------------------------------------------------------------

def flagged_options(bundle, modules=MODULES):
    for module in modules:
        for q in bundle.questionnaire(module).questions:
            for o in q.options:
                if o.red_flag:
                    yield module, q, o


def test_every_red_flag_has_an_id_and_one_severity_everywhere(bundle):
    severity: dict[str, tuple[str, str]] = {}
    for module, q, o in flagged_options(bundle, [m.id for m in bundle.questionnaires]):
        rf = o.red_flag
        if module in MODULES:
            assert rf.id, f"{module}.{q.id}.{o.id}"
        if rf.id:
            first = severity.setdefault(rf.id, (rf.severity, f"{module}.{q.id}"))
            assert first[0] == rf.severity, f"{rf.id}: {first} vs {rf.severity} in {module}.{q.id}"


@pytest.mark.parametrize("size", [None, "micro", "small", "medium", "large"])
def test_a_red_flag_never_scores_above_another_answer(bundle, size):
    for module, q, o in flagged_options(bundle):
        assert o.score_for(size) == 0, f"{q.id}.{o.id}"
        assert all(o.score_for(size) <= other.score_for(size) for other in q.options if not other.red_flag)


@pytest.mark.parametrize("question, option, never_checked", [
    ("fl_housing", "poor", "unknown"),
    ("fl_debts", "unclear_terms", "unknown_third_party"),
    ("fl_freedom_to_leave", "isolated", "dont_know"),
    ("fl_threats", "heard_of_pressure", "never_asked"),
])
def test_abuse_scores_below_not_knowing_and_raises_its_flag(bundle, question, option, never_checked):
    module = bundle.questionnaire("forced_labour")
    q = module.question(question)
    assert q.option(option).score < q.option(never_checked).score
    assert "Don't know" in q.help.en, "the help says how 'never checked' differs from 'don't know'"
    answers = {question: Answer(question_id=question, value=option),
               "fl_workforce": Answer(question_id="fl_workforce", value=["own_staff", "housing"])}
    result = score_module(module, FLEMISH_FOOD, answers)
    assert [f.option_id for f in result.red_flags] == [option]
    assert result.capped and result.level == "urgent"


def test_questions_about_forced_and_child_labour_carry_their_impact(bundle):
    for module, q, o in flagged_options(bundle):
        if o.red_flag.severity in ("critical", "high") and module != "conflict_minerals":
            assert q.severity in ("critical", "high"), q.id
    assert bundle.questionnaire("forced_labour").question("fl_threats").severity == "critical"
    assert bundle.questionnaire("children").question("young_workers_present").severity == "critical"


# --- size-scaled expectations ---------------------------------------------------------------

@pytest.mark.parametrize("module, question, option", [
    ("forced_labour", "fl_grievance", "all_workers"),
    ("children", "child_friendly_grievance", "adapted"),
    ("children", "tracking_children", "indicators"),
    ("conflict_minerals", "minerals_responsibility", "named"),
])
def test_a_proportionate_answer_earns_full_marks_for_a_micro_company(bundle, module, question, option):
    questionnaire = bundle.questionnaire(module)
    q = questionnaire.question(question)
    answer = Answer(question_id=question, value=option)
    assert question_fraction(q, answer, "micro") == 1
    assert question_fraction(q, answer, "medium") < 1
    micro = FLEMISH_FOOD.model_copy(update={"employees": 4, "turnover_eur_m": 1, "minerals_3tg": "yes"})
    assert micro.size_class == "micro"
    gaps = {a.question_id for a in score_module(questionnaire, micro, {question: answer}).actions}
    assert question not in gaps
    assert question in {a.question_id for a in score_module(questionnaire, FLEMISH_FOOD.model_copy(
        update={"minerals_3tg": "yes"}), {question: answer}).actions}
    explained = [b for b in q.help_if if holds(b.when, micro, {})]
    assert explained and not any(holds(b.when, FLEMISH_FOOD, {}) and "micro" in b.text.en for b in q.help_if)


def test_every_size_scaled_score_is_explained_for_that_size(bundle):
    for module in MODULES:
        for q in bundle.questionnaire(module).questions:
            sizes = {s for o in q.options for s in o.score_by_size}
            for size in sizes:
                company = Profile(name="x", employees={"micro": 3, "small": 20, "medium": 100, "large": 900}[size])
                assert any(holds(b.when, company, {}) for b in q.help_if), f"{q.id} for {size}"


# --- conditional advice ---------------------------------------------------------------------

REGIONAL = {
    "flanders": [r"kmo-portefeuille", r"\bVLAIO\b", r"MVO Vlaanderen", r"Flanders Investment", r"\bVoka\b",
                 r"\bUNIZO\b", r"Kinderrechtencommissariaat", r"\b[Ii]n (Vlaanderen|Flanders)\b", r"\b[Ee]n Flandre\b"],
    "wallonia": [r"\bAWEX\b", r"Sowalfin", r"Wallonie Entreprendre", r"chèques-entreprises", r"\bUWE\b", r"\bAKT\b",
                 r"Délégué général", r"\b[Ii]n (Wallonië|Wallonia)\b", r"\b[Ee]n Wallonie\b"],
    "brussels": [r"hub\.brussels", r"\bBECI\b", r"Prime Consultance", r"Bruxelles Économie", r"Brussel Economie",
                 r"Brussels Economy", r"\b[Ii]n (Brussel|Brussels)\b", r"\b[ÀàAa] Bruxelles\b"],
}
PRODUCT_INITIATIVES = {"cocoa": [r"Beyond Chocolate"], "natural_stone": [r"TruStone"]}


def requires(cond, field: str, value: str) -> bool:
    """Whether ``cond`` can only hold for a company whose ``field`` includes ``value``."""
    if isinstance(cond, ProfileCondition):
        values = cond.in_ if cond.in_ is not None else [cond.equals]
        return cond.profile == field and set(values) == {value}
    if isinstance(cond, AllCondition):
        return any(requires(c, field, value) for c in cond.all)
    if isinstance(cond, AnyCondition):
        return all(requires(c, field, value) for c in cond.any)
    return False


def texts_with_blocks(bundle):
    """(where, core text, [blocks]) for every help, action and red-flag action of the three modules."""
    for module in MODULES:
        for q in bundle.questionnaire(module).questions:
            yield f"{module}.{q.id}.help", q.help, q.help_if
            yield f"{module}.{q.id}.action", q.action, q.action_if
            for o in q.options:
                if o.red_flag:
                    yield f"{module}.{q.id}.{o.id}.finding", o.red_flag.finding, []
                    yield f"{module}.{q.id}.{o.id}.action", o.red_flag.action, o.red_flag.action_if


def test_core_texts_name_no_regional_instrument_or_product_initiative(bundle):
    patterns = [p for group in (*REGIONAL.values(), *PRODUCT_INITIATIVES.values()) for p in group]
    found = [(where, p) for where, core, _ in texts_with_blocks(bundle) if core is not None
             for lang in ("nl", "fr", "en") for p in patterns if re.search(p, core.get(lang))]
    assert not found, found


def test_each_block_naming_an_instrument_requires_its_region_or_product(bundle):
    named = 0
    for where, _, blocks in texts_with_blocks(bundle):
        for block in blocks:
            text = " ".join(block.text.get(lang) for lang in ("nl", "fr", "en"))
            for field, groups in (("region", REGIONAL), ("products", PRODUCT_INITIATIVES)):
                for value, patterns in groups.items():
                    if any(re.search(p, text) for p in patterns):
                        named += 1
                        assert requires(block.when, field, value), f"{where}: names {value} but shows without it"
    assert named >= 10


def test_no_module_lists_the_defunct_sowalfin(bundle):
    for module in MODULES:
        for q in bundle.questionnaire(module).questions:
            assert "sowalfin" not in q.resources, q.id


def test_each_company_reads_the_advice_of_its_own_region_and_products(bundle):
    children = bundle.questionnaire("children")
    code = children.question("supplier_code_children")
    scan = children.question("children_impact_scan")
    knowledge = children.question("children_knowledge")
    assert "Beyond Chocolate" in tailored(code.action, code.action_if, FLEMISH_FOOD, "nl")
    assert "Beyond Chocolate" not in tailored(code.action, code.action_if, WALLOON_MANUFACTURER, "fr")
    assert "kmo-portefeuille" in tailored(knowledge.action, knowledge.action_if, FLEMISH_FOOD, "nl")
    assert "kmo-portefeuille" not in tailored(knowledge.action, knowledge.action_if, FLEMISH_FOOD.model_copy(
        update={"employees": 400, "turnover_eur_m": 90}), "nl"), "large companies are no kmo"
    assert "chèques-entreprises" in tailored(scan.action, scan.action_if, WALLOON_MANUFACTURER, "fr")
    brussels = texts_for(scan.action, scan.action_if, lambda c: holds(c, BRUSSELS_CLEANING, {}), "fr")
    assert "Consultance transition économique" in brussels and "chèques" not in brussels
    assert tailored(scan.action, scan.action_if, FLEMISH_FOOD, "en") == scan.action.en


# --- product lists in step with the ILAB list ----------------------------------------------

def ilab_products(bundle, kind: str) -> set[str]:
    """Product keys whose ILAB goods are listed for ``kind`` in some country, after the known 2024 removals."""
    ref = questionnaires_dir() / "reference"
    with (ref / "ilab_2024_changes_partial.csv").open(encoding="utf-8") as fh:
        removed = {(r["good"], r["country"]) for r in csv.DictReader(fh) if r["change"] == "removed"}
    with (ref / "ilab_goods.csv").open(encoding="utf-8") as fh:
        listed = {r["good"] for r in csv.DictReader(fh)
                  if r[kind] == "true" and (r["good"], r["country"]) not in removed}
    return {p.id for p in bundle.reference.products.products if set(p.ilab_goods) & listed}


def product_list(cond) -> set[str]:
    """The products tested by the first 'products' condition inside ``cond``."""
    if isinstance(cond, ProfileCondition):
        return set(cond.in_) if cond.profile == "products" and len(cond.in_ or []) > 5 else set()
    children = cond.all if isinstance(cond, AllCondition) else cond.any if isinstance(cond, AnyCondition) \
        else [cond.not_] if isinstance(cond, NotCondition) else []
    return next((found for c in children if (found := product_list(c))), set())


@pytest.mark.parametrize("module, kind", [("children", "child_labor"), ("forced_labour", "forced_labor")])
def test_risk_product_lists_follow_the_ilab_list(bundle, module, kind):
    listed = product_list(bundle.questionnaire(module).applies_if)
    expected = ilab_products(bundle, kind)
    assert not listed - expected, f"not on the ILAB list: {sorted(listed - expected)}"
    assert not expected - listed, f"add to the {module} product list: {sorted(expected - listed)}"
