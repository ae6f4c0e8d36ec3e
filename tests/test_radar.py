"""Realistic companies: the right modules, risk flags on the product × origin pairs they declared,
legal radar entries (direct or through customers) and regional help."""

from __future__ import annotations

import pytest

from hrdd.conditions import applies
from hrdd.models import Profile, Sourcing
from hrdd.radar import legal_radar, match_products, risk_flags
from hrdd.scoring import fitting_resources

CHOCOLATE = Profile(name="Chocolaterie Vlaams", employees=40, turnover_eur_m=8, nace="C", region="flanders",
                    supplies="goods", sells_to_large_companies=True, imports_non_eu=True, b2c=True,
                    minerals_3tg="no", products=["cocoa", "hazelnuts", "sugarcane"],
                    sourcing=[Sourcing(product="cocoa", origins=["CI", "GH"], channel="direct"),
                              Sourcing(product="hazelnuts", origins=["TR"], channel="eu_intermediary"),
                              Sourcing(product="sugarcane", origins=["BR"], channel="eu_intermediary")])
ELECTRONICS = Profile(name="Assemblage Wallon", employees=120, turnover_eur_m=30, nace="C", region="wallonia",
                      supplies="goods", sells_to_large_companies=True, imports_non_eu=True, b2c=False,
                      minerals_3tg="yes", minerals_form="metals", products=["tantalum", "electronics"],
                      sourcing=[Sourcing(product="tantalum", origins=["CD", "RW"], channel="direct"),
                                Sourcing(product="electronics", origins=["CN"], channel="direct")])
COMPONENTS = Profile(name="Électro-Meuse", employees=40, turnover_eur_m=7.5, nace="C", region="wallonia",
                     supplies="goods", sells_to_large_companies=True, imports_non_eu=True, b2c=False,
                     minerals_3tg="yes", minerals_form="components",
                     sourcing=[Sourcing(product="tantalum_capacitors", origins=["CD"], channel="direct"),
                               Sourcing(product="tin_solder", origins=["MY"], channel="eu_intermediary"),
                               Sourcing(product="printed_circuit_boards", origins=["CN"], channel="direct")])
"""Buys 3TG only inside components, some imported from outside the EU itself."""
CONSULTANCY = Profile(name="Brussels IT", employees=12, turnover_eur_m=1.5, nace="J", region="brussels",
                      supplies="services", sells_to_large_companies=False, public_buyer=True,
                      imports_non_eu=False, b2c=False, minerals_3tg="no")


def modules_for(bundle, profile):
    return {q.id for q in bundle.questionnaires if applies(q, profile)}


def rules(profile, bundle):
    return {(h.rule.id, h.how) for h in legal_radar(profile, bundle.reference)}


def kinds(flags, product, country):
    return {f.kind for f in flags if f.product == product and f.country == country}


def test_modules_follow_the_profile(bundle):
    assert "conflict_minerals" not in modules_for(bundle, CHOCOLATE)
    assert "conflict_minerals" in modules_for(bundle, ELECTRONICS)
    assert modules_for(bundle, CONSULTANCY) >= {"due_diligence"}
    assert "conflict_minerals" not in modules_for(bundle, CONSULTANCY)


def test_cocoa_from_cote_divoire_raises_a_sourced_child_labour_flag(bundle):
    flags = risk_flags(CHOCOLATE, bundle.reference)
    cocoa_ci = [f for f in flags if f.product == "cocoa" and f.country == "CI"]
    assert {f.kind for f in cocoa_ci} >= {"child_labour"}
    assert all("ILAB" in f.source and f.edition == "2022" for f in cocoa_ci)
    assert any(f.product == "hazelnuts" and f.country == "TR" for f in flags)


