"""Issue 11: the terminal app at 80×24, driven with Pilot against a real SQLite file.

Every test waits for the app's state (pilot.pause(), workers done), never for time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from hrdd.answers import Answer
from hrdd.demo import create_demo
from hrdd.models import Profile
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.company import CompanyScreen
from hrdd.tui.help import HelpScreen
from hrdd.tui.home import HomeScreen
from hrdd.tui.profile import ProfileScreen
from hrdd.tui.question import QuestionScreen
from hrdd.tui.results import ResultsScreen

SMALL = (80, 24)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until every message is handled and every worker is done."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, tries: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition()`` holds (it is checked after each round of messages)."""
    for _ in range(tries):
        if condition():
            return
        await settle(pilot)
    assert condition()


async def go_to(pilot, question_id: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    await screen._show(screen.questionnaire.question(question_id))
    await settle(pilot)


def rows(app: HrddApp) -> list[str]:
    return [str(o.prompt) for o in app.screen.query_one("#company-list", OptionList).options]


def notes(app: HrddApp) -> list[str]:
    return [n.message for n in app._notifications]


def visible(app: HrddApp, widget) -> bool:  # type: ignore[no-untyped-def]
    """Entirely on screen, between the header and the footer."""
    region = widget.region
    return region.height > 0 and region.y >= 1 and region.bottom <= app.size.height - 1


# --- 1 and 10: the home screen ---------------------------------------------------------------
async def test_home_search_keeps_the_focus_folds_accents_and_stays_in_step(tmp_path, mini):
    store = Store(tmp_path / "home.db")
    electro = store.create_company(Profile(name="Électro-Brussel", region="brussels"))
    store.create_company(Profile(name="Bakkerij Peeters", region="flanders"))
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"electro")  # letter by letter, as a person types
        await settle(pilot)
        search = app.screen.query_one("#search", Input)
        assert isinstance(app.screen, HomeScreen) and app.focused is search
        assert search.value == "electro" and not app.screen.show_archived
        assert len(rows(app)) == 1 and "Électro-Brussel" in rows(app)[0]
        await pilot.press("ctrl+u", *"xan")  # "a" and "n" are letters here, not shortcuts
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and search.value == "xan" and not app.screen.show_archived
        assert rows(app) == ["No company matches “xan”."]
        await pilot.press("ctrl+u", *"ELEC", "enter")  # Enter: on to the first match, not opened yet
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and app.screen.company_id == electro
        await pilot.press("escape")
        await settle(pilot)
        # back home: the box and the list still agree, and no row is chosen for Enter to open
        assert app.screen.query_one("#search", Input).value == "ELEC"
        assert len(rows(app)) == 1 and "Électro-Brussel" in rows(app)[0]
        assert app.screen.query_one("#company-list", OptionList).highlighted is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape", "a")  # clear the search, then the archived view: empty, and said so
        await settle(pilot)
        assert app.screen.show_archived and rows(app) == ["No archived companies."]
    store.close()


async def test_home_rows_can_be_told_apart(tmp_path, bundle):
    store = Store(tmp_path / "same.db")
    first, _a = create_demo(store, bundle, "en", name="Same Name")
    second = store.create_company(Profile(name="Same Name", region="wallonia"))
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        shown = rows(app)
        assert len(shown) == 2 and shown[0] != shown[1]
        row_first = next(r for r in shown if r.split()[0] == str(first))
        row_second = next(r for r in shown if r.split()[0] == str(second))
        assert "Flandre" in row_first and "Wallonie" in row_second  # region, in the interface language
        assert "4/4 terminés" in row_first and "0/" in row_second  # progress
        assert app.screen.query_one("#company-list", OptionList).highlighted is None
        await pilot.press("enter")  # nothing chosen: Enter opens nothing
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")  # fr → en: the list is rebuilt, not emptied
        await settle(pilot)
        assert len(rows(app)) == 2 and any("Wallonia" in r for r in rows(app))
    store.close()


