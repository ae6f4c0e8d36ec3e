"""The real Textual app, driven with Pilot: key presses land in the database."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Input, RadioSet, Static

from hrdd.models import Profile, Sourcing
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.company import CompanyScreen
from hrdd.tui.question import QuestionScreen
from hrdd.tui.results import ResultsScreen

SIZE = (100, 40)


def static_text(app: HrddApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_create_company_through_the_profile_form(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Brasserie <b>Test</b>"
        app.screen.query_one("#employees", Input).value = "12"
        app.screen.query_one("#turnover_eur_m", Input).value = "1,5"
        app.screen.query_one("#products", Input).value = "fèves de cacao, café, licornes"
        app.screen.query_one("#src-product-0", Input).value = "fèves de cacao"
        app.screen.query_one("#src-countries-0", Input).value = "Côte d’Ivoire, Ghana"
        await pilot.pause()
        recognised = static_text(app, "#products-recognised")
        assert "licornes" in recognised  # what is not understood is said, not dropped silently
        assert "Ghana" in static_text(app, "#src-note-0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)
    [company] = store.companies()
    assert company.profile.name == "Brasserie <b>Test</b>"
    assert company.profile.turnover_eur_m == 1.5  # the decimal comma is read, not dropped
    assert company.profile.employees == 12
    assert company.profile.products == ["cocoa", "coffee"]
    assert company.profile.sourcing == [Sourcing(product="cocoa", origins=["CI", "GH"], channel="unknown")]
    assert company.profile.sourcing_countries == []


async def test_a_key_press_stores_the_answer_and_a_restart_resumes(started, tmp_path, mini):
    db = tmp_path / "tui.db"
    store = Store(db)
    company, assessment = started(store, mini.questionnaire("mini"), "nl", name="Atelier", region="brussels", imports_non_eu=False)
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await pilot.press("3")  # third option: "Goedgekeurd"
        await pilot.pause()
        assert Store(db).answers(assessment)["policy"].value == "adopted"  # committed at once
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.current.id == "approved"
        await pilot.press("ctrl+d")  # don't know
        await pilot.pause()
    store.close()
    saved = Store(db).answers(assessment)
    assert saved["approved"].dont_know
    # a new app on the same file resumes at the first unanswered applicable question
    store = Store(db)
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        assert app.screen.current.id == "grievance"
        assert "Kunnen werknemers klachten melden?" in static_text(app, "#question-text")
    store.close()


async def test_number_with_decimal_comma_and_note_are_saved(started, store, mini):
    company, assessment = started(store, mini.questionnaire("mini"), "nl", name="Atelier", region="flanders", imports_non_eu=False)
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await pilot.press("1", "ctrl+n")  # policy: none → "approved" does not apply
        await pilot.pause()
        await pilot.press("1", "ctrl+n")  # grievance: no (options run from the worst to the best)
        await pilot.pause()
        assert app.screen.current.id == "suppliers"
        app.screen.query_one("#number", Input).value = "1.234,5"
        app.screen.query_one("#note", Input).value = "schatting <ruw>"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)  # last question: on to the results
    answers = store.answers(assessment)
    assert answers["suppliers"].value == 1234.5 and answers["suppliers"].note == "schatting <ruw>"
    assert store.assessment(assessment).completed


async def test_language_switch_rebuilds_the_screen(started, store, mini):
    company, assessment = started(store, mini.questionnaire("mini"), "en", name="Atelier")
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        assert "Do you have a policy?" in static_text(app, "#question-text")
        await pilot.press("f2")  # en → nl
        await pilot.pause()
        assert "Heeft u een beleid?" in static_text(app, "#question-text")
        assert "Weet ik niet" in str(app.screen.query_one("#dont-know").label)
        await pilot.press("f2")  # nl → fr
        await pilot.pause()
        assert "Avez-vous une politique ?" in static_text(app, "#question-text")
        footer = " ".join(b.binding.description for b in app.screen.active_bindings.values() if b.binding.show)
        assert "Suivant" in footer and "Next" not in footer


async def test_results_screen_writes_the_pdf(started, store, mini, isolated):
    company, assessment = started(store, mini.questionnaire("mini"), "fr", name="Atelier & Fils", region="wallonia")
    from hrdd.answers import Answer

    store.save_answer(assessment, Answer(question_id="policy", value="none"))
    store.save_answer(assessment, Answer(question_id="grievance", value="no"))
    app = HrddApp(store=store, bundle=mini, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ResultsScreen(assessment))
        await pilot.pause()
        assert "Aucun canal de plainte" in " ".join(str(w.render()) for w in app.screen.query(".flag-title"))
        app.screen.query_one("#pdf-nl").focus()
        await pilot.press("enter")
        for _ in range(400):  # until the worker has written it (state, not time)
            await pilot.pause()
            await app.workers.wait_for_complete()
            if app.screen.written:
                break
        written = app.screen.written
    assert written and Path(written).parent == isolated / "data" / "reports"
    assert "Samenvatting" in PdfReader(written).pages[1].extract_text()


async def test_adviser_archives_a_client_and_adds_commentary(store, bundle, tmp_path):
    from hrdd.demo import create_demo
    from hrdd.report import report_content
    from hrdd.tui.home import HomeScreen

    keep, _ = create_demo(store, bundle, "nl", name="Klant Blijft")
    gone, _ = create_demo(store, bundle, "nl", name="Klant Weg")
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(CompanyScreen(gone))
        await pilot.pause()
        app.screen.query_one("#archive").press()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#commentary-text").text = "Opvolgen in <maart> & april"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        names = [str(o.prompt) for o in app.screen.query_one("#company-list").options]
        assert any("Klant Blijft" in n for n in names) and not any("Klant Weg" in n for n in names)
        await pilot.press("a")
        await pilot.pause()
        names = [str(o.prompt) for o in app.screen.query_one("#company-list").options]
        assert any("Klant Weg" in n for n in names)
    assert store.company(gone).archived
    assert report_content(store, bundle, gone, "nl").commentary == "Opvolgen in <maart> & april"


async def go_to(app, pilot, question_id):
    screen = app.screen
    await screen._show(screen.questionnaire.question(question_id))
    await pilot.pause()


async def test_nothing_typed_is_lost_when_leaving_or_quitting(started, tmp_path, mini):
    db = tmp_path / "q.db"
    store = Store(db)
    company, assessment = started(store, mini.questionnaire("mini"), "nl", name="A", imports_non_eu=True)
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await pilot.press("2")  # policy: draft, saved at once
        app.screen.query_one("#note", Input).value = "nota & <b>"
        await pilot.pause()
        await pilot.press("escape")  # leaving keeps the note too
        await pilot.pause()
        assert Store(db).answers(assessment)["policy"].note == "nota & <b>"
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await go_to(app, pilot, "suppliers")
        app.screen.query_one("#number", Input).value = "abc"
        await pilot.press("ctrl+b")  # an invalid number: an error, no crash, no move
        await pilot.pause()
        assert app.screen.current.id == "suppliers" and "abc" in static_text(app, "#error")
        app.screen.query_one("#number", Input).value = "1,5"
        await pilot.press("f2")  # nl → fr: "1,5" stays 1.5
        await pilot.pause()
        await pilot.press("f2")  # fr → en: shown as "1.5"
        await pilot.pause()
        assert app.screen.query_one("#number", Input).value == "1.5"
        await pilot.press("ctrl+q")  # quitting saves what was typed
        await pilot.pause()
    assert Store(db).answers(assessment)["suppliers"].value == 1.5


async def test_dont_know_then_a_choice_keeps_the_choice(started, tmp_path, mini):
    store = Store(tmp_path / "m.db")
    company, assessment = started(store, mini.questionnaire("mini"), "en", name="A", imports_non_eu=True)
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await go_to(app, pilot, "imports")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert store.answers(assessment)["imports"].dont_know
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        saved = store.answers(assessment)["imports"]
        assert saved.value == ["country"] and not saved.dont_know
        await go_to(app, pilot, "grievance")
        await pilot.press("ctrl+d", "ctrl+d")  # ticked and unticked again: the question is open
        await pilot.pause()
        assert "grievance" not in store.answers(assessment)


async def test_countries_are_ticked_by_typing_in_any_form(started, store, bundle):
    company, assessment = started(store, bundle.questionnaire("due_diligence"), "fr", name="A", imports_non_eu=True)
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await go_to(app, pilot, "sourcing_countries")
        for typed in ("cote d'ivoire", "gha", "turq"):
            app.screen.query_one("#country-filter", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
        assert "Côte d’Ivoire, Ghana, Turquie" in static_text(app, "#countries-chosen")
        await pilot.press("ctrl+n")
        await pilot.pause()
    assert store.answers(assessment)["sourcing_countries"].value == ["CI", "GH", "TR"]


async def test_review_cases_on_the_question_screen(started, tmp_path, bundle):
    """Don't know clears a choice on screen; countries by ISO code or any language; quit from help saves."""
    from hrdd.tui.help import HelpScreen

    db = tmp_path / "r.db"
    store = Store(db)
    company, assessment = started(store, bundle.questionnaire("due_diligence"), "nl", name="A", imports_non_eu=True)
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        await pilot.press("2", "ctrl+d")
        await pilot.pause()
        prompts = [str(o.prompt) for o in app.screen.query_one("#choice").options]
        assert not any(p.startswith("●") for p in prompts)
        # a note alone does not trap the person on an unanswered question
        await go_to(app, pilot, "responsibility")
        app.screen.query_one("#note", Input).value = "vraag het aan Jan"
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.screen.current.id == "policy_commitment"
        await go_to(app, pilot, "responsibility")
        assert app.screen.query_one("#note", Input).value == "vraag het aan Jan"
        await go_to(app, pilot, "sourcing_countries")
        for typed in ("CI", "Turquie", "Ivoorkust"):  # an ISO code, French, then CI in Dutch: unticked
            app.screen.query_one("#country-filter", Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
        assert app.screen.draft["value"] == ["TR"]
        await go_to(app, pilot, "supplier_count")
        app.screen.query_one("#number", Input).value = "0,12345"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert Store(db).answers(assessment)["supplier_count"].value == 0.12345