def test_only_declared_pairs_are_flagged(bundle):
    """Cocoa from CI and sugar from BR: ILAB lists cocoa from BR, but this company's cocoa is not from BR."""
    profile = Profile(name="Pairs", sourcing=[Sourcing(product="cocoa", origins=["CI"]),
                                              Sourcing(product="sugarcane", origins=["BR"])])
    flags = risk_flags(profile, bundle.reference)
    assert "child_labour" in kinds(flags, "cocoa", "CI")
    assert kinds(flags, "sugarcane", "BR") == {"child_labour", "forced_labour"}
    assert not kinds(flags, "cocoa", "BR")
    assert not kinds(flags, "sugarcane", "CI")


def test_ilab_2024_removals_are_applied(bundle):
    """Thai shrimp lost its child-labour listing in 2024 (the forced-labour one is kept: its status
    was not found); Cambodian salt, listed for child labour only, is no longer flagged at all."""
    profile = Profile(name="Seafood", sourcing=[Sourcing(product="shrimp", origins=["TH"]),
                                                Sourcing(product="salt", origins=["KH"])])
    flags = risk_flags(profile, bundle.reference)
    assert kinds(flags, "shrimp", "TH") == {"forced_labour"}
    assert not kinds(flags, "salt", "KH")


def test_tantalum_from_the_drc_is_a_conflict_area_flag(bundle):
    flags = risk_flags(ELECTRONICS, bundle.reference)
    cahra = [f for f in flags if f.kind == "cahra" and f.country == "CD"]
    assert cahra and not any(f.component for f in cahra)
    assert not risk_flags(CONSULTANCY, bundle.reference)


def test_a_tantalum_capacitor_from_the_drc_is_a_component_flag(bundle):
    flags = risk_flags(COMPONENTS, bundle.reference)
    cahra = [f for f in flags if f.kind == "cahra" and f.product == "tantalum_capacitors"]
    assert [(f.country, f.component) for f in cahra] == [("CD", True)]
    assert cahra[0].edition == "2026-06"
    # solder from Malaysia and boards from China: no conflict-area flag (not on the EU list)
    assert not [f for f in flags if f.kind == "cahra" and f.product != "tantalum_capacitors"]


def test_legal_radar(bundle):
    chocolate = rules(CHOCOLATE, bundle)
    assert ("csddd", "via_customers") in chocolate and ("csrd", "via_customers") in chocolate
    assert ("forced_labour_regulation", "direct") in chocolate
    assert not any(rule == "conflict_minerals" for rule, _ in chocolate)
    electronics = rules(ELECTRONICS, bundle)
    assert ("conflict_minerals", "direct") in electronics
    consultancy = rules(CONSULTANCY, bundle)
    assert not any(rule in {"csddd", "csrd", "conflict_minerals"} for rule, _ in consultancy)
    assert bundle.reference.legal.as_of == "2026-12-01"


def test_a_components_buyer_gets_the_conflict_minerals_regulation_only_through_customers(bundle):
    assert COMPONENTS.imports_directly  # it imports itself, yet only components
    assert ("conflict_minerals", "via_customers") in rules(COMPONENTS, bundle)
    for form in ("components", None):
        for products in ([], ["tin_solder"], ["jewellery", "tungsten_carbide_tools", "gold_plated_contacts"]):
            buyer = COMPONENTS.model_copy(update={"minerals_form": form, "products": products})
            assert ("conflict_minerals", "direct") not in rules(buyer, bundle), (form, products)
    importer = COMPONENTS.model_copy(update={"minerals_form": "both"})
    assert ("conflict_minerals", "direct") in rules(importer, bundle)
    # metals bought inside the EU: not an importer under 2017/821
    eu_metals = Profile(name="EU metals", minerals_3tg="yes", minerals_form="metals", imports_non_eu=False,
                        sells_to_large_companies=True,
                        sourcing=[Sourcing(product="tin", origins=["BO"], channel="eu_intermediary")])
    assert ("conflict_minerals", "via_customers") in rules(eu_metals, bundle)


@pytest.mark.parametrize("extra", [{}, {"imports_non_eu": True, "nace": "C", "sells_to_large_companies": True,
                                       "products": ["cocoa"]}])
