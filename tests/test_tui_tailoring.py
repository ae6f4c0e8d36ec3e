"""What the four companies see in the terminal app: capped levels explained, help that fits
them (region, size, products) and a profile review for companies created before profile v2."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from companies import COMPANIES, walk
from hrdd.answers import Answer
from hrdd.conditions import applies
from hrdd.storage import Store
from hrdd.tui.app import HrddApp
from hrdd.tui.company import CompanyScreen
from hrdd.tui.profile import ProfileScreen
from hrdd.tui.question import QuestionScreen
from hrdd.tui.results import ResultsScreen
from test_tailoring import unfit_names

SMALL = (80, 24)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: HrddApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))


def answered(store: Store, bundle, key: str, **override: str) -> int:  # type: ignore[no-untyped-def]
    profile, lang = COMPANIES[key]
    company = store.create_company(profile)
    for q in bundle.questionnaires:
        if applies(q, profile):
            assessment = store.start_assessment(company, q, lang)
            answers = walk(q, profile)
            for qid, value in override.items():
                if qid in answers:
                    answers[qid] = Answer(question_id=qid, value=value)
            for answer in answers.values():
                store.save_answer(assessment, answer)
            store.set_completed(assessment)
    return company


async def test_a_capped_level_is_shown_and_explained_on_the_company_and_results_screens(tmp_path, bundle):
    store = Store(tmp_path / "t.db")
    company = answered(store, bundle, "brussels_cleaning", young_workers_present="under_minimum_age")
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        assert "Attention urgente" in screen_text(app)
        children = next(a for a in store.assessments(company) if a.questionnaire_id == "children")
        app.push_screen(ResultsScreen(children.id))
        await settle(pilot)
        text = screen_text(app)
        assert "Attention urgente" in text and "plafonné" in text
    store.close()


@pytest.mark.parametrize("key", sorted(COMPANIES))
async def test_each_company_s_screens_name_only_help_that_fits(tmp_path, bundle, key):
    profile, lang = COMPANIES[key]
    store = Store(tmp_path / "t.db")
    company = answered(store, bundle, key)
    app = HrddApp(store=store, bundle=bundle, lang=lang)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        seen = [screen_text(app)]
        for assessment in store.assessments(company):
            app.push_screen(ResultsScreen(assessment.id))
            await settle(pilot)
            seen.append(screen_text(app))
            app.pop_screen()
            await settle(pilot)
            questionnaire = store.questionnaire(assessment.content_hash)
            for question in list(walk(questionnaire, profile))[:3]:
                app.push_screen(QuestionScreen(assessment.id, start_at=question))
                await settle(pilot)
                seen.append(screen_text(app))
                app.pop_screen()
                await settle(pilot)
        assert not unfit_names(seen, profile)
    store.close()


async def test_the_size_note_and_regional_help_reach_the_question_screen(tmp_path, bundle):
    store = Store(tmp_path / "t.db")
    profile, _ = COMPANIES["micro_services"]
    company = store.create_company(profile)
    assessment = store.start_assessment(company, bundle.questionnaire("due_diligence"), "nl")
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(QuestionScreen(assessment, start_at="grievance_mechanism"))
        await settle(pilot)
        help_text = str(app.screen.query_one("#help-text", Static).render())
        assert "Voor een onderneming van uw grootte (micro-onderneming)" in help_text
    store.close()


async def test_a_company_from_before_profile_v2_is_asked_the_new_fields(tmp_path, bundle):
    store = Store(tmp_path / "t.db")
    profile, _ = COMPANIES["flemish_food"]
    company = store.create_company(profile)
    store.db.execute("update companies set profile_version = 1 where id = ?", [company])
    store.db.conn.commit()
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(CompanyScreen(company))
        await settle(pilot)
        assert isinstance(app.screen, ProfileScreen) and app.screen.review
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CompanyScreen)
        assert not store.company(company).needs_review
    store.close()
