"""One company: its profile, and its modules to start, resume or review."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Static

from ..conditions import applicable_questions, applies
from ..i18n import N_, _, colon, country_names, fmt_date
from ..models import Profile, Questionnaire
from ..profile import describe_profile, product_names
from ..radar import legal_radar, risk_flags
from ..report.content import HOW, RISK_KINDS, risk_detail, source_line
from ..scoring import LEVEL_NAMES, score_module
from .base import BaseScreen, Footer


class CompanyScreen(BaseScreen):
    BINDINGS = [
        Binding("e", "edit_profile", N_("Profile"), id="edit-profile"),
        Binding("c", "commentary", N_("Commentary"), id="commentary", show=False),  # a button on screen
        Binding("a", "archive", N_("Archive"), id="archive"),
        Binding("p", "action_plan", N_("Plan"), id="action-plan"),
        Binding("escape", "back", N_("Back"), id="back"),
        *[Binding(str(n), f"module({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, company_id: int):
        super().__init__()
        self.company_id = company_id
        self.archived = False

    def compose(self) -> ComposeResult:
        store, bundle, lang = self.hrdd.store, self.hrdd.bundle, self.hrdd.lang
        company = store.company(self.company_id)
        self.archived = company.archived
        self.refresh_bindings()
        yield Header()
        with VerticalScroll(id="company"):
            yield Static(company.profile.name, classes="title", markup=False)
            yield Static(_("Modules"), classes="section")
            yield Static(_("Press a module's number to start it, resume it or see its results."), classes="muted")
            for n, q in enumerate(self.modules(), start=1):
                latest = next(iter(store.assessments(self.company_id, q.id)), None)
                with Vertical(classes="card module"):
                    pack = bundle.packs.get(q.id)
                    origin = "  (" + _("pack {id} {version}").format(id=pack[0], version=pack[1]) + ")" if pack else ""
                    yield Static(f"{n} │ {q.title.get(lang)}{origin}", classes="module-title", markup=False)
                    with Horizontal(classes="buttons"):
                        if latest is None:
                            yield Static(_("Not started"), classes="status")
                            yield Button(_("Start"), id=f"start-{q.id}", variant="primary")
                        else:
                            answers = store.answers(latest.id)
                            version = store.questionnaire(latest.content_hash)
                            asked = applicable_questions(version, company.profile, answers)
                            total, done = len(asked), sum(1 for x in asked if x.id in answers)
                            status = _("Completed") if latest.completed else _("In progress")
                            result = score_module(version, company.profile, answers)
                            scored = "" if result.score is None else f" · {result.score}/100"
                            if result.capped:  # an open critical or high red flag: say so, not only the score
                                scored += f" · ⚠ {_(LEVEL_NAMES[result.level or 'urgent'])}"
                            yield Static(f"{status} · {done}/{total}{scored}", classes="status")
                            if not latest.completed:
                                yield Button(_("Resume"), id=f"resume-{latest.id}", variant="primary")
                            yield Button(_("Results"), id=f"results-{latest.id}",
                                         variant="primary" if latest.completed else "default")
                            if latest.completed:
                                yield Button(_("New assessment"), id=f"start-{q.id}")
                    yield Static(q.description.get(lang), classes="muted", markup=False)
                    yield from self._history(q.id)
            yield from self._radar(company.profile)
            yield Static(_("Company profile"), classes="section")
            with Vertical(classes="card"):
                for label, value in describe_profile(company.profile, lang, bundle.reference):
                    yield Static(f"{colon(label)} {value}", markup=False, classes="profile-line")
            if company.commentary:
                yield Static(_("Adviser's commentary"), classes="section")
                yield Static(company.commentary, markup=False, classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(_("Edit profile"), id="edit-profile")
                yield Button(_("Commentary"), id="commentary")
                yield Button(_("Restore") if company.archived else _("Archive"), id="archive")
                yield Button(_("Back"), id="back")
        yield Footer(compact=True)

    def describe_binding(self, binding: Binding) -> str:
        """The footer says Restore for an archived company."""
        if binding.id == "archive" and self.archived:
            return N_("Restore")
        return binding.description

    def modules(self) -> list[Questionnaire]:
        """The modules that apply to the company, in the order shown and numbered."""
        profile = self.hrdd.store.company(self.company_id).profile
        return [q for q in self.hrdd.bundle.questionnaires if applies(q, profile)]

    def action_module(self, n: int) -> None:
        """Key ``n``: module ``n`` as listed: resume it, see its results when completed, or start it."""
        modules = self.modules()
        if not 1 <= n <= len(modules):
            return
        q = modules[n - 1]
        latest = next(iter(self.hrdd.store.assessments(self.company_id, q.id)), None)
        if latest is None:
            self.start(q.id)
        elif latest.completed:
            self._open(f"results-{latest.id}")
        else:
            self._open(f"resume-{latest.id}")

    def _history(self, questionnaire_id: str) -> ComposeResult:
        """Earlier assessments of this module, with their scores: progress over time."""
        store, company = self.hrdd.store, self.hrdd.store.company(self.company_id)
        history = store.assessments(self.company_id, questionnaire_id)
        if len(history) < 2:
            return
        yield Static(_("History"), classes="module-title")
        for a in history:
            q = store.questionnaire(a.content_hash)
            result = score_module(q, company.profile, store.answers(a.id))
            when = fmt_date(datetime.fromisoformat(a.completed or a.started), form="medium")
            status = _("Completed") if a.completed else _("In progress")
            score = "–" if result.score is None else f"{result.score}/100"
            yield Static(f"{when} · {status} · {score} · {q.version}", markup=False, classes="history-row")

    def _radar(self, profile: Profile) -> ComposeResult:
        """Risk flags for the company's products and countries, and the rules that may concern it."""
        reference, lang = self.hrdd.bundle.reference, self.hrdd.lang
        if reference is None:
            return
        flags = risk_flags(profile, reference)
        yield Static(_("Risk radar: products and countries of origin"), classes="section")
        if not flags:
            yield Static(_("No match between your products and sourcing countries and the lists used.")
                         if profile.sourcing else
                         _("Add the products you buy and their countries of origin to the profile to see known "
                           "risks."), classes="muted")
        names = country_names()
        for f in flags:
            product = product_names([f.product], reference, lang)[0]
            where = colon(f"{product} · {names.get(f.country, f.country)}")
            detail = risk_detail(f, lang)
            component = " · " + _("a component: ask your suppliers for their CMRT") if f.component else ""
            yield Static(f"⚠ {where} {_(RISK_KINDS[f.kind])}" + (f" ({detail})" if detail else "") + component,
                         markup=False, classes="risk-row")
        sources = sorted({source_line(f, lang) for f in flags})
        if sources:
            yield Static(colon(_("Source")) + " " + "; ".join(sources), markup=False, classes="muted")
        yield Static(_("Legal radar: rules that may concern you"), classes="section")
        hits = legal_radar(profile, reference)
        if not hits:
            yield Static(_("None of the rules in hrdd's legal radar seems to concern you on the basis of "
                           "your profile."), classes="muted")
        for hit in hits:
            meaning = hit.rule.direct if hit.how == "direct" else hit.rule.via_customers
            how = colon(_(HOW[hit.how]))
            yield Static(f"§ {hit.rule.name.get(lang)} — {how} {meaning.get(lang)}", markup=False,
                         classes="legal-row")

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_mount(self) -> None:
        """A company created before the profile asked how it works: ask the new fields first."""
        if self.hrdd.store.company(self.company_id).needs_review:
            from .profile import ProfileScreen

            self.app.push_screen(ProfileScreen(self.company_id, review=True))

    def on_screen_resume(self) -> None:
        """Back from the questionnaire or the profile: show the new state."""
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh(recompose=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self._open(event.button.id or "")

    def start(self, questionnaire_id: str, confirmed: bool = False) -> None:
        """Start a module; a new assessment of a completed one is asked for first."""
        from .base import ConfirmScreen
        from .question import QuestionScreen

        store, bundle = self.hrdd.store, self.hrdd.bundle
        q = bundle.questionnaire(questionnaire_id)
        assert q is not None
        earlier = next((a for a in store.assessments(self.company_id, q.id) if a.completed), None)
        if earlier is not None and not confirmed:
            title = q.title.get  # asked again in the new language after a switch
            self.app.push_screen(
                ConfirmScreen(lambda: _("Start a new assessment of “{module}”? The completed one stays in the "
                                        "history; its answers are carried over where the questions did not "
                                        "change.").format(module=title(self.hrdd.lang))),
                lambda yes: self.start(questionnaire_id, confirmed=True) if yes else None)
            return
        assessment_id = store.start_assessment(self.company_id, q, self.hrdd.lang, pack=bundle.packs.get(q.id))
        if earlier is not None:
            copied, changed = store.carry_over(earlier.id, assessment_id)
            self.notify(_("{copied} answers carried over from your previous assessment; {changed} changed "
                          "questions to answer again. Use Previous to review them.").format(
                              copied=len(copied), changed=len(changed)), timeout=10)
        self.app.push_screen(QuestionScreen(assessment_id))

    def _open(self, button: str) -> None:
        from .question import QuestionScreen
        from .results import ResultsScreen

        if button.startswith("start-"):
            self.start(button.removeprefix("start-"))
        elif button.startswith("resume-"):
            self.app.push_screen(QuestionScreen(int(button.removeprefix("resume-"))))
        elif button.startswith("results-"):
            self.app.push_screen(ResultsScreen(int(button.removeprefix("results-"))))
        elif button == "edit-profile":
            self.action_edit_profile()
        elif button == "commentary":
            self.action_commentary()
        elif button == "archive":
            self.action_archive()
        elif button == "back":
            self.action_back()

    def action_archive(self) -> None:
        """Archive the company (hidden from the list), or restore an archived one."""
        store = self.hrdd.store
        company = store.company(self.company_id)
        store.set_archived(self.company_id, not company.archived)
        self.notify(_("Archived: hidden from the list until you show archived companies.")
                    if not company.archived else _("Restored to the list of companies."))
        self.refresh(recompose=True)

    def action_commentary(self) -> None:
        from .commentary import CommentaryScreen

        def refreshed(_: object) -> None:
            self.refresh(recompose=True)

        self.app.push_screen(CommentaryScreen(self.company_id), refreshed)

    def action_action_plan(self) -> None:
        from .actions import ActionPlanScreen

        self.app.push_screen(ActionPlanScreen(self.company_id))

    def action_edit_profile(self) -> None:
        from .profile import ProfileScreen

        self.app.push_screen(ProfileScreen(self.company_id))

    def action_back(self) -> None:
        self.app.pop_screen()