def test_a_services_only_company_never_gets_the_forced_labour_regulation(bundle, extra):
    profile = CONSULTANCY.model_copy(update=extra)
    assert profile.supplies == "services"
    assert not any(rule == "forced_labour_regulation" for rule, _ in rules(profile, bundle))
    goods = profile.model_copy(update={"supplies": "both"})
    assert any(rule == "forced_labour_regulation" for rule, _ in rules(goods, bundle))


def test_the_deforestation_regulation_follows_the_seven_commodities(bundle):
    assert ("eudr", "direct") in rules(CHOCOLATE, bundle)
    importer = Profile(name="Cacao import", nace="G", sourcing=[Sourcing(product="cocoa", origins=["CI"],
                                                                         channel="direct")])
    assert ("eudr", "direct") in rules(importer, bundle)
    trader = Profile(name="Koffiehandel", nace="G", imports_non_eu=False,
                     sourcing=[Sourcing(product="coffee", origins=["BR"], channel="eu_intermediary")])
    assert ("eudr", "via_customers") in rules(trader, bundle)
    for product in ("soy", "rubber", "timber", "palm_oil", "cattle"):
        assert any(rule == "eudr" for rule, _ in rules(Profile(name="X", products=[product]), bundle)), product
    assert not any(rule == "eudr" for rule, _ in rules(CONSULTANCY, bundle))
    assert not any(rule == "eudr" for rule, _ in rules(COMPONENTS, bundle))
    rule = next(r for r in bundle.reference.legal.rules if r.id == "eudr")
    assert {d.when for d in rule.dates} >= {"2026-12-30", "2027-06-30"}
    assert "designated" not in rule.summary.en.lower() and "competent authority" not in rule.summary.en.lower()


def test_the_whistleblower_law_applies_directly_from_50_workers(bundle):
    assert ("whistleblower_law", "direct") in rules(CHOCOLATE.model_copy(update={"employees": 60}), bundle)
    assert ("whistleblower_law", "direct") in rules(CHOCOLATE.model_copy(update={"employees": 50}), bundle)
    assert not any(rule == "whistleblower_law" for rule, _ in rules(CHOCOLATE, bundle))  # 40 employees


def test_the_csrd_cap_protects_up_to_1000_employees_for_csrd_requests_only(bundle):
    rule = next(r for r in bundle.reference.legal.rules if r.id == "csrd")
    assert "up to 1,000 employees" in rule.via_customers.en
    assert "CSDDD" in rule.via_customers.en and "contractual" in rule.via_customers.en
    assert "3 July 2026" in rule.summary.en and "2025/1710" in rule.summary.en
    assert "fewer than 1,000" not in rule.via_customers.en


def test_legal_rules_use_catalogue_entries_that_exist(bundle):
    ids = {r.id for r in bundle.catalogue.resources}
    for rule in bundle.reference.legal.rules:
        assert set(rule.resources) <= ids and "sowalfin" not in rule.resources, rule.id


def test_regional_resources(bundle):
    ids = [r.id for r in bundle.catalogue.resources]
    walloon = {r.id for r in fitting_resources(ids, bundle.catalogue, Profile(name="W", region="wallonia"))}
    flemish = {r.id for r in fitting_resources(ids, bundle.catalogue, Profile(name="F", region="flanders"))}
    assert "awex" in walloon and "vlaio" not in walloon
    assert "vlaio" in flemish and "awex" not in flemish


def test_typed_product_names_match_in_three_languages(bundle):
    ref = bundle.reference
    assert match_products("cacaobonen, Kakao?, koffie", ref) == (["cocoa", "coffee"], ["Kakao?"])
    assert match_products("fèves de cacao; vêtements", ref)[0] == ["cocoa", "garments"]
    assert match_products("Cocoa beans, CLOTHING", ref)[0] == ["cocoa", "garments"]


