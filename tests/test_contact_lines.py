"""The human help routes print their contact line (phone, form, e-mail) under them in the PDF."""

from __future__ import annotations

import pytest
from companies import COMPANIES, complete
from pypdf import PdfReader

from hrdd.report import report_content, write_report


def _report(store, bundle, tmp_path, key):
    profile, lang = COMPANIES[key]
    company, _ = complete(store, bundle, profile, lang)
    pdf = write_report(store, bundle, company, lang, tmp_path / f"{key}.pdf")
    text = " ".join(" ".join((page.extract_text() or "").replace("-\n", "-").split())
                    for page in PdfReader(pdf).pages)
    return report_content(store, bundle, company, lang), text.replace("\u202f", " ").replace("\u00a0", " ")


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_help_routes_with_a_contact_line_are_the_ones_the_reference_gives(bundle):
    with_contact = {r.id for r in bundle.catalogue.resources if r.contact}
    assert {"unia", "kinderrechtencommissariaat", "myria", "siod", "hub_brussels", "absu_ugbn"} == with_contact
    assert "0800 12 800" in bundle.catalogue.get("unia").contact.fr
    assert "02 511 64 64" in bundle.catalogue.get("myria").contact.nl  # PAG-ASA


@pytest.mark.parametrize("key", ["brussels_cleaning", "flemish_food"])
def test_the_pdf_prints_the_contact_line_under_the_help_route(tmp_path, store, bundle, key):
    content, text = _report(store, bundle, tmp_path, key)
    shown = [link for rule in content.legal for link in rule.links if link.contact]
    shown += [link for a in content.plan for link in a.links[:2] if link.contact]
    if key == "brussels_cleaning":  # art. 30bis sends it to the SIOD reporting point, which has a form
        assert any(link.contact.startswith("Formulaire de signalement") for link in shown)
    assert shown, "no help route with a contact line in this report"
    for link in shown:
        assert _flat(f"{link.name} – {link.contact}") in text, link.name
