"""The product table: the words Belgian buyers type are recognised, each word means one product,
every ILAB good is reachable, and 3TG metals are kept apart from components that contain 3TG."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from hrdd.i18n import fold
from hrdd.models import Product, ProductTable, Sourcing, Profile, Text
from hrdd.radar import match_products, risk_flags

REFERENCE = Path(__file__).parent.parent / "questionnaires" / "reference"

METALS_3TG = {"tin", "tantalum", "tungsten", "gold"}
COMPONENTS_3TG = {"tin_solder", "tinplate", "tantalum_capacitors", "printed_circuit_boards",
                  "tungsten_carbide_tools", "gold_plated_contacts", "jewellery", "electronics"}


def words(product: Product) -> list[str]:
    """Everything a person may type for ``product``: its key, its names and its synonyms."""
    return [product.id.replace("_", " "), *(product.name.get(lang) for lang in ("nl", "fr", "en")),
            *(s for synonyms in product.synonyms.values() for s in synonyms)]


def collisions(table: ProductTable) -> dict[str, set[str]]:
    """Words that, folded the way the matcher folds them, name more than one product."""
    owners: dict[str, set[str]] = defaultdict(set)
    for product in table.products:
        for word in words(product):
            owners[fold(word)].add(product.id)
    return {word: ids for word, ids in owners.items() if len(ids) > 1}


def test_each_word_names_one_product(bundle):
    assert collisions(bundle.reference.products) == {}


def test_a_word_shared_by_two_products_is_caught():
    def product(key: str, synonym: str) -> Product:
        return Product(id=key, name=Text(nl=key, fr=key, en=key), synonyms={"nl": [synonym]})

    table = ProductTable(source="test", products=[product("tin", "Soldeer"), product("tin_solder", "soldeer")])
    assert collisions(table) == {"soldeer": {"tin", "tin_solder"}}


def test_synonyms_are_lower_case_and_trimmed(bundle):
    bad = [(p.id, s) for p in bundle.reference.products.products for synonyms in p.synonyms.values()
           for s in synonyms if s != s.lower() or s != s.strip()]
    assert not bad


def test_product_keys_are_unique(bundle):
    keys = [p.id for p in bundle.reference.products.products]
    assert len(keys) == len(set(keys))


def _ilab_goods() -> set[str]:
    with (REFERENCE / "ilab_goods.csv").open(encoding="utf-8") as fh:
        return {unicodedata.normalize("NFC", row["good"]) for row in csv.DictReader(fh)}


def _deliberately_uncovered() -> set[str]:
    """The goods the header of products.yaml names as left uncovered on purpose."""
    header = "".join(line for line in (REFERENCE / "products.yaml").read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("#"))
    listed = re.search(r"Goods deliberately\s*#?\s*left uncovered:(.*?)\.", header, re.S)
    assert listed, "the header of products.yaml should list the goods left uncovered on purpose"
    return {name.strip(" #\n") for name in listed.group(1).replace("\n#", " ").split(",")}


def test_every_ilab_good_is_covered_except_the_ones_left_out_on_purpose(bundle):
    covered = {unicodedata.normalize("NFC", g) for p in bundle.reference.products.products for g in p.ilab_goods}
    goods = _ilab_goods()
    assert not covered - goods, "ilab_goods must be exact values of the CSV's good column"
    left_out = _deliberately_uncovered()
    uncovered = {g for g in goods - covered if g.split(" (")[0] not in left_out}
    assert not uncovered
    assert {"Coca", "Khat", "Poppies", "Pornography"} <= left_out


@pytest.mark.parametrize(("typed", "key"), [
    ("hop", "hops"), ("Hops", "hops"), ("houblon", "hops"), ("hopbellen", "hops"),
    ("cacaonibs", "cocoa"), ("cacao nibs", "cocoa"), ("cocoa nibs", "cocoa"), ("grué de cacao", "cocoa"),
    ("Grue de cacao", "cocoa"), ("couverture", "cocoa"),
    ("soudure à l'étain", "tin_solder"), ("soudure à l’étain", "tin_solder"), ("soldeer", "tin_solder"),
    ("tin solder", "tin_solder"), ("solder", "tin_solder"), ("soldeerdraad", "tin_solder"),
    ("cartes électroniques", "printed_circuit_boards"), ("printplaten", "printed_circuit_boards"),
    ("elektronische kaarten", "printed_circuit_boards"), ("circuits imprimés", "printed_circuit_boards"),
    ("printed circuit boards", "printed_circuit_boards"), ("PCB", "printed_circuit_boards"),
    ("tantalum capacitors", "tantalum_capacitors"), ("tantaalcondensatoren", "tantalum_capacitors"),
    ("condensateurs au tantale", "tantalum_capacitors"),
    ("tungsten carbide", "tungsten_carbide_tools"), ("hardmetalen gereedschap", "tungsten_carbide_tools"),
    ("carbure de tungstène", "tungsten_carbide_tools"),
    ("gold-plated contacts", "gold_plated_contacts"), ("vergulde contacten", "gold_plated_contacts"),
    ("contacts dorés", "gold_plated_contacts"),
    ("juwelen", "jewellery"), ("bijoux", "jewellery"), ("jewelry", "jewellery"),
    ("fer-blanc", "tinplate"), ("boîtes de conserve", "tinplate"),
    ("tin", "tin"), ("étain", "tin"), ("cassiteriet", "tin"), ("tantaal", "tantalum"), ("coltan", "tantalum"),
    ("wolfraam", "tungsten"), ("wolfram", "tungsten"), ("goud", "gold"), ("or", "gold"),
    ("soja", "soy"), ("soybeans", "soy"), ("sojabonen", "soy"), ("tourteau de soja", "soy"),
    ("rubber", "rubber"), ("caoutchouc", "rubber"),
    ("gerst", "cereal_grains"), ("mout", "cereal_grains"), ("malt", "cereal_grains"),
    ("grijze garnalen", "shrimp"), ("pangasius", "fish"), ("blauwe steen", "natural_stone"),
    ("pierre bleue", "natural_stone"), ("kasseien", "natural_stone"), ("multiplex", "timber"),
])
def test_typed_words_are_recognised(bundle, typed, key):
    assert match_products(typed, bundle.reference) == ([key], [])


def test_a_typed_list_mixes_languages(bundle):
    found, unknown = match_products("hop; cacaonibs, soudure à l'étain, cartes électroniques, ???", bundle.reference)
    assert found == ["hops", "cocoa", "tin_solder", "printed_circuit_boards"] and unknown == ["???"]


def test_3tg_metals_and_components_are_kept_apart(bundle):
    by_id = {p.id: p for p in bundle.reference.products.products}
    assert {k for k, p in by_id.items() if p.mineral_3tg} == METALS_3TG
    assert COMPONENTS_3TG <= {k for k, p in by_id.items() if p.contains_3tg}
    assert not [k for k, p in by_id.items() if p.mineral_3tg and p.contains_3tg]


def test_a_component_from_a_conflict_area_is_a_component_flag_and_the_metal_is_not(bundle):
    profile = Profile(name="X", sourcing=[Sourcing(product="tin_solder", origins=["CD"]),
                                          Sourcing(product="tin", origins=["CD"])])
    cahra = {f.product: f.component for f in risk_flags(profile, bundle.reference) if f.kind == "cahra"}
    assert cahra == {"tin_solder": True, "tin": False}


def test_the_deforestation_commodities_are_products(bundle):
    keys = {p.id for p in bundle.reference.products.products}
    assert {"cattle", "cocoa", "coffee", "palm_oil", "rubber", "soy", "timber"} <= keys
