"""The question screen is filled in place from one question to the next (issue 12): nothing piles
up over a long walk, and an answer is committed once."""

from __future__ import annotations

import gc

from companies import FLEMISH_FOOD
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Static

from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.question import QuestionScreen

SIZE = (80, 24)


def live_widgets() -> int:
    """Widgets still in memory (on screen or not), once the garbage is collected."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Widget))


async def test_two_hundred_answers_leave_no_widgets_behind(tmp_path, bundle):
    """Answers given key by key through the real app, back and forth through a module with choice,
    number and text questions (so the answer widget is swapped too): the count of live widgets
    and of nodes on screen is the same after 200 answers as after 20."""
    store = Store(tmp_path / "walk.db")
    company = store.create_company(FLEMISH_FOOD)
    assessment = store.start_assessment(company, bundle.questionnaire("due_diligence"), "en")
    app = HrddApp(store=store, bundle=bundle, lang="en")
    counts: dict[int, tuple[int, int]] = {}
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        forward, kinds = True, set()
        for n in range(1, 201):
            assert app.screen is screen
            q = screen.current
            kinds.add(q.kind)
            questions = screen.questions
            index = next(i for i, x in enumerate(questions) if x.id == q.id)
            if q.kind in ("single", "yes_no"):
                await pilot.press(str(1 + n % 2))
            elif q.kind == "number":
                screen.query_one("#number", Input).value = str(n)
            elif not screen.query_one("#dont-know", Checkbox).value:
                await pilot.press("ctrl+d")
            await pilot.pause()
            if forward and index == len(questions) - 1 or not forward and index == 0:
                forward = not forward
            await pilot.press("ctrl+n" if forward else "ctrl+b")
            await pilot.pause()
            assert screen.current.id != q.id  # moved on
            if n in (20, 200):
                counts[n] = (live_widgets(), len(list(screen.walk_children())))
        assert {"single", "number", "text"} <= kinds
    saved = Store(tmp_path / "walk.db").answers(assessment)
    assert len(saved) == len(questions)
    store.close()
    assert counts[200][1] == counts[20][1], counts  # nodes on screen
    assert counts[200][0] <= counts[20][0] + 5, counts  # widgets in memory (a few may be in flight)


async def test_moving_on_does_not_commit_a_chosen_answer_again(tmp_path, mini, started):
    """A choice is committed when it is made; Next then shows the next question without writing the
    same answer a second time (counted by SQLite itself), and a changed note is written once."""
    db = tmp_path / "once.db"
    store = Store(db)
    company, assessment = started(store, mini.questionnaire("mini"), "en", name="Atelier", region="brussels",
                                  imports_non_eu=False)
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        before = store.db.conn.total_changes
        await pilot.press("3")
        await pilot.pause()
        chosen = store.db.conn.total_changes
        assert chosen > before and Store(db).answers(assessment)["policy"].value == "adopted"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.current.id == "approved"
        assert store.db.conn.total_changes == chosen  # nothing written again
        await pilot.press("ctrl+b")
        await pilot.pause()
        app.screen.query_one("#note", Input).value = "board minutes"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert store.db.conn.total_changes > chosen
        assert Store(db).answers(assessment)["policy"].note == "board minutes"
    store.close()


async def test_the_next_question_is_shown_in_the_same_widgets(tmp_path, mini, started):
    """Moving on fills the widgets already on screen: the option list and the note field are the
    same objects, with the new question's options and its own note; Previous shows the first again."""
    store = Store(tmp_path / "same.db")
    company, assessment = started(store, mini.questionnaire("mini"), "en", name="Atelier", region="brussels",
                                  imports_non_eu=False)
    app = HrddApp(store=store, bundle=mini, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(QuestionScreen(assessment))
        await pilot.pause()
        screen = app.screen
        choice, note = screen.query_one("#choice", OptionList), screen.query_one("#note", Input)
        first_options = [o.id for o in choice.options]
        note.value = "see the policy file"
        await pilot.press("3", "ctrl+n")
        await pilot.pause()
        assert screen.current.id == "approved"
        assert screen.query_one("#choice", OptionList) is choice and screen.query_one("#note", Input) is note
        assert [o.id for o in choice.options] == [o.id for o in sorted(screen.current.options, key=lambda o: o.score)]
        assert note.value == "" and not screen.query_one("#dont-know", Checkbox).value
        assert "Approved by management?" in str(screen.query_one("#question-text", Static).render())
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert [o.id for o in choice.options] == first_options
        assert note.value == "see the policy file"
        assert "●" in str(choice.get_option_at_index(2).prompt)  # the saved answer is marked
    store.close()


def live(kind: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


async def test_a_walk_through_the_modules_leaves_no_screen_behind(tmp_path, bundle):
    """Module after module from the company screen, and back to it after each (issue 12): the
    question screens, once left, are freed with all they drew. Textual 8.2.8 kept each one's header
    (watching the app's title) and every widget's styles cache (in an ``lru_cache`` keyed by it)."""
    from textual._styles_cache import StylesCache

    from hrdd.demo import DEMO_PROFILE
    from hrdd.tui.company import CompanyScreen

    store = Store(tmp_path / "modules.db")
    company = store.create_company(DEMO_PROFILE)
    modules = bundle.questionnaires[:3]
    assessments = {q.id: store.start_assessment(company, q, "en", pack=bundle.packs.get(q.id)) for q in modules}
    app = HrddApp(store=store, bundle=bundle, lang="en")
    counts: list[tuple[int, int]] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(CompanyScreen(company))
        await pilot.pause()
        company_screen = app.screen
        for _round in range(4):
            for q in modules:
                app.push_screen(QuestionScreen(assessments[q.id]))
                await pilot.pause()
                screen = app.screen
                assert isinstance(screen, QuestionScreen)
                for _ in range(3):
                    await pilot.press("1" if screen.current.kind in ("single", "yes_no", "multi") else "ctrl+d",
                                      "ctrl+n")
                    await pilot.pause()
                await pilot.press("escape")  # back to the company screen
                await pilot.pause()
                assert app.screen is company_screen
                del screen
            counts.append((live(Widget), live(StylesCache)))
    store.close()
    early, end = counts[1], counts[-1]
    assert end[0] <= early[0] + 5, counts  # widgets in memory (a few may be in flight)
    assert end[1] <= early[1] + 5, counts  # their styles caches
