"""Templates need no grammatical agreement: no "where your hazelnuts comes from", no "(s)" plurals."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from hrdd.models import Profile, Sourcing
from hrdd.paths import locales_dir
from hrdd.report.content import _risk_rows

PRODUCTS = ["hazelnuts", "cocoa", "tantalum_capacitors"]


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_radar_action_names_the_product_as_a_label(bundle, lang):
    profile = Profile(name="Noten & Co", employees=12, nace="C", region="flanders", supplies="goods",
                      minerals_3tg="yes", minerals_form="components",
                      sourcing=[Sourcing(product="hazelnuts", origins=["TR"], channel="eu_intermediary"),
                                Sourcing(product="cocoa", origins=["CI"], channel="direct"),
                                Sourcing(product="tantalum_capacitors", origins=["CD"], channel="direct")])
    rows = _risk_rows(profile, bundle, lang, date(2026, 12, 1))
    assert len(rows) == 3
    for row in rows:
        label, _, rest = row.action.partition(":")
        assert label and label[0].isupper() and rest, row.action  # "Hazelnoten: zoek uit …"
        assert not re.search(r"where your \w+ comes|d'où vient votre|waar uw \w+ vandaan komt\b", row.action)


def test_no_message_uses_a_parenthesised_plural():
    with (locales_dir() / "messages.pot").open("rb") as fh:
        pot = read_po(fh)
    bad = [m.id for m in pot if m.id and re.search(r"\w\((s|es)\)", m.id if isinstance(m.id, str) else m.id[0])]
    assert not bad, bad
    for lang, pattern in (("nl", r"\w\((en|s)\)|/problemen"), ("fr", r"\w\((s|aux|e|es)\)")):
        with (locales_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh)
        strings = [s for m in catalog for s in ([m.string] if isinstance(m.string, str) else m.string) if s]
        assert not [s for s in strings if re.search(pattern, s)], lang
