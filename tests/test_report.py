"""The report: its content as a pure function, and the real PDF read back with pypdf."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from hrdd.answers import Answer
from hrdd.models import Profile
from hrdd.report import write_report
from hrdd.report.content import ModuleInput, build_content

NASTY = "Łódź <b>Bakery</b> & Şahin </para> Œuvres ő"
HEADINGS = {
    "nl": ["Samenvatting", "Actieplan", "Methode, verklarende woordenlijst en bronnen"],
    "fr": ["Résumé", "Plan d'action", "Méthode, glossaire et sources"],
    "en": ["Summary", "Action plan", "Method, glossary and sources"],
}
DAY = date(2026, 3, 5)


def answer_all(store, assessment, answers):
    for a in answers:
        store.save_answer(assessment, a)


@pytest.fixture
def company(store, mini):
    company = store.create_company(Profile(name=NASTY, employees=8, region="flanders", nace="C",
                                           imports_non_eu=True))
    assessment = store.start_assessment(company, mini.questionnaire("mini"), "en")
    answer_all(store, assessment, [
        Answer(question_id="policy", value="draft", note="Nota <i>bene</i> & co"),
        Answer(question_id="approved", dont_know=True),
        Answer(question_id="grievance", value="no"),
        Answer(question_id="suppliers", value=1234.5),
        Answer(question_id="imports", value=["country"])])
    store.set_completed(assessment)
    return company


def text_of(reader: PdfReader) -> str:
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text.replace("\u202f", " ")


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_pdf_in_each_language(tmp_path, store, mini, company, lang):
    out = write_report(store, mini, company, lang, tmp_path / f"r-{lang}.pdf", on=DAY, invariant=True)
    reader = PdfReader(out)
    text = text_of(reader)
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
            if "/URI" in annot.get_object().get("/A", {})}
    assert any("duediligencetoolbox.be" in u for u in uris)
    assert any("mvovlaanderen.be" in u for u in uris)  # a Flemish company sees the Flemish desk
    contents = next(p for p in reader.pages[1:3] if (p.extract_text() or "").lstrip().startswith(
        {"nl": "Inhoud", "fr": "Table", "en": "Contents"}[lang]))  # after the scorecard: headings, pages, links
    toc_text = " ".join(contents.extract_text().split())
    assert HEADINGS[lang][1] in toc_text and HEADINGS[lang][2] in toc_text
    assert any(annot.get_object()["/Subtype"] == "/Link" and "/Dest" in annot.get_object()
               for annot in contents.get("/Annots", []))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "scorecard" in outline[0] or "scorekaart" in outline[0] or "fiche" in outline[0]
    assert outline[1] == HEADINGS[lang][0] and HEADINGS[lang][1] in outline
    pages = len(reader.pages)
    last = {"nl": f"Pagina {pages} van {pages}", "fr": f"Page {pages} sur {pages}",
            "en": f"Page {pages} of {pages}"}[lang]
    assert last in text_of(PdfReader(out)).split(HEADINGS[lang][2])[-1]


def content_for(store, mini, company, lang, previous=None):
    [assessment] = store.assessments(company)
    profile = store.company(company).profile
    item = ModuleInput(mini.questionnaire("mini"), store.answers(assessment.id),
                       previous_answers=previous, previous_on=DAY if previous else None)
    return build_content(profile, [item], mini, lang, DAY)


def test_content_in_dutch_and_french_differs_from_english(store, mini, company):
    english = content_for(store, mini, company, "en")
    for lang in ("nl", "fr"):
        content = content_for(store, mini, company, lang)
        same = [k for k, v in content.headings.items() if v == english.headings[k]]
        assert not same, (lang, same)
        assert content.method[0] != english.method[0] and content.summary != english.summary


def test_red_flags_lead_the_plan_and_the_top_actions(store, mini, company):
    content = content_for(store, mini, company, "en")
    assert content.red_flags[0].finding == "No grievance channel"
    assert [a.urgent for a in content.actions[:2]] == [True, False]
    assert content.top_actions == content.actions[:5]
    assert content.knowledge_gap_count == 1


def test_progress_since_the_previous_assessment(store, mini, company):
    previous = {"policy": Answer(question_id="policy", value="none"),
                "grievance": Answer(question_id="grievance", value="no"),
                "suppliers": Answer(question_id="suppliers", value=3)}
    content = content_for(store, mini, company, "en", previous=previous)
    [module] = content.modules
    changes = {row.step: row.change for row in module.steps}
    assert changes[1] == "+50" and changes[6] == "=" and changes[2] == "new"
    assert module.previous == "5 March 2026"


def test_walloon_company_is_not_sent_to_a_flemish_desk(store, mini, company):
    profile = store.company(company).profile.model_copy(update={"region": "wallonia"})
    store.update_company(company, profile)
    content = content_for(store, mini, company, "fr")
    urls = {link.url for row in content.actions for link in row.links}
    assert urls and not any("mvovlaanderen" in u for u in urls)


def test_a_report_before_any_answer_says_so(tmp_path, store, mini):
    company = store.create_company(Profile(name="Nieuw"))
    store.start_assessment(company, mini.questionnaire("mini"), "en")
    text = text_of(PdfReader(write_report(store, mini, company, "en", tmp_path / "empty.pdf")))
    assert "No answers yet: resume the questionnaire" in text
    assert "Add the products you buy and their countries of origin" in text
    assert "every answer is at the best level" not in text


def test_bookmarks_and_contents_lead_to_the_right_pages_even_when_the_contents_is_long(tmp_path, store, mini,
                                                                                       company):
    from hrdd.report import render_pdf

    [assessment] = store.assessments(company)
    questionnaire = mini.questionnaire("mini")
    copies = [questionnaire.model_copy(update={"id": f"mini{i}", "title": questionnaire.title.model_copy(
        update={"en": f"Module number {i}"})}) for i in range(25)]
    items = [ModuleInput(q, store.answers(assessment.id)) for q in copies]
    content = build_content(store.company(company).profile, items, mini, "en", DAY)
    reader = PdfReader(render_pdf(content, tmp_path / "long.pdf"))
    contents = " ".join(" ".join(reader.pages[i].extract_text().split()) for i in range(1, 7))
    assert "Module number 24" in contents and "Method, glossary and sources" in contents
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        assert item.title.split(":")[0] in " ".join(reader.pages[page].extract_text().split()), item.title
    first = next(i for i, p in enumerate(reader.pages) if p.extract_text().lstrip().startswith("Contents"))
    links = [a.get_object() for a in reader.pages[first].get("/Annots", [])]
    assert links and all("/Dest" in link for link in links)


def test_french_punctuation_never_starts_a_line_in_the_pdf(tmp_path, store, bundle):
    from hrdd.demo import create_demo

    company, _ = create_demo(store, bundle, "fr")
    text = PdfReader(write_report(store, bundle, company, "fr", tmp_path / "fr.pdf")).pages
    starts = [line.strip()[:1] for page in text for line in page.extract_text().splitlines() if line.strip()]
    assert not [s for s in starts if s in ";:!»"]
