"""The PDF, read back with pypdf: translated headings, literal markup characters, links, outline."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from hrdd.answers import Answer
from hrdd.models import Profile
from hrdd.report import build_content, write_report

NASTY = "Łódź <b>Bakery</b> & Şahin </para> Œuvres ő"
HEADINGS = {
    "nl": ["Samenvatting", "Actieplan", "Bevindingen per stap", "Methode en disclaimer"],
    "fr": ["Résumé", "Plan d'action", "Constats par étape", "Méthode et avertissement"],
    "en": ["Summary", "Action plan", "Findings per step", "Method and disclaimer"],
}


@pytest.fixture
def assessment(store, mini):
    company = store.create_company(Profile(name=NASTY, employees=8, region="flanders", nace="C",
                                           imports_non_eu=True))
    assessment = store.start_assessment(company, "mini", "1.0", mini.hashes["mini"], "en")
    for answer in [Answer(question_id="policy", value="draft", note="Nota <i>bene</i> & co"),
                   Answer(question_id="approved", dont_know=True),
                   Answer(question_id="grievance", value="no"),
                   Answer(question_id="suppliers", value=1234.5),
                   Answer(question_id="imports", value=["country"])]:
        store.save_answer(assessment, answer)
    return assessment


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_pdf_in_each_language(tmp_path, store, mini, assessment, lang):
    out = write_report(store, mini, assessment, lang, tmp_path / f"r-{lang}.pdf", on=date(2026, 3, 5),
                       invariant=True)
    reader = PdfReader(out)
    text = text_of(reader).replace("\u202f", " ")
    for heading in HEADINGS[lang]:
        assert heading in text
    assert NASTY in text  # markup characters print as typed, ł ő Ş Œ survive
    assert "Nota <i>bene</i> & co" in text
    assert {"nl": "5 maart 2026", "fr": "5 mars 2026", "en": "5 March 2026"}[lang] in text
    assert {"nl": "1.234,5", "fr": "1 234,5", "en": "1,234.5"}[lang] in text
    meta = reader.metadata
    assert NASTY in meta.title and meta.author == NASTY
    assert reader.trailer["/Root"]["/Lang"] == {"nl": "nl-BE", "fr": "fr-BE", "en": "en"}[lang]
    uris = {annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])
            if annot.get_object().get("/A", {}).get("/URI")}
    assert "https://duediligencetoolbox.be/" in uris or "https://duediligencetoolbox.be" in uris
    assert any("mvovlaanderen.be" in u for u in uris)  # a Flemish company sees the Flemish desk
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == HEADINGS[lang][0]
    assert HEADINGS[lang][1] in outline
    assert f"1 / {len(reader.pages)}" in text or f"{len(reader.pages)}" in text


def test_no_english_left_in_the_dutch_and_french_content(mini, store, assessment):
    from hrdd.report.content import build_content as build

    a = store.assessment(assessment)
    company = store.company(a.company_id)
    english = build(company.profile, mini.questionnaire("mini"), store.answers(assessment), mini, "en",
                    date(2026, 3, 5))
    for lang in ("nl", "fr"):
        content = build(company.profile, mini.questionnaire("mini"), store.answers(assessment), mini, lang,
                        date(2026, 3, 5))
        for key, value in content.headings.items():
            if key not in ("nap",):
                assert value != english.headings[key], (lang, key, value)
        assert content.method[0] != english.method[0]
        assert content.summary != english.summary


def test_walloon_company_is_not_sent_to_a_flemish_desk(tmp_path, store, mini, assessment):
    a = store.assessment(assessment)
    profile = store.company(a.company_id).profile.model_copy(update={"region": "wallonia"})
    store.update_company(a.company_id, profile)
    content = build_content(profile, mini.questionnaire("mini"), store.answers(assessment), mini, "fr",
                            date(2026, 3, 5))
    urls = {link.url for row in content.actions for link in row.links}
    assert urls and not any("mvovlaanderen" in u for u in urls)
