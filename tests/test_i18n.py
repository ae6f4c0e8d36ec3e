"""Three complete languages: every interface string has a Dutch and a French translation."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from hrdd.catalogs import extract
from hrdd.i18n import LOCALES, parse_number
from hrdd.paths import locales_dir

PLACEHOLDER = re.compile(r"{\w+}")
SAME_IN_ALL = {"PDF", "OK", "NACE"}
"""Strings allowed to be the same as in English."""


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_catalogue_is_complete_and_current(lang):
    with (locales_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[lang])
    source = {m.id for m in extract() if m.id}
    translated = {m.id: m for m in catalog if m.id}
    missing = sorted(map(str, source - set(translated)))
    assert not missing, f"run 'python -m hrdd.catalogs' and translate: {missing}"
    problems = []
    for msgid in source:
        m = translated[msgid]
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings) or m.fuzzy:
            problems.append(f"untranslated: {msgid!r}")
        elif any(set(PLACEHOLDER.findall(ids[0])) != set(PLACEHOLDER.findall(s)) for s in strings):
            problems.append(f"placeholders differ: {msgid!r}")
    assert not problems, problems
    assert not list(catalog.check())


def test_belgian_usage():
    def strings(lang: str) -> str:
        with (locales_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            return " ".join(" ".join(m.string) if isinstance(m.string, tuple) else m.string
                            for m in read_po(fh) if m.id).lower()

    assert "mkb" not in strings("nl")
    assert "entreprise" in strings("fr") and "société" not in strings("fr")


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("1,5", "nl", 1.5), ("1.234,5", "nl", 1234.5), ("1 234,5", "fr", 1234.5), ("1,234.5", "en", 1234.5),
    ("12", "fr", 12.0),
    # both decimal separators in every language (issue 11, item 9)
    ("0,15", "en", 0.15), ("0.15", "nl", 0.15), ("0.15", "fr", 0.15), ("1.234,5", "en", 1234.5),
    ("1,234.5", "nl", 1234.5), ("1 234 567,5", "fr", 1234567.5), ("1.234", "nl", 1234.0), ("1,234", "en", 1234.0),
    ("1,234", "nl", 1.234), ("1.234", "en", 1.234), ("0,150", "en", 0.15), ("1.234.567", "nl", 1234567.0),
    (",5", "fr", 0.5), ("1\u202f234,5", "fr", 1234.5),
])
def test_numbers_are_read_the_local_way(text, lang, value):
    assert parse_number(text, lang) == value


def test_a_decimal_comma_is_read_in_english_not_dropped():
    assert parse_number("1,5", "en") == 1.5  # never 15


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.2.3", "5.", "1 5", "", "1,23.4", "12,34,567", "1e5", ","])
def test_what_is_not_a_number_is_refused_in_every_language(text):
    for lang in LOCALES:
        with pytest.raises(ValueError):
            parse_number(text, lang)


def test_ascii_fold_for_file_names():
    from hrdd.i18n import ascii_fold

    assert ascii_fold("Électro-Brussel Łódź Œuvre Straße") == "Electro-Brussel Lodz OEuvre Strasse"
    assert ascii_fold("北京").isascii()


def test_no_translatable_literal_hides_inside_an_f_string():
    """Babel cannot see _("…") inside an f-string, so such a string would silently stay English."""
    import pathlib

    import hrdd

    pattern = re.compile(r"""\bf(["']).*\{[^{}]*\b(_|t|N_|colon\(_)\((["'])""")
    offenders = [f"{path.name}:{n}" for path in pathlib.Path(hrdd.__file__).parent.rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert not offenders
