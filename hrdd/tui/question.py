"""One question at a time; every answer is committed to the database when it is given."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    OptionList,
    ProgressBar,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from ..answers import Answer, check_answer
from ..conditions import applicable_questions, first_open_question, tailored
from ..i18n import (
    N_,
    _,
    colon,
    country_names,
    fmt_input_number,
    fmt_number,
    fold,
    match_countries,
    parse_number,
    relocalise_number,
)
from ..models import Option as ChoiceOption
from ..models import Question
from ..report.content import answer_text, option_label, size_note
from ..scoring import step_name
from .base import BaseModal, BaseScreen, Footer


def shown_options(question: Question) -> list[ChoiceOption]:
    """The options in the order they are shown and numbered: lowest score first, best last, for every
    kind of question (equal scores keep the questionnaire's order)."""
    return sorted(question.options, key=lambda o: o.score)


class ChoiceList(OptionList):
    """An option list where Space chooses (or ticks) too, like Enter."""

    BINDINGS = [Binding("space", "select", show=False)]


class QuestionScreen(BaseScreen):
    BINDINGS = [
        Binding("ctrl+n", "next", N_("Next"), id="next", priority=True),
        Binding("ctrl+b", "back", N_("Previous"), id="previous", priority=True, show=False),
        Binding("ctrl+d", "dont_know", N_("Don't know"), id="dont-know", priority=True),
        Binding("ctrl+l", "questions", N_("List"), id="questions", priority=True),
        Binding("escape", "leave", N_("Back"), id="leave"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, assessment_id: int, start_at: str | None = None):
        """Open at the first open question, or at ``start_at`` (a question id) if it applies."""
        super().__init__()
        store = self.hrdd.store
        self.assessment_id = assessment_id
        assessment = store.assessment(assessment_id)
        questionnaire = store.questionnaire(assessment.content_hash)  # the version it was started with
        self.questionnaire = questionnaire
        self.profile = store.company(assessment.company_id).profile
        self.answers: dict[str, Answer] = store.answers(assessment_id)
        first = first_open_question(questionnaire, self.profile, self.answers) \
            or applicable_questions(questionnaire, self.profile, self.answers)[-1]
        chosen = next((x for x in applicable_questions(questionnaire, self.profile, self.answers)
                       if x.id == start_at), None)
        self.current: Question = chosen or first
        self.draft: dict[str, Any] = {}
        """Typed but not yet saved values (number, text, countries, note) of the current question."""

    # --- layout ---------------------------------------------------------------------
    @property
    def questions(self) -> list[Question]:
        return applicable_questions(self.questionnaire, self.profile, self.answers)

    def _texts(self) -> dict[str, Any]:
        """What the fixed parts of the screen say about the current question."""
        lang, q = self.hrdd.lang, self.current
        questions = self.questions
        index = next((i for i, x in enumerate(questions) if x.id == q.id), 0)
        step = colon(_("Step {n}").format(n=q.step)) + " " + _(step_name(self.questionnaire, q.step))
        return {
            "crumbs": f"{self.questionnaire.title.get(lang)} · {step}",
            "position": _("Question {n} of {total}").format(n=index + 1, total=len(questions)),
            "text": q.text.get(lang),
            # the core help, the blocks that fit this company, what is enough for its size
            "help": " ".join(part for part in (tailored(q.help, q.help_if, self.profile, lang),
                                               size_note(q, self.profile, lang)) if part),
            "first": index == 0,
            "next": _("Finish") if index == len(questions) - 1 else _("Next"),
        }

    def _note_value(self) -> str:
        answer = self.answers.get(self.current.id)
        kept = self.hrdd.note_drafts.get((self.assessment_id, self.current.id), "")
        return self.draft.get("note", answer.note if answer and answer.note else kept)

    def compose(self) -> ComposeResult:
        q = self.current
        texts = self._texts()
        answer = self.answers.get(q.id)
        yield Header()
        with VerticalScroll(id="question-screen"):
            yield Static(texts["crumbs"], classes="crumbs", id="crumbs", markup=False)
            with Horizontal(id="progress-row"):
                yield Static(texts["position"], id="position")
                yield ProgressBar(total=len(self.questions), show_eta=False, id="progress")
            yield Static(texts["text"], id="question-text", markup=False)
            help_text = Static(texts["help"], id="help-text", markup=False)
            help_text.display = bool(texts["help"])
            yield help_text
            with Vertical(id="answer"):
                yield Vertical(*self._answer_widgets(q, answer), id=f"answer-{self._answer_kind(q)}",
                               classes="answer-kind")
            yield Checkbox(_("Don't know"), value=bool(answer and answer.dont_know), id="dont-know")
            yield Input(value=self._note_value(),
                        placeholder=_("Note (optional): context, evidence, who follows up"), id="note")
            yield Static("", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Previous"), id="back", disabled=texts["first"])
                yield Button(texts["next"], id="next", variant="primary")
        yield Footer(compact=True)
        self._shown_kind = self._answer_kind(q)

    def on_mount(self) -> None:
        self.after_recompose()

    def after_recompose(self) -> bool:
        """Once the widgets are mounted (here, never from a timer that might fire in the middle of the
        next rebuild): the progress, and the focus on the answer (or where it was before a language switch)."""
        self._refresh_progress()
        if self.restore_focus():
            return True
        self._focus_answer()
        return False

    FIELDS = {"single": "#choice", "multi": "#choices", "number": "#number", "text": "#text",
              "countries": "#country-filter"}
    """The field that takes the answer, per kind of answer widget."""

    def _focus_answer(self) -> None:
        self.query_one(self.FIELDS[self._answer_kind(self.current)]).focus(scroll_visible=False)
        self.query_one("#question-screen").scroll_home(animate=False)  # the question first, then the answers

    @staticmethod
    def _answer_kind(q: Question) -> str:
        """Questions with the same kind of answer are shown in the same widgets (filled anew)."""
        return "single" if q.kind == "yes_no" else q.kind

    async def _fill(self) -> None:
        """Show the current question in the widgets already on screen. Another kind of answer takes
        another answer widget: it is made the first time (then kept, hidden while not needed), so
        nothing is removed from the screen and nothing piles up however many questions are shown."""
        q = self.current
        answer = self.answers.get(q.id)
        texts = self._texts()
        self.query_one("#crumbs", Static).update(texts["crumbs"])
        self.query_one("#position", Static).update(texts["position"])
        self.query_one("#question-text", Static).update(texts["text"])
        help_text = self.query_one("#help-text", Static)
        help_text.update(texts["help"])
        help_text.display = bool(texts["help"])
        with self.prevent(Checkbox.Changed, Input.Changed, TextArea.Changed):
            kind = self._answer_kind(q)
            if kind != self._shown_kind:
                self.query_one(f"#answer-{self._shown_kind}").display = False
                self._shown_kind = kind
                boxes = self.query(f"#answer-{kind}")
                if not boxes:
                    await self.query_one("#answer", Vertical).mount(
                        Vertical(*self._answer_widgets(q, answer), id=f"answer-{kind}", classes="answer-kind"))
                    kind = ""  # filled as it was made
                else:
                    boxes.first().display = True
            if kind:
                self._refill_answer(q, answer)
            self.query_one("#dont-know", Checkbox).value = bool(answer and answer.dont_know)
            note = self.query_one("#note", Input)
            note.value = self._note_value()
            note.cursor_position = len(note.value)
        self.query_one("#error", Static).update("")
        self.query_one("#back", Button).disabled = texts["first"]
        self.query_one("#next", Button).label = texts["next"]
        self._refresh_progress()

    def _refill_answer(self, q: Question, answer: Answer | None) -> None:
        """The answer widget of the previous question, now with this question's options or value."""
        chosen = answer.choices() if answer and not answer.dont_know else []
        if q.kind in ("single", "yes_no", "multi"):
            choice = self.query_one("#choices" if q.kind == "multi" else "#choice", OptionList)
            choice.clear_options()
            choice.add_options(self._choice_options(q, chosen))
            choice.scroll_home(animate=False, immediate=True)
            if q.kind == "multi":
                choice.highlighted = 0
            else:
                choice.highlighted = next((i for i, o in enumerate(shown_options(q)) if o.id in chosen), None)
        elif q.kind == "number":
            number = self.query_one("#number", Input)
            number.value = self._number_value(answer)
            number.cursor_position = len(number.value)
            unit = self.query_one("#number-row .unit", Static)
            unit.update(q.unit.get(self.hrdd.lang) if q.unit else "")
            unit.display = q.unit is not None
        elif q.kind == "text":
            self.query_one("#text", TextArea).load_text(self._text_value(answer))
        elif q.kind == "countries":
            selected = set(chosen)
            self.draft["value"] = sorted(selected)
            self.query_one("#country-filter", Input).value = ""
            self.query_one("#countries-chosen", Static).update(self._countries_summary(selected))
            countries = self.query_one("#countries", SelectionList)
            countries.clear_options()
            countries.add_options(self._country_options(selected, ""))

    def _number_value(self, answer: Answer | None) -> str:
        value = self.draft.get("value")
        if value is None and answer and isinstance(answer.value, (int, float)):
            value = fmt_input_number(answer.value)
        return value or ""

    def _text_value(self, answer: Answer | None) -> str:
        return self.draft.get("value", answer.value if answer and isinstance(answer.value, str) else "")

    def _answer_widgets(self, q: Question, answer: Answer | None) -> Iterator[Widget]:
        lang = self.hrdd.lang
        chosen = answer.choices() if answer and not answer.dont_know else []
        if q.kind in ("single", "yes_no"):
            choice = ChoiceList(*self._choice_options(q, chosen), id="choice")
            if chosen:
                choice.highlighted = next(i for i, o in enumerate(shown_options(q)) if o.id == chosen[0])
            yield choice
        elif q.kind == "multi":
            yield Static(_("Choose all that apply (space to tick)."), classes="muted")
            choices = ChoiceList(*self._choice_options(q, chosen), id="choices")
            choices.highlighted = 0
            yield choices
        elif q.kind == "number":
            unit = Static(q.unit.get(lang) if q.unit else "", classes="unit", markup=False)
            unit.display = q.unit is not None
            yield Horizontal(Input(value=self._number_value(answer), id="number", placeholder=fmt_number(12)),
                             unit, id="number-row")
        elif q.kind == "text":
            yield TextArea(self._text_value(answer), id="text", soft_wrap=True, tab_behavior="focus")
        elif q.kind == "countries":
            selected = set(self.draft.get("value", chosen if answer and not answer.dont_know else []))
            self.draft["value"] = sorted(selected)
            yield Input(placeholder=_("Type a country and press Enter to tick it (Tab: the full list)"),
                        id="country-filter")
            yield Static(self._countries_summary(selected), id="countries-chosen", markup=False)
            yield SelectionList[str](*self._country_options(selected, ""), id="countries")

    def _choice_options(self, q: Question, chosen: list[str]) -> list[Option]:
        """One option per line, wrapped when long, numbered as shown; ● marks the saved answer
        (☒ a ticked one when several can be chosen)."""
        lang = self.hrdd.lang
        marks = ("☒ ", "☐ ") if q.kind == "multi" else ("● ", "○ ")
        return [Option(Content.assemble((marks[0] if o.id in chosen else marks[1], "bold"), f"{n}. ",
                                        option_label(q, o.id, lang)), id=o.id)
                for n, o in enumerate(shown_options(q), start=1)]

    def _mark(self, chosen: list[str]) -> None:
        """Show ``chosen`` as the answer in the option list."""
        choice = self.query_one("#choices" if self.current.kind == "multi" else "#choice", OptionList)
        for option in self._choice_options(self.current, chosen):
            choice.replace_option_prompt(option.id or "", option.prompt)

    def _country_options(self, selected: set[str], search: str) -> list[tuple[str, str, bool]]:
        """Countries whose name contains ``search`` (accents ignored), those starting with it first."""
        wanted = fold(search)
        shown = sorted(country_names().items(), key=lambda kv: (not fold(kv[1]).startswith(wanted), kv[1]))
        return [(name, code, code in selected) for code, name in shown
                if wanted in fold(name) or code in selected]

    def _countries_summary(self, selected: set[str]) -> str:
        names = country_names()
        chosen = ", ".join(sorted(names.get(c, c) for c in selected))
        return colon(_("Chosen")) + " " + (chosen or "–")

    # --- reading and saving -------------------------------------------------------------
    def _note(self) -> str | None:
        text = self.query_one("#note", Input).value.strip()
        return text or None

    def _typed_value(self) -> Any:
        """The value in the answer widget, or None when nothing was given."""
        q = self.current
        if q.kind in ("single", "yes_no"):
            answer = self.answers.get(q.id)
            return answer.value if answer and not answer.dont_know else None
        if q.kind == "multi":
            answer = self.answers.get(q.id)
            return answer.choices() if answer and not answer.dont_know else []
        if q.kind == "number":
            text = self.query_one("#number", Input).value.strip()
            return parse_number(text) if text else None
        if q.kind == "text":
            return self.query_one("#text", TextArea).text.strip() or None
        return list(self.draft.get("value", [])) or None

    def save(self, *, dont_know: bool | None = None) -> bool:
        """Commit the current answer; show what is wrong and return False if it cannot be saved."""
        error = self.query_one("#error", Static)
        dk = self.query_one("#dont-know", Checkbox).value if dont_know is None else dont_know
        try:
            value = None if dk else self._typed_value()
            if not dk and value is None and self.current.kind != "multi":
                raise ValueError(_("Choose an answer, or tick “Don't know”."))
            answer = Answer(question_id=self.current.id, value=value, dont_know=dk, note=self._note())
            check_answer(self.current, answer)
        except ValueError as exc:
            self.show_error(str(exc))
            return False
        stored = self.answers.get(self.current.id)
        if stored is None or (stored.value, stored.dont_know, stored.note) != (answer.value, dk, answer.note):
            # a choice is saved when it is made: moving on commits it again only if something changed
            self.hrdd.store.save_answer(self.assessment_id, answer)
            self.answers[self.current.id] = answer
        self.hrdd.note_drafts.pop((self.assessment_id, self.current.id), None)
        self.hrdd.quit_warned = False
        error.update("")
        return True

    def show_error(self, message: str) -> None:
        """Say what is wrong where the eye is: a toast, and under the answer (kept until corrected)."""
        self.query_one("#error", Static).update(message)
        self.notify(message, severity="error", markup=False)

    # --- events ---------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self._stale(event):
            return
        self.choose(event.option.id or "")

    @on(OptionList.OptionSelected, "#choices")
    def _ticked(self, event: OptionList.OptionSelected) -> None:
        if self._stale(event):
            return
        self.toggle(event.option.id or "")

    def toggle(self, option_id: str) -> None:
        """Tick or untick ``option_id`` of a multiple-choice question; saved at once."""
        stored = self.answers.get(self.current.id)
        ticked = set(stored.choices()) if stored and not stored.dont_know else set()
        ticked ^= {option_id}
        self._untick_dont_know()
        answer = Answer(question_id=self.current.id, value=[o.id for o in self.current.options if o.id in ticked],
                        note=self._note())
        check_answer(self.current, answer)
        self.hrdd.store.save_answer(self.assessment_id, answer)
        self.answers[self.current.id] = answer
        self.hrdd.note_drafts.pop((self.assessment_id, self.current.id), None)
        self.query_one("#error", Static).update("")
        self._mark(answer.choices())
        self._refresh_progress()

    def choose(self, option_id: str) -> None:
        """Save ``option_id`` as the answer at once and mark it on screen."""
        self._untick_dont_know()
        answer = Answer(question_id=self.current.id, value=option_id, note=self._note())
        check_answer(self.current, answer)
        self.hrdd.store.save_answer(self.assessment_id, answer)
        self.answers[self.current.id] = answer
        self.hrdd.note_drafts.pop((self.assessment_id, self.current.id), None)
        self.query_one("#error", Static).update("")
        self._mark([option_id])
        self._refresh_progress()

    def _untick_dont_know(self) -> None:
        box = self.query_one("#dont-know", Checkbox)
        if box.value:
            with self.prevent(Checkbox.Changed):
                box.value = False

    @on(SelectionList.SelectionToggled, "#countries")
    def _country_ticked(self, event: SelectionList.SelectionToggled) -> None:
        if self._stale(event):
            return
        selected = set(self.draft.get("value", []))
        selected ^= {event.selection.value}
        self.draft["value"] = sorted(selected)
        self.query_one("#countries-chosen", Static).update(self._countries_summary(selected))

    @on(Input.Submitted, "#country-filter")
    def _tick_first_match(self, event: Input.Submitted) -> None:
        """Enter ticks (or unticks) the first country that matches what was typed."""
        if self._stale(event):
            return
        countries = self.query_one("#countries", SelectionList)
        selected = set(self.draft.get("value", []))
        exact, _unknown = match_countries(event.value)  # a name in nl, fr or en, or an ISO code
        starts = [code for name, code, _t in self._country_options(set(), event.value)
                  if fold(name).startswith(fold(event.value))]
        matches = exact or starts[:1]
        if not matches or not event.value.strip():
            self.show_error(_("No country matches “{text}”.").format(text=event.value))
            return
        self.query_one("#error", Static).update("")
        selected ^= set(matches)
        self.draft["value"] = sorted(selected)
        self.query_one("#countries-chosen", Static).update(self._countries_summary(selected))
        event.input.value = ""
        countries.clear_options()
        countries.add_options(self._country_options(selected, ""))

    @on(Input.Changed, "#country-filter")
    def _filter_countries(self, event: Input.Changed) -> None:
        if self._stale(event):
            return
        countries = self.query_one("#countries", SelectionList)
        countries.clear_options()
        countries.add_options(self._country_options(set(self.draft.get("value", [])), event.value))

    @on(Input.Changed, "#number")
    def _number_typed(self, event: Input.Changed) -> None:
        if self._stale(event):
            return
        self.draft["value"] = event.value

    @on(TextArea.Changed, "#text")
    def _text_typed(self, event: TextArea.Changed) -> None:
        if self._stale(event):
            return
        self.draft["value"] = event.text_area.text

    @on(Input.Changed, "#note")
    def _note_typed(self, event: Input.Changed) -> None:
        if self._stale(event):
            return
        self.draft["note"] = event.value

    @on(Checkbox.Changed, "#dont-know")
    def _dont_know_changed(self, event: Checkbox.Changed) -> None:
        if self._stale(event):
            return
        stored = self.answers.get(self.current.id)
        if event.value:
            self.save(dont_know=True)
            if self.current.kind in ("single", "yes_no", "multi"):  # the earlier choice no longer stands
                self._mark([])
        elif stored is not None and stored.dont_know:
            # "don't know" withdrawn: the question is open again until it gets an answer
            self.hrdd.store.delete_answer(self.assessment_id, self.current.id)
            del self.answers[self.current.id]
        self._refresh_progress()

    @on(Input.Submitted, "#note, #number")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._stale(event):
            return
        self.run_worker(self.action_next())

    @staticmethod
    def _stale(event: Message) -> bool:
        """A message from a field as it was for a question no longer shown (it arrived after the screen
        moved on to another question): acting on it would change the question now shown.

        The fields stay on screen from one question to the next (only their content changes), so a
        message is stale when its field is gone, or no longer holds what the message carries."""
        control = getattr(event, "control", None)
        if control is None:
            return False
        if not control.is_attached:
            return True
        if isinstance(event, (Input.Changed, Input.Submitted)):
            return event.value != event.input.value
        if isinstance(event, Checkbox.Changed):
            return event.value != event.checkbox.value
        if isinstance(event, OptionList.OptionSelected):
            options = event.option_list.options
            return not (0 <= event.option_index < len(options) and options[event.option_index] is event.option)
        if isinstance(event, SelectionList.SelectionToggled):
            selections = event.selection_list.options
            return not (0 <= event.selection_index < len(selections)
                        and selections[event.selection_index] is event.selection)
        return False

    def _refresh_progress(self) -> None:
        answered = sum(1 for x in self.questions if x.id in self.answers)
        self.query_one("#progress", ProgressBar).update(total=len(self.questions), progress=answered)

    # --- actions ----------------------------------------------------------------------------
    def action_pick(self, n: int) -> None:
        """Number key ``n``: the option numbered ``n`` on screen."""
        q = self.current
        options = shown_options(q)
        if n > len(options) or q.kind not in ("single", "yes_no", "multi"):
            return
        self.query_one("#choices" if q.kind == "multi" else "#choice", OptionList).highlighted = n - 1
        if q.kind == "multi":
            self.toggle(options[n - 1].id)
        else:
            self.choose(options[n - 1].id)

    async def action_dont_know(self) -> None:
        box = self.query_one("#dont-know", Checkbox)
        box.value = not box.value

    async def _show(self, question: Question) -> None:
        self.current = question
        self.draft = {}
        with self.app.batch_update():
            await self._fill()
            self._focus_answer()

    async def action_next(self) -> None:
        if not self.save():
            return
        questions = self.questions
        index = next(i for i, x in enumerate(questions) if x.id == self.current.id)
        if index + 1 < len(questions):
            await self._show(questions[index + 1])
            return
        open_question = first_open_question(self.questionnaire, self.profile, self.answers)
        if open_question is not None:
            self.notify(_("Some questions are still open: here is the first one."))
            await self._show(open_question)
            return
        from .results import ResultsScreen

        self.hrdd.store.set_completed(self.assessment_id)
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if isinstance(below, ResultsScreen) and below.assessment_id == self.assessment_id:
            self.app.pop_screen()  # reviewed from the results: back to them (they show the new state)
        else:
            self.app.switch_screen(ResultsScreen(self.assessment_id))

    def save_if_given(self) -> bool:
        """Before leaving the question: save what was typed or changed. False if it cannot be saved
        (the error is shown and the person stays on the question).

        The widgets are read here, not the messages they sent, which may still be on their way."""
        stored = self.answers.get(self.current.id)
        note = self._note()
        note_changed = note != (stored.note if stored else None)
        if self.current.kind in ("single", "yes_no", "multi"):
            given = False  # a choice is saved the moment it is made
        else:
            try:
                given = self._typed_value() not in (None, [])
            except ValueError:
                given = True  # an invalid number: save() shows why
        dont_know = self.query_one("#dont-know", Checkbox).value and not (stored and stored.dont_know)
        if stored is None and not given and not dont_know:
            # a note needs an answer to be stored: keep it for this session and say so
            key = (self.assessment_id, self.current.id)
            if note:
                self.hrdd.note_drafts[key] = note
                self.notify(_("Your note is kept until you choose an answer; it is not saved yet."))
            else:
                self.hrdd.note_drafts.pop(key, None)
            return True
        if given or dont_know or note_changed:
            return self.save()
        return True

    async def action_questions(self) -> None:
        """Jump to any question of the assessment, from a list with the answers given."""
        if not self.save_if_given():
            return

        def go(question_id: str | None) -> None:
            question = next((x for x in self.questions if x.id == question_id), None)
            if question is not None and question.id != self.current.id:
                self.call_later(self._show, question)

        self.app.push_screen(QuestionListScreen(self.assessment_id, self.current.id), go)

    async def action_back(self) -> None:
        questions = self.questions
        index = next((i for i, x in enumerate(questions) if x.id == self.current.id), 0)
        if index > 0 and self.save_if_given():
            await self._show(questions[index - 1])

    def action_leave(self) -> None:
        if self.save_if_given():
            self.app.pop_screen()

    def on_language_changed(self, old: str, new: str) -> None:
        """What is typed survives the rebuild (read from the fields themselves); a number typed the old
        language's way is shown the new language's way."""
        self.draft["note"] = self.query_one("#note", Input).value
        if self.current.kind == "number":
            self.draft["value"] = relocalise_number(self.query_one("#number", Input).value, old, new)
        elif self.current.kind == "text":
            self.draft["value"] = self.query_one("#text", TextArea).text

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_back()


class QuestionListScreen(BaseModal):
    """Every applicable question of an assessment with its answer; Enter opens one."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="close")]

    def __init__(self, assessment_id: int, current: str | None = None):
        super().__init__()
        self.assessment_id = assessment_id
        self.current = current

    def compose(self) -> ComposeResult:
        store, lang = self.app.store, self.app.lang  # type: ignore[attr-defined]
        assessment = store.assessment(self.assessment_id)
        questionnaire = store.questionnaire(assessment.content_hash)
        profile = store.company(assessment.company_id).profile
        answers = store.answers(self.assessment_id)
        questions = applicable_questions(questionnaire, profile, answers)
        options = []
        for n, q in enumerate(questions, start=1):
            answer = answers.get(q.id)
            shown = answer_text(q, answer, lang)
            options.append(Option(Content.assemble(f"{n}. ", q.text.get(lang), "\n",
                                                   ("   → " + shown, "italic" if answer is None else "dim")),
                                  id=q.id))
        with Vertical(id="question-list-dialog"):
            yield Static(_("Questions"), classes="title")
            yield Static(_("Choose a question and press Enter to see or change its answer; Esc closes this "
                           "list."), classes="muted")
            choice = ChoiceList(*options, id="question-list")
            choice.highlighted = next((i for i, q in enumerate(questions) if q.id == self.current), 0)
            yield choice

    def on_mount(self) -> None:
        self.query_one("#question-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#question-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