# --- 2, 8 and 11: the company screen -----------------------------------------------------------
async def test_company_buttons_are_on_screen_and_archive_has_a_key(tmp_path, bundle):
    store = Store(tmp_path / "c.db")
    company, _a = create_demo(store, bundle, "nl", name="Klant")
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        for button_id in ("edit-profile", "commentary", "archive", "back"):
            button = app.screen.query_one(f"#{button_id}", Button)
            button.focus()
            await settle(pilot)
            assert visible(app, button) and button.region.right <= 80, button_id
            assert button.region.width < 30, button_id  # the dialog's width rule no longer reaches it
        await pilot.press("a")
        await settle(pilot)
        assert store.company(company).archived
        footer = " ".join(k.description for k in app.screen.query(FooterKey))
        assert "Terugzetten" in footer  # the key now restores
        await pilot.press("f1")
        await settle(pilot)
        assert any("archiveren" in str(row.render()) for row in app.screen.query(".key-row Static"))
    store.close()


async def test_a_new_assessment_is_asked_for_first(tmp_path, bundle):
    from hrdd.tui.base import ConfirmScreen

    store = Store(tmp_path / "n.db")
    company, _a = create_demo(store, bundle, "fr", name="Klant")
    before = len(store.assessments(company, "due_diligence"))
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        app.screen.query_one("#start-due_diligence", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#yes", Button).label) == "Oui"
        assert "Commencer une nouvelle évaluation" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("enter")  # the focus is on No
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen) and len(store.assessments(company, "due_diligence")) == before
        app.screen.query_one("#start-due_diligence", Button).press()
        await settle(pilot)
        app.screen.query_one("#yes", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
    assert len(store.assessments(company, "due_diligence")) == before + 1
    store.close()


async def test_module_keys_and_the_question_list(tmp_path, mini):
    from hrdd.tui.question import QuestionListScreen

    store = Store(tmp_path / "k.db")
    company = store.create_company(Profile(name="A", imports_non_eu=False))
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        await pilot.press("1")  # module 1, not started: started
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        [assessment] = store.assessments(company)
        await pilot.press("3", "escape", "1")  # answered, back, and 1 resumes the same assessment
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.assessment_id == assessment.id
        await pilot.press("ctrl+l")  # the list of questions
        await settle(pilot)
        assert isinstance(app.screen, QuestionListScreen)
        await pilot.press("end", "enter")  # the last question: suppliers
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.current.id == "suppliers"
        await pilot.press(*"12", "enter")  # the last one, but two are still open: the first of them
        await settle(pilot)
        assert app.screen.current.id == "approved"
        await pilot.press("2", "ctrl+n")
        await settle(pilot)
        assert app.screen.current.id == "grievance"
        await pilot.press("2", "ctrl+n")
        await settle(pilot)
        assert app.screen.current.id == "suppliers"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)  # finished
        await pilot.press("q")  # from the results of a finished assessment: jump to one question
        await settle(pilot)
        assert isinstance(app.screen, QuestionListScreen)
        listed = [str(o.prompt) for o in app.screen.query_one("#question-list", OptionList).options]
        assert "Do you have a policy?" in listed[0] and "Adopted" in listed[0]
        await pilot.press("home", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.current.id == "policy"
        await pilot.press("2", "escape")  # changed; back to the results
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape", "1")  # module 1 is completed: its results
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
    assert store.answers(assessment.id)["policy"].value == "draft"
    store.close()


# --- 3, 4 and 5: the question screen -----------------------------------------------------------
async def test_language_switch_leaves_the_focus_in_the_note(started, tmp_path, mini):
    store = Store(tmp_path / "f.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "en", name="A")
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"see p")
        await pilot.press("f2")  # en → nl while typing
        await settle(pilot)
        assert app.focused is app.screen.query_one("#note", Input)
        await pilot.press("2")  # a digit goes into the note, never into the saved answer
        await settle(pilot)
        assert app.screen.query_one("#note", Input).value == "see p2"
        assert "Heeft u een beleid?" in str(app.screen.query_one("#question-text", Static).render())
    assert "policy" not in store.answers(assessment)
    store.close()


async def test_language_switch_leaves_the_focus_in_the_profile_form(tmp_path, mini):
    store = Store(tmp_path / "p.db")
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press(*"Acme", "tab", "tab", "1")  # name, what you supply, employees
        await pilot.press("f2")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#employees", Input)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one("#employees", Input).value == "12"
        assert app.screen.query_one("#name", Input).value == "Acme"
    store.close()


async def test_quitting_with_an_unsaved_note_warns_first(started, tmp_path, mini):
    store = Store(tmp_path / "q.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "fr", name="A")
    app = HrddApp(store=store, bundle=mini, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"demander à Jan", "ctrl+q")
        await settle(pilot)
        assert app.return_code is None and isinstance(app.screen, QuestionScreen)  # still open
        assert any("n'est pas enregistrée" in n for n in notes(app))
        await pilot.press("ctrl+b")  # on the first question: stays; the draft is still on screen
        await settle(pilot)
        assert app.screen.query_one("#note", Input).value == "demander à Jan"
        await pilot.press("ctrl+q")  # asked twice: quit
        await settle(pilot)
        assert app.return_code == 0
    store.close()


async def test_an_answer_with_its_note_quits_without_warning(started, tmp_path, mini):
    store = Store(tmp_path / "q2.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "en", name="A")
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        app.screen.query_one("#note", Input).focus()
        await pilot.press(*"ask Jan", "shift+tab", "shift+tab", "1", "ctrl+q")
        await settle(pilot)
        assert app.return_code == 0
    assert Store(tmp_path / "q2.db").answers(assessment)["policy"].note == "ask Jan"
    store.close()


async def test_errors_show_where_the_eye_is_at_80x24(started, tmp_path, bundle):
    store = Store(tmp_path / "e.db")
    _c, assessment = started(store, bundle.questionnaire("due_diligence"), "en", name="A", imports_non_eu=True)
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        error = app.screen.query_one("#error", Static)
        assert not visible(app, error)  # below the fold at this size
        await pilot.press("ctrl+n")  # no answer chosen
        await settle(pilot)
        toasts = [t for t in app.screen.query(Toast) if "Choose an answer" in str(t.render())]
        assert toasts and all(visible(app, t) for t in toasts)
        # a field typed in stays in view when the window shrinks
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        note = app.screen.query_one("#note", Input)
        note.focus()
        await settle(pilot)
        assert visible(app, note)
        await pilot.resize_terminal(80, 20)
        await settle(pilot)
        assert visible(app, note)
    store.close()


# --- 6, 7 and 9: answers -------------------------------------------------------------------------
async def test_multiple_choice_options_wrap_instead_of_being_cut(started, tmp_path, bundle):
    store = Store(tmp_path / "w.db")
    _c, assessment = started(store, bundle.questionnaire("due_diligence"), "fr", name="A")
    question = bundle.questionnaire("due_diligence").question("policy_content")
    store.save_answer(assessment, Answer(question_id="policy_commitment", value="written"))  # so that it applies
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        await go_to(pilot, "policy_content")
        choices = app.screen.query_one("#choices", OptionList)
        lines = [choices._lines[y] for y in range(len(choices._lines))]
        assert len(lines) > len(question.options)  # some options take two lines
        text = " ".join("".join(s.text for s in choices.render_line(y)) for y in range(choices.size.height))
        assert "…" not in text
        await pilot.press("1", "3")
        await settle(pilot)
    assert store.answers(assessment)["policy_content"].value == [question.options[0].id, question.options[2].id]
    store.close()


async def test_options_run_from_worst_to_best_and_number_keys_follow(started, tmp_path, mini, bundle):
    store = Store(tmp_path / "o.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "en", name="A")
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        await go_to(pilot, "grievance")  # yes/no, written Yes first
        prompts = [str(o.prompt) for o in app.screen.query_one("#choice", OptionList).options]
        assert prompts == ["○ 1. No", "○ 2. Yes"]
        await pilot.press("2")
        await settle(pilot)
    assert store.answers(assessment)["grievance"].value == "yes"
    # every choice question of the shipped modules: shown from the lowest score to the highest
    from hrdd.tui.question import shown_options

    for module in bundle.questionnaires:
        for q in module.questions:
            scores = [o.score for o in shown_options(q)]
            assert scores == sorted(scores), q.id
    store.close()


async def test_a_decimal_comma_is_accepted_in_english(started, tmp_path, mini):
    store = Store(tmp_path / "d.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "en", name="A")
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await settle(pilot)
        await go_to(pilot, "suppliers")
        await pilot.press(*"0,15", "ctrl+n")
        await settle(pilot)
        assert not str(app.screen.query_one("#error", Static).render())
    assert store.answers(assessment)["suppliers"].value == 0.15
    store.close()


# --- 12: no English left ---------------------------------------------------------------------
async def test_no_english_left_and_footers_fit_at_80_columns(tmp_path, bundle):
    store = Store(tmp_path / "l.db")
    company, finished = create_demo(store, bundle, "fr", name="Klant")
    started = store.start_assessment(company, bundle.questionnaire("children"), "fr")
    for lang in ("fr", "nl", "en"):
        app = HrddApp(store=store, bundle=bundle, lang=lang)
        async with app.run_test(size=SMALL, notifications=True) as pilot:
            for screen in (None, CompanyScreen(company), QuestionScreen(started), ResultsScreen(finished),
                           ProfileScreen(company)):
                if screen is not None:
                    app.push_screen(screen)
                await settle(pilot)
                keys = list(app.screen.query(FooterKey))
                assert keys and all(k.region.width > 0 and k.region.right <= 80 for k in keys), \
                    (lang, type(app.screen).__name__, [k.description for k in keys])
            if lang == "en":
                continue
            app.screen.query_one("#nace").focus()
            await pilot.press("enter")  # the menu of a Select: Textual's own "Dismiss menu"
            await settle(pilot)
            footer = " ".join(k.description for k in app.screen.query(FooterKey))
            assert {"fr": "Fermer le menu", "nl": "Menu sluiten"}[lang] in footer and "Dismiss" not in footer
            await pilot.press("escape", "ctrl+c")  # reflex to quit: told how, in the language
            await settle(pilot)
            assert {"fr": "Appuyez sur Ctrl+Q", "nl": "Druk op Ctrl+Q"}[lang] in notes(app)[-1]
            await pilot.press("f1")
            await settle(pilot)
            help_text = " ".join(str(r.render()) for r in app.screen.query(".key-row Static"))
            assert isinstance(app.screen, HelpScreen)
            assert {"fr": "Entrée / Espace", "nl": "Enter / spatie"}[lang] in help_text and "Space" not in help_text
            if lang == "fr":
                assert "Maj+Tab" in help_text and "Échap" in help_text
    store.close()


# --- 14: the PDF ---------------------------------------------------------------------------------
async def test_pdf_names_are_plain_ascii_and_never_overwritten(started, store, mini, isolated):
    _c, assessment = started(store, mini.questionnaire("mini"), "en", name="Électro Œuvre Łódź")
    store.save_answer(assessment, Answer(question_id="policy", value="none"))
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(ResultsScreen(assessment))
        await settle(pilot)
        written = []
        for _ in range(2):
            app.screen.written = None
            await pilot.press("p")
            await wait_until(pilot, lambda: app.screen.written is not None)
            written.append(Path(app.screen.written))
    day = date.today().isoformat()
    assert [p.name for p in written] == [f"hrdd-electro-oeuvre-lodz-{day}-en.pdf",
                                         f"hrdd-electro-oeuvre-lodz-{day}-en-2.pdf"]
    assert all(p.parent == isolated / "data" / "reports" and len(PdfReader(p).pages) > 1 for p in written)


async def test_a_pdf_that_cannot_be_written_is_reported_and_the_app_stays(started, tmp_path, monkeypatch, mini):
    data = tmp_path / "hrdd [old]"  # a folder name that reads like markup
    data.mkdir()
    (data / "reports").write_text("a file where the reports folder should be")
    monkeypatch.setenv("HRDD_DATA_DIR", str(data))
    store = Store(tmp_path / "pdf.db")
    _c, assessment = started(store, mini.questionnaire("mini"), "nl", name="A")
    app = HrddApp(store=store, bundle=mini, lang="nl")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app.push_screen(ResultsScreen(assessment))
        await settle(pilot)
        await pilot.press("p")
        await wait_until(pilot, lambda: any("PDF-rapport kon niet" in n for n in notes(app)))
        assert isinstance(app.screen, ResultsScreen) and app.return_code is None
        assert app.screen.written is None
        toast = next(t for t in app.screen.query(Toast) if "PDF-rapport kon niet" in str(t.render()))
        assert "hrdd [old]" in str(toast.render())  # the path as it is: brackets are not markup
    store.close()

