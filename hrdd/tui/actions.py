"""A company's action plan: who does what by when, and how far it is. Keyboard-first, fits 80×24.

The list shows every action in plan order with its status mark (☐ to do, ◐ in progress,
☑ done, – not applicable). On the list, T, P, D and N set the status of the highlighted
action; Enter goes to its fields (owner, due date, status, note) and Esc back to the list.
Everything is saved the moment it is typed or chosen.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from ..actions import STATUS_MARKS, STATUS_NAMES, STATUSES, Tracking, company_plan, parse_due
from ..i18n import N_, _, colon, fmt_date
from ..report.content import ActionRow
from .base import BaseScreen, Footer


class ActionPlanScreen(BaseScreen):
    """The action plan of one company, with owner, due date, status and note per action."""

    DEFAULT_CSS = """
    ActionPlanScreen #plan-title { text-style: bold; color: $accent; height: 1; }
    ActionPlanScreen #plan { height: 1fr; min-height: 5; }
    ActionPlanScreen #plan-detail { height: auto; border-top: solid $panel-lighten-2; }
    ActionPlanScreen #plan-text { height: 3; color: $text; }
    ActionPlanScreen .plan-line { height: 1; }
    ActionPlanScreen .plan-line Label { width: auto; min-width: 12; padding: 0 1 0 0; color: $text-muted; }
    ActionPlanScreen #plan-owner { width: 1fr; }
    ActionPlanScreen #plan-due { width: 14; margin: 0 2 0 0; }
    ActionPlanScreen #plan-status { width: 1fr; }
    ActionPlanScreen #plan-note { width: 1fr; }
    ActionPlanScreen #plan-error { color: $error; height: 1; }
    """

    BINDINGS = [
        Binding("t", "status('todo')", N_("To do"), id="status-todo"),
        Binding("p", "status('in_progress')", N_("In progress"), id="status-in-progress"),
        Binding("d", "status('done')", N_("Done"), id="status-done"),
        Binding("n", "status('not_applicable')", N_("Not applicable"), id="status-not-applicable"),
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def __init__(self, company_id: int):
        super().__init__()
        self.company_id = company_id
        self.rows: list[ActionRow] = []
        self.tracking: dict[str, Tracking] = {}
        self.current: str | None = None
        """The key of the action shown in the fields."""
        self._filling = False

    def compose(self) -> ComposeResult:
        store = self.hrdd.store
        company = store.company(self.company_id)
        self.rows = company_plan(store, self.hrdd.bundle, self.company_id, self.hrdd.lang, tracked=False)
        self.tracking = store.action_tracking(self.company_id)
        yield Header()
        title = _("Action plan")
        yield Static(f"{title} · {company.profile.name}", id="plan-title", markup=False)
        if not self.rows:
            yield Static(_("No actions yet: answer a module first."), classes="muted")
            yield Footer(compact=True)
            return
        table: DataTable[str] = DataTable(id="plan", cursor_type="row", zebra_stripes=True)
        table.add_column("#", key="number")
        table.add_column(" ", key="status")
        table.add_column(_("What to do"), key="action", width=34)
        table.add_column(_("Owner"), key="owner", width=16)
        table.add_column(_("Due date"), key="due", width=14)
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.key)
        yield table
        with Vertical(id="plan-detail"):
            yield Static("", id="plan-text", markup=False)
            with Horizontal(classes="plan-line"):
                yield Label(colon(_("Owner")))
                yield Input(id="plan-owner", compact=True)
            with Horizontal(classes="plan-line"):
                yield Label(colon(_("Due date")))
                yield Input(id="plan-due", compact=True, placeholder="2027-03-31")
                yield Label(colon(_("Status")))
                yield Select([(f"{STATUS_MARKS[s]} {_(STATUS_NAMES[s])}", s) for s in STATUSES], id="plan-status",
                             allow_blank=False, value="todo", compact=True)
            with Horizontal(classes="plan-line"):
                yield Label(colon(_("Note")))
                yield Input(id="plan-note", compact=True)
            yield Static("", id="plan-error", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.rows:
            self.query_one("#plan", DataTable).focus()
            self._show(self.rows[0].key)

    # what is shown -----------------------------------------------------------------
    def _row(self, key: str) -> ActionRow:
        return next(r for r in self.rows if r.key == key)

    def _cells(self, row: ActionRow) -> tuple[str, str, str, str, str]:
        tracked = self.tracking.get(row.key)
        status = tracked.status if tracked else "todo"
        owner = tracked.owner if tracked and tracked.owner else f"({row.role})"
        due = tracked.due if tracked and tracked.due else row.due_on
        return (str(row.number), STATUS_MARKS[status], row.action, owner,
                due.isoformat() if isinstance(due, date) else "")

    def _refresh_row(self, key: str) -> None:
        table = self.query_one("#plan", DataTable)
        for column, value in zip(("number", "status", "action", "owner", "due"), self._cells(self._row(key))):
            table.update_cell(key, column, value)

    def _show(self, key: str) -> None:
        """Fill the fields with the action ``key``."""
        row, tracked = self._row(key), self.tracking.get(key)
        self.current = key
        self._filling = True
        try:
            why = colon(_("Why"))
            self.query_one("#plan-text", Static).update(f"{row.number}. {row.action}\n{why} {row.why}")
            owner = self.query_one("#plan-owner", Input)
            owner.value, owner.placeholder = (tracked.owner or "") if tracked else "", row.role
            due = self.query_one("#plan-due", Input)
            due.value = tracked.due.isoformat() if tracked and tracked.due else ""
            due.placeholder = row.due_on.isoformat() if row.due_on else "2027-03-31"
            self.query_one("#plan-note", Input).value = (tracked.note or "") if tracked else ""
            self.query_one("#plan-status", Select).value = tracked.status if tracked else "todo"
            self.query_one("#plan-error", Static).update("")
        finally:
            self.call_after_refresh(self._filled)

    def _filled(self) -> None:
        self._filling = False

    @on(DataTable.RowHighlighted, "#plan")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show(event.row_key.value)

    @on(DataTable.RowSelected, "#plan")
    def _selected(self) -> None:
        self.query_one("#plan-owner", Input).focus()

    # saved at once ---------------------------------------------------------------
    def _save(self, **fields: object) -> None:
        if self.current is None or self._filling:
            return
        self.tracking[self.current] = self.hrdd.store.track_action(self.company_id, self.current, **fields)
        self._refresh_row(self.current)

    @on(Input.Changed, "#plan-owner")
    def _owner(self, event: Input.Changed) -> None:
        self._save(owner=event.value)

    @on(Input.Changed, "#plan-note")
    def _note(self, event: Input.Changed) -> None:
        self._save(note=event.value)

    @on(Input.Changed, "#plan-due")
    def _due(self, event: Input.Changed) -> None:
        if self._filling:
            return
        error = self.query_one("#plan-error", Static)
        try:
            due = parse_due(event.value)
        except ValueError:
            error.update(_("Not a date yet: write it as 2027-03-31 or 31/03/2027."))
            return
        error.update("" if due is None else
                     _("Saved: due {date}.").format(date=fmt_date(due, self.hrdd.lang)))
        self._save(due=due)

    @on(Select.Changed, "#plan-status")
    def _status_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            tracked = self.tracking.get(self.current or "")
            if (tracked.status if tracked else "todo") != event.value:
                self._save(status=event.value)

    def action_status(self, status: str) -> None:
        """Set the status of the highlighted action (from the list)."""
        if self.current is None:
            return
        self._save(status=status)
        self._filling = True
        self.query_one("#plan-status", Select).value = status
        self.call_after_refresh(self._filled)

    def action_back(self) -> None:
        if self.rows and not isinstance(self.focused, DataTable):
            self.query_one("#plan", DataTable).focus()
            return
        self.app.pop_screen()
