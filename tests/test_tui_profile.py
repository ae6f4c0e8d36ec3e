"""The profile form (profile v2), driven with Pilot at 80×24 on a real database file."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, Static

from hrdd.models import Profile, Sourcing
from hrdd.tui.app import HrddApp
from hrdd.tui.company import CompanyScreen
from hrdd.tui.profile import ProfileScreen

SMALL = (80, 24)


def shown(app: HrddApp, widget: Widget) -> bool:
    """Whether ``widget`` is on screen at 80×24: inside the form's visible area, not under the footer."""
    region = widget.region
    form = app.screen.query_one("#profile-form").region
    return (region.height > 0 and form.contains_region(region)
            and app.screen.get_widget_at(region.x, region.y)[0] is widget)


async def open_new(app: HrddApp, pilot) -> ProfileScreen:  # type: ignore[no-untyped-def]
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, ProfileScreen)
    return app.screen


async def type_into(pilot, screen: ProfileScreen, widget_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Focus a field and type ``text`` into it, key by key."""
    screen.query_one(f"#{widget_id}", Input).focus()
    await pilot.pause()
    keys = {" ": "space", ",": "comma", "'": "apostrophe", ".": "full_stop"}
    await pilot.press(*(keys.get(c, c) for c in text))


async def tick(pilot, screen: ProfileScreen, value: str) -> None:  # type: ignore[no-untyped-def]
    """Tick a workforce choice with the keyboard (arrow to it, Space)."""
    choices = screen.query_one("#workforce", SelectionList)
    choices.focus()
    await pilot.pause()
    await pilot.press("home")
    while choices.get_option_at_index(choices.highlighted or 0).value != value:
        await pilot.press("down")
    await pilot.press("space")
    await pilot.pause()


async def choose(pilot, screen: ProfileScreen, select_id: str, value: str) -> None:  # type: ignore[no-untyped-def]
    select = screen.query_one(f"#{select_id}", Select)
    select.value = value
    await pilot.pause()


async def test_a_services_only_sole_trader(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Solo Advies")
        await choose(pilot, screen, "supplies", "services")
        await type_into(pilot, screen, "employees", "0")
        await pilot.pause()
        assert "Micro company" in str(screen.query_one("#size-class", Static).render())
        await tick(pilot, screen, "none")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)
    [company] = store.companies()
    p = store.company(company.id).profile
    assert p.name == "Solo Advies"
    assert p.supplies == "services"
    assert p.employees == 0 and p.turnover_eur_m is None
    assert p.workforce == []  # "none of these", not "not given"
    assert p.size_class == "micro" and p.has_staff is False
    assert p.sourcing == [] and p.products == [] and p.sourcing_countries == []
    assert p.imports_non_eu is None and p.minerals_3tg is None and p.minerals_form is None
    assert not store.company(company.id).needs_review


async def test_a_flemish_importer_with_two_sourcing_pairs(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Chocolaterie Verhulst")
        await choose(pilot, screen, "supplies", "goods")
        await type_into(pilot, screen, "employees", "25")
        await type_into(pilot, screen, "turnover_eur_m", "4,5")
        await pilot.pause()
        assert "Kleine onderneming" in str(screen.query_one("#size-class", Static).render())
        await tick(pilot, screen, "agency")
        await tick(pilot, screen, "students")
        await choose(pilot, screen, "nace", "C")
        await choose(pilot, screen, "region", "flanders")
        await choose(pilot, screen, "imports_non_eu", "yes")
        await choose(pilot, screen, "minerals_3tg", "no")
        assert not screen.query_one("#minerals-form-box").display  # asked only for yes / don't know
        await type_into(pilot, screen, "src-product-0", "cacaobonen")
        await type_into(pilot, screen, "src-countries-0", "Ivoorkust")
        await choose(pilot, screen, "src-channel-0", "direct")
        await pilot.press("ctrl+n")  # a second row, focused
        await pilot.pause()
        assert app.screen.focused is screen.query_one("#src-product-1")
        await pilot.press(*"suiker")
        await type_into(pilot, screen, "src-countries-1", "Brazilië")
        await choose(pilot, screen, "src-channel-1", "eu_intermediary")
        note = str(screen.query_one("#src-note-1", Static).render())
        assert "Suikerriet" in note and "Brazilië" in note  # what was recognised, next to the row
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CompanyScreen)
    [company] = store.companies()
    p = store.company(company.id).profile
    assert p.name == "Chocolaterie Verhulst"
    assert p.supplies == "goods"
    assert p.employees == 25 and p.turnover_eur_m == 4.5
    assert p.size_class == "small"
    assert p.workforce == ["agency", "students"]
    assert p.nace == "C" and p.region == "flanders"
    assert p.imports_non_eu is True
    assert p.minerals_3tg == "no" and p.minerals_form is None
    assert p.sourcing == [Sourcing(product="cocoa", origins=["CI"], channel="direct"),
                          Sourcing(product="sugarcane", origins=["BR"], channel="eu_intermediary")]
    assert p.sourcing_countries == [] and p.products == []
    assert p.all_products == ["cocoa", "sugarcane"]
    assert p.imports_directly is True and p.non_eu_origin is True


async def test_editing_keeps_the_pairs_and_a_removed_row_goes(store, bundle):
    company_id = store.create_company(Profile(
        name="Koffiebar", employees=4, workforce=["students"], minerals_3tg="unknown", minerals_form="components",
        sourcing=[Sourcing(product="coffee", origins=["ET", "BR"], channel="eu_intermediary"),
                  Sourcing(product="cocoa", origins=["GH"], channel="unknown")]))
    before = store.company(company_id).profile
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(ProfileScreen(company_id))
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#src-product-0", Input).value == "Café"
        assert screen.query_one("#src-countries-1", Input).value == "Ghana"
        assert screen.query_one("#minerals-form-box").display  # 3TG "don't know": the form is asked
        await pilot.press("ctrl+s")  # saved unchanged
        await pilot.pause()
        assert store.company(company_id).profile == before
        app.push_screen(ProfileScreen(company_id))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#src-countries-1", Input).focus()
        await pilot.press("ctrl+r")  # remove the row the focus is in
        await pilot.pause()
        assert not screen.query("#src-1")
        screen.query_one("#add-row").press()  # the buttons do the same as the keys
        await pilot.pause()
        assert screen.query("#src-2") and app.screen.focused is screen.query_one("#src-product-2")
        screen.query_one("#src-remove-2").press()
        await pilot.pause()
        assert not screen.query("#src-2")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert store.company(company_id).profile.sourcing == before.sourcing[:1]


async def test_workforce_none_is_not_the_same_as_not_given(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Not Given")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [company] = store.companies()
    assert company.profile.workforce is None  # nothing ticked: not given
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(ProfileScreen(company.id))
        await pilot.pause()
        screen = app.screen
        choices = screen.query_one("#workforce", SelectionList)
        await tick(pilot, screen, "seasonal")
        await tick(pilot, screen, "none")  # "none of these" unticks the kinds
        assert choices.selected == ["none"] and screen.draft["workforce"] == []
        await tick(pilot, screen, "posted")  # a kind unticks "none of these"
        assert choices.selected == ["posted"] and screen.draft["workforce"] == ["posted"]
        await tick(pilot, screen, "posted")
        await tick(pilot, screen, "none")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert store.company(company.id).profile.workforce == []


async def test_an_unrecognised_product_is_an_error_next_to_its_row_in_view(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Mystery Imports")
        await type_into(pilot, screen, "src-product-0", "unobtainium")
        await type_into(pilot, screen, "src-countries-0", "Ghana")
        for key, (product, country) in enumerate((("cotton", "India"), ("coffee", "Brazil")), 1):
            await pilot.press("ctrl+n")
            await pilot.pause()
            await type_into(pilot, screen, f"src-product-{key}", product)
            await type_into(pilot, screen, f"src-countries-{key}", country)
        screen.query_one("#save").focus()  # the person is at the bottom of the form, the bad row far above
        await pilot.pause()
        assert not shown(app, screen.query_one("#src-note-0"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen  # not saved
        note = screen.query_one("#src-note-0", Static)
        assert "unobtainium" in str(note.render()) and note.has_class("-problem")
        assert shown(app, note)
        assert app.screen.focused is screen.query_one("#src-product-0")
        await type_into(pilot, screen, "src-product-0", "")  # fixing it clears the error as you type
        screen.query_one("#src-product-0", Input).value = "cotton"
        await pilot.pause()
        assert not note.has_class("-problem")
    assert store.companies() == []  # nothing half-saved, nothing dropped silently


async def test_a_field_error_far_above_is_brought_into_view(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Trop")
        await type_into(pilot, screen, "employees", "12abc")
        screen.query_one("#cancel").focus()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        error = screen.query_one("#employees-error", Static)
        assert "12abc" in str(error.render())
        assert shown(app, error) and shown(app, screen.query_one("#employees"))
        assert app.screen.focused is screen.query_one("#employees")
    assert store.companies() == []


async def test_f2_while_typing_keeps_the_focus_and_everything_typed(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Verhulst")
        await type_into(pilot, screen, "turnover_eur_m", "1,5")
        await tick(pilot, screen, "agency")
        await type_into(pilot, screen, "src-product-0", "cacao")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_into(pilot, screen, "src-countries-1", "Gha")
        countries = screen.query_one("#src-countries-1", Input)
        countries.cursor_position = 1
        await pilot.press("f2")  # fr → en: the screen is rebuilt
        await pilot.pause()
        await pilot.pause()
        focused = app.screen.focused
        assert isinstance(focused, Input) and focused.id == "src-countries-1"
        assert focused is not countries  # a new widget, same field
        assert focused.value == "Gha" and focused.cursor_position == 1
        assert shown(app, focused)
        assert screen.query_one("#name", Input).value == "Verhulst"
        assert screen.query_one("#turnover_eur_m", Input).value == "1.5"  # the number, the English way
        assert screen.query_one("#src-product-0", Input).value == "cacao"
        assert screen.query_one("#workforce", SelectionList).selected == ["agency"]
        assert "Product" in str(screen.query_one("#src-product-1", Input).placeholder)
        await pilot.press("h", "a")
        assert focused.value == "Ghaha"  # typing goes on where it was
        await tick(pilot, screen, "students")
        await pilot.press("f2")  # en → nl, from the list of other workers
        await pilot.pause()
        assert app.screen.focused.id == "workforce"


async def test_a_profile_from_before_v2_gets_a_review_notice(store, bundle):
    company_id = store.create_company(Profile(name="Oud Bedrijf", employees=12, imports_non_eu=True,
                                              sourcing_countries=["GH", "VN"]))
    store.db.execute("update companies set profile_version = 1 where id = ?", [company_id])
    assert store.company(company_id).needs_review
    app = HrddApp(store=store, bundle=bundle, lang="nl")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(ProfileScreen(company_id, review=True))
        await pilot.pause()
        screen = app.screen
        notice = screen.query_one("#review-notice", Static)
        assert "controleer de nieuwe velden" in str(notice.render())
        assert shown(app, notice)
        hint = str(screen.query_one("#legacy-countries", Static).render())
        assert "Ghana" in hint and "Vietnam" in hint  # the old countries, to make pairs from
        assert app.screen.focused is screen.query_one("#supplies")  # the first new field
        await pilot.press("ctrl+n")  # from the top of the form: the new row is brought into view
        await pilot.pause()
        await pilot.pause()
        assert app.screen.focused is screen.query_one("#src-product-1")
        assert shown(app, screen.query_one("#src-product-1"))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not screen.query("#src-1") and app.screen.focused is screen.query_one("#src-product-0")
        await pilot.press("ctrl+s")
        await pilot.pause()
    company = store.company(company_id)
    assert not company.needs_review
    assert company.profile.sourcing_countries == ["GH", "VN"] and company.profile.sourcing == []
    assert company.profile.imports_non_eu is True


async def test_no_review_notice_for_an_ordinary_edit(store, bundle):
    company_id = store.create_company(Profile(name="Nieuw"))
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        app.push_screen(ProfileScreen(company_id))
        await pilot.pause()
        assert not app.screen.query("#review-notice")
        assert not app.screen.query("#legacy-countries")


async def test_escape_with_changes_typed_warns_before_leaving(store, bundle):
    app = HrddApp(store=store, bundle=bundle, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new(app, pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
        screen = await open_new(app, pilot)
        await type_into(pilot, screen, "name", "Half")
        await pilot.press("escape")  # a stray Escape does not throw away what is typed
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#name", Input).value == "Half"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProfileScreen)
    assert store.companies() == []