def test_risk_flags_feed_the_action_plan(store, bundle):
    from hrdd.demo import DEMO_PROFILE, create_demo
    from hrdd.report import report_content

    company, _ = create_demo(store, bundle, "nl")
    store.update_company(company, DEMO_PROFILE.model_copy(update={"sourcing": [
        Sourcing(product="cocoa", origins=["CI", "GH"], channel="direct"),
        Sourcing(product="hazelnuts", origins=["TR"], channel="eu_intermediary")]}))
    plan = report_content(store, bundle, company, "en").actions
    risk = [row for row in plan if row.module == "Risk radar"]
    cocoa = next(row for row in risk if row.action.startswith("Cocoa: "))
    assert "Child labour reported: Côte d’Ivoire" in cocoa.why
    assert any(link.name.startswith("Beyond Chocolate") for link in cocoa.links)
    # red flags first; the radar pairs then stand among the severe gaps, before medium and low ones
    first_risk = plan.index(risk[0])
    assert all(row.urgent for row in plan[:sum(r.urgent for r in plan)])
    assert first_risk < len(plan) // 2


# --- Belgian law an SME meets (issue 9) --------------------------------------------------------

EMPLOYER_RULES = {"wellbeing_at_work", "joint_liability_wages", "art30bis_presence_registration", "limosa",
                  "child_labour_student_work", "pay_transparency", "whistleblower_law"}


def test_a_cleaning_or_construction_company_sees_art30bis_and_presence_registration(bundle):
    from companies import BRUSSELS_CLEANING

    cleaning = rules(BRUSSELS_CLEANING, bundle)
    assert ("art30bis_presence_registration", "direct") in cleaning
    assert ("joint_liability_wages", "direct") in cleaning  # subcontractors on site
    builder = BRUSSELS_CLEANING.model_copy(update={"nace": "F", "workforce": []})
    assert ("art30bis_presence_registration", "direct") in rules(builder, bundle)
    assert ("joint_liability_wages", "via_customers") in rules(builder, bundle)  # its clients may be liable
    rule = next(r for r in bundle.reference.legal.rules if r.id == "art30bis_presence_registration")
    assert "500,000" in rule.summary.en and "1 September 2024" in rule.summary.en
    assert "35%" in rule.summary.en
    # an IT firm without subcontractors on site meets none of these
    it_firm = BRUSSELS_CLEANING.model_copy(update={"nace": "J", "workforce": []})
    assert not {"art30bis_presence_registration", "joint_liability_wages"} & {r for r, _ in rules(it_firm, bundle)}


def test_a_company_with_posted_workers_sees_limosa(bundle):
    from companies import BRUSSELS_CLEANING, WALLOON_MANUFACTURER

    assert ("limosa", "direct") in rules(BRUSSELS_CLEANING, bundle)
    assert "posted" not in WALLOON_MANUFACTURER.workforce
    assert not any(rule == "limosa" for rule, _ in rules(WALLOON_MANUFACTURER, bundle))
    posting = WALLOON_MANUFACTURER.model_copy(update={"workforce": ["agency", "posted"]})
    assert ("limosa", "direct") in rules(posting, bundle)


def test_students_bring_the_child_labour_and_student_work_rules(bundle):
    from companies import FLEMISH_FOOD, WALLOON_MANUFACTURER

    assert ("child_labour_student_work", "direct") in rules(FLEMISH_FOOD, bundle)
    assert not any(rule == "child_labour_student_work" for rule, _ in rules(WALLOON_MANUFACTURER, bundle))
    rule = next(r for r in bundle.reference.legal.rules if r.id == "child_labour_student_work")
    assert "650 hours" in rule.summary.en and "1 January 2025" in rule.summary.en
    assert "15" in rule.summary.en and "16" in rule.summary.en


def test_every_employer_sees_the_well_being_at_work_act(bundle):
    from companies import COMPANIES

    for key, (profile, _) in COMPANIES.items():
        if key != "micro_services":
            assert ("wellbeing_at_work", "direct") in rules(profile, bundle), key
    rule = next(r for r in bundle.reference.legal.rules if r.id == "wellbeing_at_work")
    assert "fewer than 20 workers" in rule.direct.en and "psychosocial" in rule.direct.en


