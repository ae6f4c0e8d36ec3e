"""Scores, red flags and the first actions; the PDF is written from here."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Static

from ..conditions import tailored
from ..i18n import LANGUAGE_NAMES, N_, _, ascii_fold, colon, fmt_date, ngettext
from ..paths import reports_dir
from ..radar import risk_flags
from ..report import ReportContent, default_report_name, render_pdf, report_content
from ..scoring import CAP_REASON, LEVEL_NAMES, SEVERITY_NAMES, fitting_resources, prioritise, score_module, step_name
from .base import BaseScreen, Footer

TOP_ACTIONS = 5


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, created empty so no other writer takes it; "-2", "-3" … before the extension
    when a file of that name is already there (an earlier report is never overwritten)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 10_000):
        path = folder / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            path.open("xb").close()
        except FileExistsError:
            continue
        return path
    raise FileExistsError(folder / name)


def bar(score: int | None, width: int = 20) -> str:
    """A score as a text bar: ``████████░░░░`` (readable without colour)."""
    if score is None:
        return "·" * width
    filled = round(width * score / 100)
    return "█" * filled + "░" * (width - filled)


class ResultsScreen(BaseScreen):
    BINDINGS = [
        Binding("p", "pdf", N_("Write PDF"), id="pdf"),
        Binding("q", "questions", N_("Questions"), id="questions"),
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def __init__(self, assessment_id: int):
        super().__init__()
        self.assessment_id = assessment_id
        self.written: str | None = None

    def compose(self) -> ComposeResult:
        store, bundle, lang = self.hrdd.store, self.hrdd.bundle, self.hrdd.lang
        assessment = store.assessment(self.assessment_id)
        questionnaire = store.questionnaire(assessment.content_hash)
        profile = store.company(assessment.company_id).profile
        result = score_module(questionnaire, profile, store.answers(self.assessment_id))
        yield Header()
        with VerticalScroll(id="results"):
            yield Static(f"{profile.name} · {questionnaire.title.get(lang)}", classes="title", markup=False)
            score_text = "–" if result.score is None else f"{result.score}/100"
            overall = "–" if result.level is None else f"{score_text} · {_(LEVEL_NAMES[result.level])}"
            overall_label = colon(_("Overall score"))
            yield Static(f"{overall_label} {overall}", id="overall", markup=False)
            if result.capped:
                yield Static("⚠ " + _(CAP_REASON).format(n=len(result.cap_flags)), id="cap-note", markup=False,
                             classes="flag-title")
            yield Static(_("{answered} of {applicable} applicable questions answered").format(
                answered=result.answered, applicable=result.applicable), classes="muted")
            history = store.assessments(assessment.company_id, assessment.questionnaire_id)
            earlier = next((a for a in history[history.index(assessment) + 1:] if a.completed), None)
            before: dict[int, int | None] = {}
            if earlier is not None:
                previous = score_module(store.questionnaire(earlier.content_hash), profile, store.answers(earlier.id))
                before = {s.step: s.score for s in previous.steps}
                when = fmt_date(datetime.fromisoformat(earlier.completed or earlier.started), form="medium")
                yield Static(_("Compared with the assessment of {date}.").format(date=when), classes="muted")
            with Vertical(classes="card", id="steps"):
                for s in result.steps:
                    score = "–" if s.score is None else f"{s.score:>3}"
                    change = ""
                    if earlier is not None and s.score is not None:
                        old = before.get(s.step)
                        change = _("new") if old is None else (f"{s.score - old:+d}" if s.score != old else "=")
                    yield Static(f"{bar(s.score)} {score:>3} {change:>4}  {s.step}. "
                                 f"{_(step_name(questionnaire, s.step))}", classes="step-row", markup=False)
            yield Static(_("Red flags"), classes="section")
            if not result.red_flags:
                yield Static(_("No red flags were raised."), classes="muted")
            for f in result.red_flags:
                with Vertical(classes="card flag"):
                    yield Static(f"⚠ {colon(_(SEVERITY_NAMES[f.severity]))} {f.finding.get(lang)}", markup=False,
                                 classes="flag-title")
                    yield Static(tailored(f.action, f.action_if, profile, lang), markup=False)
            if result.knowledge_gaps:
                n = len(result.knowledge_gaps)
                yield Static(ngettext("You answered “don't know” to {n} question: finding out is a first action.",
                                      "You answered “don't know” to {n} questions: finding out is a first action.",
                                      n).format(n=n), classes="muted")
            yield Static(_("First actions"), classes="section")
            if result.answered == 0:
                yield Static(_("No answers yet: resume the questionnaire to see your actions."), classes="muted")
            elif not result.actions:
                yield Static(_("No actions: every answer is at the best level."), classes="muted")
            radar = {f.kind for f in risk_flags(profile, bundle.reference)} if bundle.reference else set()
            for n, a in enumerate(prioritise(result.actions, profile, radar)[:TOP_ACTIONS], start=1):
                resources = fitting_resources(a.resources, bundle.catalogue, profile)
                with Vertical(classes="card action"):
                    yield Static(f"{n}. {tailored(a.text, a.text_if, profile, lang)}", markup=False)
                    if resources:
                        yield Static(colon(_("Who can help")) + " " + ", ".join(
                            f"{r.name.get(lang)} ({r.urls.get(lang)})" for r in resources),
                            classes="muted", markup=False)
            yield Static(_("Write the PDF report"), classes="section")
            with Horizontal(classes="buttons", id="pdf-buttons"):
                for code, name in LANGUAGE_NAMES.items():
                    yield Button(f"PDF · {name}", id=f"pdf-{code}", variant="primary" if code == lang else "default")
            with Horizontal(classes="buttons"):
                yield Button(_("Questions"), id="questions")
                yield Button(_("Back"), id="back")
            yield Static(_("Report written to {path}").format(path=self.written) if self.written else "",
                         id="written", markup=False)
        yield Footer(compact=True)

    @on(Button.Pressed, "#pdf-buttons Button")
    def _pdf_pressed(self, event: Button.Pressed) -> None:
        self.write_pdf((event.button.id or "").removeprefix("pdf-"))

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#questions")
    def _questions_pressed(self) -> None:
        self.action_questions()

    def action_pdf(self) -> None:
        self.write_pdf(self.hrdd.lang)

    def write_pdf(self, lang: str) -> None:
        """Read the data here (the database belongs to this thread), lay out the PDF in a worker.
        Whatever goes wrong is said in the app; the app stays open."""
        store = self.hrdd.store
        try:
            assessment = store.assessment(self.assessment_id)
            # a completed assessment is its module's latest: report the whole company; otherwise this one alone
            content = report_content(store, self.hrdd.bundle, assessment.company_id, lang,
                                     assessment_id=None if assessment.completed else self.assessment_id)
        except Exception as exc:  # noqa: BLE001 - reported in the app, never a crash
            self._failed(exc)
            return
        self.notify(_("Writing the PDF report…"), timeout=3)
        self._build_pdf(content, reports_dir(), default_report_name(ascii_fold(content.company), lang, date.today()))

    @work(thread=True, exit_on_error=False, group="pdf")
    def _build_pdf(self, content: ReportContent, folder: Path, name: str) -> None:
        path: Path | None = None
        try:
            path = free_path(folder, name)
            written = render_pdf(content, path)
        except Exception as exc:  # noqa: BLE001 - any failure is reported in the app, which stays open
            if path is not None and path.exists() and path.stat().st_size == 0:
                path.unlink(missing_ok=True)  # the name reserved for it is freed again
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._written, str(written))

    def _failed(self, exc: Exception) -> None:
        self.notify(colon(_("The PDF report could not be written")) + f" {exc}", severity="error", timeout=15,
                    markup=False)

    def _written(self, path: str) -> None:
        self.written = path
        if self.is_attached:
            self.query_one("#written", Static).update(_("Report written to {path}").format(path=path))
        self.notify(_("Report written to {path}").format(path=path), timeout=8, markup=False)

    def action_questions(self) -> None:
        """Pick one question of the assessment to see or change its answer."""
        from .question import QuestionListScreen, QuestionScreen

        def go(question_id: str | None) -> None:
            if question_id:
                self.app.push_screen(QuestionScreen(self.assessment_id, start_at=question_id))

        self.app.push_screen(QuestionListScreen(self.assessment_id), go)

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        """Back from a question: show the new scores."""
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh(recompose=True)

    def action_back(self) -> None:
        self.app.pop_screen()
