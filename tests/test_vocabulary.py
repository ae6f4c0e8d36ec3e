"""One vocabulary and French typography in every bundled text.

The vocabulary is questionnaires/reference/glossary.yaml. French texts put a narrow no-break
space (U+202F) before ; ? ! and a no-break space (U+00A0) before : and inside « », so that a
"?" or ":" never starts a line. The texts are read from the shipped YAML files themselves, with
their line numbers, so a failure names the file and line to fix and what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from hrdd.loader import questionnaire_files
from hrdd.models import LANGS
from hrdd.paths import questionnaires_dir

FOLDER = questionnaires_dir()
GLOSSARY = FOLDER / "reference" / "glossary.yaml"


@dataclass(frozen=True)
class Located:
    """One language of one text in a data file."""

    file: str
    line: int
    path: str
    lang: str
    text: str

    def where(self) -> str:
        return f"{self.file}:{self.line} ({self.path}, {self.lang})"


def _walk(node: yaml.Node, path: str, file: str, out: list[Located]) -> None:
    if isinstance(node, yaml.MappingNode):
        values = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        # a Text is a mapping with nl, fr and en strings; web addresses (urls) are not texts
        if set(values) >= set(LANGS) and all(isinstance(values[lang], yaml.ScalarNode) for lang in LANGS) \
                and not path.endswith(".urls"):
            out += [Located(file, values[lang].start_mark.line + 1, path, lang, values[lang].value) for lang in LANGS]
            return
        for key, value in node.value:
            _walk(value, f"{path}.{key.value}", file, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", file, out)


def data_files() -> list[Path]:
    """Every questionnaire, the resource catalogue and the legal radar."""
    return [*questionnaire_files(FOLDER), FOLDER / "reference" / "legal.yaml"]


def texts_of(path: Path) -> list[Located]:
    out: list[Located] = []
    _walk(yaml.compose(path.read_text(encoding="utf-8")), "", path.relative_to(FOLDER.parent).as_posix(), out)
    return out


def bundled_texts() -> list[Located]:
    return [t for path in data_files() for t in texts_of(path)]


# --- the glossary ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    id: str
    preferred: dict[str, str]
    avoid: dict[str, list[tuple[str, re.Pattern[str]]]]
    allow: dict[str, list[re.Pattern[str]]]


def load_glossary(path: Path = GLOSSARY) -> list[Term]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["kind"] == "glossary"
    return [Term(
        id=entry["id"],
        preferred=entry["preferred"],
        avoid={lang: [(a["variant"], re.compile(a["pattern"], re.IGNORECASE)) for a in entry["avoid"].get(lang, [])]
               for lang in LANGS},
        allow={lang: [re.compile(p, re.IGNORECASE) for p in entry["allow"].get(lang, [])] for lang in LANGS},
    ) for entry in data["terms"]]


def variants_in(text: str, lang: str, terms: list[Term]) -> list[str]:
    """'variant' → 'preferred' for every variant in ``text`` that no allowed name or title covers."""
    found = []
    for term in terms:
        allowed = [m.span() for pattern in term.allow[lang] for m in pattern.finditer(text)]
        for variant, pattern in term.avoid[lang]:
            for m in pattern.finditer(text):
                if not any(start <= m.start() and m.end() <= end for start, end in allowed):
                    found.append(f"“{m.group(0)}” ({variant}) → use “{term.preferred[lang]}”")
    return found


def test_the_glossary_is_complete_and_consistent():
    terms = load_glossary()
    ids = [t.id for t in terms]
    assert len(ids) == len(set(ids)), "duplicate term ids"
    assert {"due_diligence", "oecd_guidance", "ncp_specific_instance", "grievance_mechanism", "remedy",
            "red_flag", "nap"} <= set(ids)
    for term in terms:
        assert all(term.preferred.get(lang, "").strip() for lang in LANGS), term.id
        for lang in LANGS:
            # the preferred term never counts as a variant of itself
            assert not variants_in(term.preferred[lang], lang, terms), (term.id, lang)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("nl", "Gebaseerd op de OESO-richtlijnen voor due diligence.", 2),
    ("nl", "Wie is verantwoordelijk voor de zorgvuldigheid rond goud?", 1),
    ("nl", "Het NCP behandelt zogenaamde specifieke aanleggen.", 1),
    ("nl", "De KMO-portefeuille en een rode vlag.", 2),
    ("fr", "Fondé sur le devoir de diligence et un mécanisme de plainte.", 2),
    ("fr", "Le NAP prévoit une diligence renforcée.", 2),
    ("en", "Based on the OECD Guidelines on due diligence and a complaints mechanism.", 2),
])
def test_a_variant_is_caught(lang, text, expected):
    assert len(variants_in(text, lang, load_glossary())) == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("nl", "Due Diligence Ready! en de Due Diligence Toolbox helpen kmo's met gepaste zorgvuldigheid."),
    ("nl", "De OESO-richtlijnen voor multinationale ondernemingen; een zorgvuldigheidsverklaring."),
    ("nl", "Een alarmsignaal (in het Engels 'red flag')."),
    ("fr", "Le guide de l'OCDE sur le devoir de diligence demande une diligence raisonnable renforcée."),
    ("fr", "La directive sur le devoir de vigilance (CSDDD) ; un signal d'alerte (« red flag »)."),
    ("en", "The OECD Guidelines for Multinational Enterprises and the OECD Due Diligence Guidance."),
])
def test_names_titles_and_quotes_are_allowed(lang, text):
    assert variants_in(text, lang, load_glossary()) == []


def test_every_text_uses_the_glossary_terms():
    terms = load_glossary()
    texts = bundled_texts()
    assert {t.file.split("/")[-1] for t in texts} >= {"due_diligence.yaml", "workforce.yaml", "children.yaml",
                                                      "forced_labour.yaml", "conflict_minerals.yaml",
                                                      "resources.yaml", "legal.yaml"}
    problems = [f"{t.where()}: {v}" for t in texts for v in variants_in(t.text, t.lang, terms)]
    assert not problems, "\n".join(problems)


def test_the_yaml_walk_sees_every_text_the_models_hold(bundle):
    """The texts checked here are exactly the texts hrdd loads (no Text left out, none invented)."""
    from test_content import all_texts

    loaded = [*bundle.questionnaires, bundle.catalogue, bundle.reference.legal]
    in_models = {getattr(t, lang) for model in loaded for _, t in all_texts(model) for lang in LANGS}
    assert in_models == {t.text for t in bundled_texts()}


# --- French typography -------------------------------------------------------------------------

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
_UNTOUCHED = re.compile(r"https?://\S+|www\.\S+|\{[^{}]*\}|Due Diligence Ready!")
"""Web addresses, python-brace placeholders and names whose punctuation is part of the name."""


def _masked(text: str) -> str:
    """``text`` with the parts typography leaves alone replaced by letters of the same length."""
    return _UNTOUCHED.sub(lambda m: "x" * len(m.group(0)), text)


def typeset_fr(text: str) -> str:
    """``text`` with French spacing: U+202F before ; ? ! and U+00A0 before : and inside « »."""
    masked, out = _masked(text), list(text)
    for i in reversed(range(len(text))):
        ch, before = masked[i], text[i - 1] if i else ""
        if ch in ";?!:":
            space = NBSP if ch == ":" else NARROW_NBSP
            if ch == ":" and before.isdigit() and text[i + 1:i + 2].isdigit():
                continue  # a time or a ratio (10:30)
            if before in (" ", NBSP, NARROW_NBSP):
                out[i - 1] = space
            elif before and before not in "?!;:«(":
                out.insert(i, space)
        elif ch == "«":
            after = text[i + 1:i + 2]
            if after in (" ", NARROW_NBSP):
                out[i + 1] = NBSP
            elif after != NBSP:
                out.insert(i + 1, NBSP)
        elif ch == "»":
            if before in (" ", NARROW_NBSP):
                out[i - 1] = NBSP
            elif before != NBSP:
                out.insert(i, NBSP)
    return "".join(out)


@pytest.mark.parametrize(("text", "expected"), [
    ("Avez-vous une politique ? Oui : « écrite » ; non !",
     "Avez-vous une politique\u202f? Oui\u00a0: «\u00a0écrite\u00a0»\u202f; non\u202f!"),
    ("Note: voir «ici»?", "Note\u00a0: voir «\u00a0ici\u00a0»\u202f?"),
    ("Voir https://example.be/a?b=1 à 10:30 avec Due Diligence Ready!",
     "Voir https://example.be/a?b=1 à 10:30 avec Due Diligence Ready!"),
    ("{module} : {level} ({score}/100) ?", "{module}\u00a0: {level} ({score}/100)\u202f?"),
])
def test_typeset_fr(text, expected):
    assert typeset_fr(text) == expected
    assert typeset_fr(expected) == expected


def test_every_french_text_has_french_spacing():
    texts = [t for t in bundled_texts() if t.lang == "fr"]
    assert len(texts) > 1000
    problems = [f"{t.where()}: write {typeset_fr(t.text)!r}" for t in texts if typeset_fr(t.text) != t.text]
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} texts)"


# --- the support catalogue (issue 9) -------------------------------------------------------------

SECTOR_FEDERATIONS = {"fevia": "C", "agoria": "C", "comeos": "G", "creamoda": "C", "fedustria": "C",
                      "embuild": "F", "absu_ugbn": "N", "essenscia": "C"}


def test_sector_federations_name_the_nace_sections_they_serve(bundle):
    for rid, section in SECTOR_FEDERATIONS.items():
        r = bundle.catalogue.get(rid)
        assert r is not None, rid
        for lang in LANGS:  # "NACE-sectie C", "section NACE C", "NACE section C"
            assert re.search(rf"NACE\S*( \w+)? {section}\b", r.description.get(lang)), (rid, lang)


def test_a_company_finds_its_federation_and_its_regional_bodies(bundle):
    from hrdd.models import Profile
    from hrdd.scoring import fitting_resources

    leverage = bundle.questionnaire("due_diligence").question("leverage")
    assert {"vbo_feb", *SECTOR_FEDERATIONS} <= set(leverage.resources)
    requests = bundle.questionnaire("due_diligence").question("customer_requests").resources
    shown = {region: {r.id for r in fitting_resources(requests, bundle.catalogue, Profile(name="A", region=region))}
             for region in ("flanders", "wallonia", "brussels")}
    assert {"voka", "unizo", "vbo_feb"} <= shown["flanders"] and not {"ucm", "akt", "beci"} & shown["flanders"]
    assert {"ucm", "akt", "vbo_feb"} <= shown["wallonia"] and not {"voka", "unizo", "beci"} & shown["wallonia"]
    assert {"beci", "vbo_feb"} <= shown["brussels"] and not {"voka", "ucm"} & shown["brussels"]
    grievance = bundle.questionnaire("children").question("child_friendly_grievance").resources
    flemish = {r.id for r in fitting_resources(grievance, bundle.catalogue, Profile(name="A", region="flanders"))}
    walloon = {r.id for r in fitting_resources(grievance, bundle.catalogue, Profile(name="A", region="wallonia"))}
    assert "kinderrechtencommissariaat" in flemish and "dgde" not in flemish
    assert "dgde" in walloon and "kinderrechtencommissariaat" not in walloon


def test_help_routes_carry_their_contact_line_and_a_page_per_language(bundle):
    cat = bundle.catalogue
    for rid, line in [("kinderrechtencommissariaat", "0800 20 808"), ("unia", "0800 12 800"), ("hub_brussels", "1819"),
                      ("absu_ugbn", "info@absugbn.be")]:
        assert all(line in cat.get(rid).contact.get(lang) for lang in LANGS), rid
        assert not any(line in cat.get(rid).description.get(lang) for lang in LANGS), f"{rid}: printed twice"
    assert "/nl/" in cat.get("ncp").urls.get("nl") and "/fr/" in cat.get("ncp").urls.get("fr")
    assert cat.get("firm_ifdh").urls.get("nl") != cat.get("firm_ifdh").urls.get("fr")
    for rid in ("tsw_cls", "tww_cbe", "kinderrechtencommissariaat", "dgde", "vbo_feb", "the_shift"):
        assert cat.get(rid) is not None, rid


# --- CRBP principle 9: children affected by emergencies ----------------------------------------

def test_the_emergencies_question_follows_the_cahra_list_and_fits_who_it_concerns(bundle):
    import csv

    from hrdd.conditions import holds
    from hrdd.models import Profile, Sourcing

    question = bundle.questionnaire("children").question("children_emergencies")
    with (FOLDER / "reference" / "eu_cahra.csv").open(encoding="utf-8") as fh:
        cahra = {row["iso3166_alpha2"] for row in csv.DictReader(fh)}
    assert set(question.applies_if.in_) == cahra
    refs = {(r.framework, r.ref.split()[0], r.ref.split()[1]) for r in question.refs}
    assert ("CRBP", "Principle", "9") in refs

    def asked(*origins: str) -> bool:
        profile = Profile(name="A", employees=12, sourcing=[Sourcing(product="coffee", origins=list(origins))])
        return holds(question.applies_if, profile, {})

    assert asked("CO") and asked("BR", "MM")
    assert not asked("BR") and not asked("FR")


# --- the translated interface (locales/) -------------------------------------------------------

def catalogue_texts(lang: str) -> list[Located]:
    """Every msgstr (each plural form) of the ``lang`` catalogue, with its line."""
    from babel.messages.pofile import read_po

    from hrdd.paths import locales_dir

    path = locales_dir() / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        out += [Located(f"locales/{lang}/LC_MESSAGES/messages.po", message.lineno, msgid[:50], lang, s)
                for s in strings if s]
    return out


def test_the_catalogues_use_the_glossary_terms():
    terms = load_glossary()
    texts = catalogue_texts("nl") + catalogue_texts("fr")
    assert len(texts) > 500
    problems = [f"{t.where()}: {v}" for t in texts for v in variants_in(t.text, t.lang, terms)]
    assert not problems, "\n".join(problems)


def test_every_french_msgstr_has_french_spacing():
    texts = catalogue_texts("fr")
    problems = [f"{t.where()}: write {typeset_fr(t.text)!r}" for t in texts if typeset_fr(t.text) != t.text]
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} texts)"