def test_a_micro_services_firm_without_staff_sees_none_of_the_employer_rules(bundle):
    from companies import MICRO_SERVICES

    assert MICRO_SERVICES.employees == 0 and not MICRO_SERVICES.has_staff
    assert not EMPLOYER_RULES & {rule for rule, _ in rules(MICRO_SERVICES, bundle)}
    one_employee = MICRO_SERVICES.model_copy(update={"employees": 1})
    seen = {rule for rule, _ in rules(one_employee, bundle)}
    assert {"wellbeing_at_work", "pay_transparency"} <= seen and "whistleblower_law" not in seen


def test_a_company_with_50_workers_sees_the_whistleblower_duty(bundle):
    from companies import BRUSSELS_CLEANING, FLEMISH_FOOD, WALLOON_MANUFACTURER

    assert ("whistleblower_law", "direct") in rules(BRUSSELS_CLEANING, bundle)  # 120 workers
    assert ("whistleblower_law", "direct") in rules(FLEMISH_FOOD, bundle)  # 60
    assert not any(rule == "whistleblower_law" for rule, _ in rules(WALLOON_MANUFACTURER, bundle))  # 40


def test_pay_transparency_cites_the_directive_and_its_employer_duties(bundle):
    rule = next(r for r in bundle.reference.legal.rules if r.id == "pay_transparency")
    assert "2023/970" in rule.name.en and "2023/970" in rule.source.en
    assert "http://data.europa.eu/eli/dir/2023/970/oj" in {str(link.url) for link in rule.links}
    summary, direct = rule.summary.en, rule.direct.en
    for duty in ("starting pay or its range", "pay history", "criteria for pay and pay progression",
                 "within two months", "every year"):
        assert duty in summary, duty
    for fact in ("7 June 2027", "7 June 2031", "250 or more", "150 to 249", "100 to 149", "5%", "six months",
                 "joint pay assessment"):
        assert fact in direct, fact
    assert "does not know whether or how Belgium" in summary and "7 June 2026" in summary
    assert {d.when for d in rule.dates} >= {"2026-06-07", "2027-06-07", "2031-06-07"}


def test_every_belgian_law_rule_carries_dated_sources(bundle):
    for rid in EMPLOYER_RULES:
        rule = next(r for r in bundle.reference.legal.rules if r.id == rid)
        assert rule.links and rule.as_of, rid
        assert all(str(link.url).startswith(("http://", "https://")) and link.date for link in rule.links), rid
        assert rule.direct.en and rule.via_customers.en and rule.applies_directly_if is not None, rid
    joint = next(r for r in bundle.reference.legal.rules if r.id == "joint_liability_wages")
    assert "designated activities" in joint.summary.en and "may be incomplete" in joint.summary.en


def test_a_sector_federation_is_shown_only_to_its_own_sector(bundle):
    ids = [r.id for r in bundle.catalogue.resources]
    builder = {r.id for r in fitting_resources(ids, bundle.catalogue, Profile(name="B", nace="F", region="flanders"))}
    retailer = {r.id for r in fitting_resources(ids, bundle.catalogue, Profile(name="R", nace="G", region="flanders"))}
    assert "embuild" in builder and "comeos" not in builder and "fevia" not in builder
    assert "comeos" in retailer and "embuild" not in retailer and "absu_ugbn" not in retailer
    for everyone in ("vbo_feb", "the_shift", "voka", "unizo", "ncp"):  # employer organisations stay
        assert everyone in builder and everyone in retailer, everyone
    unknown = {r.id for r in fitting_resources(ids, bundle.catalogue, Profile(name="U", region="flanders"))}
    assert {"embuild", "comeos", "fevia"} <= unknown  # sector not given: every federation is kept
    for rid in ("fevia", "agoria", "comeos", "creamoda", "fedustria", "embuild", "absu_ugbn", "essenscia"):
        assert bundle.catalogue.get(rid).nace, rid
