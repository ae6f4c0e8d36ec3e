"""Three realistic companies: the right modules, risk flags, legal radar entries and regional help."""

from __future__ import annotations

from hrdd.conditions import applies
from hrdd.models import Profile
from hrdd.radar import legal_radar, match_products, risk_flags
from hrdd.scoring import fitting_resources

CHOCOLATE = Profile(name="Chocolaterie Vlaams", employees=40, turnover_eur_m=8, nace="C", region="flanders",
                    sells_to_large_companies=True, imports_non_eu=True, b2c=True, minerals_3tg="no",
                    products=["cocoa", "hazelnuts", "sugarcane"], sourcing_countries=["CI", "GH", "TR"])
ELECTRONICS = Profile(name="Assemblage Wallon", employees=120, turnover_eur_m=30, nace="C", region="wallonia",
                      sells_to_large_companies=True, imports_non_eu=True, b2c=False, minerals_3tg="yes",
                      products=["tantalum", "electronics"], sourcing_countries=["CD", "CN", "RW"])
CONSULTANCY = Profile(name="Brussels IT", employees=12, turnover_eur_m=1.5, nace="J", region="brussels",
                      sells_to_large_companies=False, public_buyer=True, imports_non_eu=False, b2c=False,
                      minerals_3tg="no")


def modules_for(bundle, profile):
    return {q.id for q in bundle.questionnaires if applies(q, profile)}


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


def test_tantalum_from_the_drc_is_a_conflict_area_flag(bundle):
    flags = risk_flags(ELECTRONICS, bundle.reference)
    assert any(f.kind == "cahra" and f.country == "CD" for f in flags)
    assert not risk_flags(CONSULTANCY, bundle.reference)


def test_legal_radar(bundle):
    def rules(profile):
        return {(h.rule.id, h.how) for h in legal_radar(profile, bundle.reference)}

    chocolate = rules(CHOCOLATE)
    assert ("csddd", "via_customers") in chocolate and ("csrd", "via_customers") in chocolate
    assert ("forced_labour_regulation", "direct") in chocolate
    assert not any(rule == "conflict_minerals" for rule, _ in chocolate)
    electronics = rules(ELECTRONICS)
    assert ("conflict_minerals", "direct") in electronics
    consultancy = rules(CONSULTANCY)
    assert not any(rule in {"csddd", "csrd", "conflict_minerals"} for rule, _ in consultancy)
    assert bundle.reference.legal.as_of


def test_regional_resources(bundle):
    ids = [r.id for r in bundle.catalogue.resources]
    walloon = {r.id for r in fitting_resources(ids, bundle.catalogue, "wallonia")}
    flemish = {r.id for r in fitting_resources(ids, bundle.catalogue, "flanders")}
    assert {"awex", "sowalfin"} <= walloon and "vlaio" not in walloon
    assert "vlaio" in flemish and "awex" not in flemish


def test_typed_product_names_match_in_three_languages(bundle):
    ref = bundle.reference
    assert match_products("cacaobonen, Kakao?, koffie", ref) == (["cocoa", "coffee"], ["Kakao?"])
    assert match_products("fèves de cacao; vêtements", ref)[0] == ["cocoa", "garments"]
    assert match_products("Cocoa beans, CLOTHING", ref)[0] == ["cocoa", "garments"]


def test_risk_flags_feed_the_action_plan(store, bundle):
    from hrdd.demo import create_demo
    from hrdd.report import report_content

    company, _ = create_demo(store, bundle, "nl")
    plan = report_content(store, bundle, company, "en").actions
    risk = [row for row in plan if row.module == "Risk radar"]
    cocoa = next(row for row in risk if "cocoa" in row.action and row.why.startswith("Child labour"))
    assert "Côte d’Ivoire" in cocoa.why and any(link.name.startswith("Beyond Chocolate") for link in cocoa.links)
    first_risk = plan.index(risk[0])
    assert all(row.urgent for row in plan[:first_risk]) and not any(row.urgent for row in plan[first_risk:])
