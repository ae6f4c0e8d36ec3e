"""The ``hrdd`` command: with no subcommand it starts the terminal app.

Subcommands that need no screen (``report``, ``demo``, ``questionnaire validate`` …) never
import Textual, so they start fast and run on machines without a terminal. Their messages
are in the language of ``hrdd --lang`` (or ``HRDD_LANG``), through the same catalogues as the app.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, i18n
from .i18n import N_, _, ngettext

if TYPE_CHECKING:
    from .loader import Problem

LANG_CHOICE = click.Choice(["nl", "fr", "en"])
INTERRUPTED = 130
"""Exit status after Ctrl+C, as shells report it."""


class CliError(click.ClickException):
    """A one-line error in the language of the command line."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def, override]
        click.echo(_("Error: {message}").format(message=self.format_message()), err=True)


def _store(announce: bool = True):
    from .paths import db_path
    from .storage import Store

    store = Store(db_path())
    if announce:
        _announce_backup(store)
    return store


def _announce_backup(store) -> None:  # type: ignore[no-untyped-def]
    if store.backup is not None:
        click.echo(_("The database was upgraded; a copy of it as it was is in {path}").format(path=store.backup),
                   err=True)


def _bundle(with_packs: bool = True):
    """The bundled questionnaires, with the installed packs applied."""
    from .loader import LoadError, load_bundled
    from .packs import with_packs as apply_packs

    try:
        bundled = load_bundled()
    except LoadError as exc:
        raise CliError(_("the bundled questionnaires do not load:\n{problems}").format(problems=exc)) from None
    return apply_packs(bundled) if with_packs else bundled


def _default_lang() -> str:
    env = os.environ.get("HRDD_LANG", "")[:2].lower()
    return env if env in ("nl", "fr", "en") else "en"


def _use_lang(ctx: click.Context, lang: str | None) -> str:
    """The language of what a subcommand writes (a report, a PDF): its own ``--lang``, else the app's.
    Messages stay in the app's language (``hrdd --lang``, ``HRDD_LANG``): an adviser may write
    French reports from a Dutch command line."""
    return lang or ctx.obj["lang"]


class HrddGroup(click.Group):
    """Turns file and database errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        # Nothing heavy before dispatch: each ``except`` looks its class up only once something
        # is raised, and only in a module already imported (which raised it, if anyone did).
        try:
            return super().invoke(ctx)
        except _imported("hrdd.loader", "LoadError") as exc:
            _print_problems(exc)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise CliError(f"{exc.strerror or exc}{where}") from None
        except _imported("hrdd.storage", "StoreError") as exc:
            raise CliError(str(exc)) from None
        except _imported("sqlite3", "DatabaseError") as exc:
            raise CliError(_("the database cannot be used: {error}").format(error=exc)) from None
        except RecursionError:
            raise CliError(_("the input is nested too deeply to be read")) from None


class _NeverRaised(Exception):
    """Stands for an exception class whose module is not imported: nothing can have raised it."""


def _imported(module: str, name: str) -> type[BaseException]:
    """``module.name`` if ``module`` is imported already, else a class nothing raises."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name) if loaded is not None else _NeverRaised


def _print_problems(exc) -> None:  # type: ignore[no-untyped-def]
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(ngettext("{n} problem found.", "{n} problems found.", len(exc.problems)).format(
        n=len(exc.problems)), err=True)
    sys.exit(1)


def _confirm(question: str, yes: bool) -> None:
    if not yes and not click.confirm(question, default=False, err=True):
        click.echo(_("Nothing was changed."), err=True)
        sys.exit(1)


@click.group(cls=HrddGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="HRDD_DB",
              help="SQLite database file (default: hrdd.db in your data folder; env HRDD_DB).")
@click.option("--lang", type=LANG_CHOICE, default=None,
              help="Language of the app and of these messages: nl, fr or en (env HRDD_LANG).")
@click.version_option(__version__, package_name="hrdd")
@click.pass_context
def main(ctx: click.Context, db: Path | None, lang: str | None) -> None:
    """hrdd: a human-rights due-diligence self-check for Belgian companies.

    Run without a command to start the terminal app.
    """
    if db is not None:
        os.environ["HRDD_DB"] = str(db)
    ctx.obj = {"lang": lang or _default_lang()}
    i18n.activate(ctx.obj["lang"])
    if ctx.invoked_subcommand is None:
        from .company_list import open_current
        from .paths import db_path
        from .tui.app import HrddApp  # Textual is imported only here

        current = open_current(db_path())
        if current is None:
            # A new or older database, or one hrdd cannot use: the Store makes, upgrades or refuses
            # it before the app opens (an upgrade is announced after the app, which would hide it).
            store = _store(announce=False)
            app = HrddApp(store=store, bundle=_bundle(), lang=ctx.obj["lang"])
        else:
            # A current one: the first screen is drawn before the questionnaires and the database
            # are loaded (the app loads them and says in the app if they cannot be).
            current.close()
            app = HrddApp(lang=ctx.obj["lang"], load_bundle=_bundle, open_store=lambda: _store(announce=False))
        try:
            app.run()
        finally:
            if app.loaded:
                app.store.close()
                _announce_backup(app.store)
        if app.load_error is not None:
            raise CliError(app.load_error)
        click.echo(_("hrdd: your answers are saved in {path}").format(path=db_path()))


@main.command()
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the demo's notes.")
@click.pass_context
def demo(ctx: click.Context, lang: str | None) -> None:
    """Create a sample company with a complete assessment and print its id."""
    from .demo import create_demo

    lang = _use_lang(ctx, lang)
    store = _store()
    company_id, _assessment = create_demo(store, _bundle(), lang)
    modules = ", ".join(a.questionnaire_id for a in reversed(store.assessments(company_id)))
    click.echo(_("Created demo company {id} with completed assessments of {modules} in {path}").format(
        id=company_id, modules=modules, path=store.path))
    click.echo(_("Next: {command}").format(command=f"hrdd report --company {company_id} --lang nl --out report.pdf"))


def _is_folder(out: Path) -> bool:
    return out.is_dir() or str(out).endswith(("/", os.sep))


@main.command()
@click.option("--company", "company_id", type=int, default=None, help="Company id (see 'hrdd companies').")
@click.option("--all", "all_companies", is_flag=True, help="Reports for every company (with --out as a folder).")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date printed in the report (YYYY-MM-DD); with it, the same data gives the same PDF byte for byte.")
@click.option("--assessment", "assessment_id", type=int, default=None,
              help="Only this assessment (see 'hrdd assessments'; default: every module's latest completed "
                   "assessment, else its latest).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the report.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="PDF file to write, or a folder to write it in (default: your data folder's reports/); "
                   "with --all, a folder.")
@click.option("--scorecard", is_flag=True, help="Only the scorecard: at most two pages to share.")
@click.option("--notes/--no-notes", default=False,
              help="Put the notes in the data embedded in the PDF and the commentary on the scorecard "
                   "(default: leave them out).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="With --all: reports written at the same time, one process each (default: the number of CPU cores).")
@click.pass_context
def report(ctx: click.Context, company_id: int | None, all_companies: bool, on: datetime | None,
           assessment_id: int | None, lang: str | None, out: Path | None, scorecard: bool, notes: bool,
           jobs: int | None) -> None:
    """Write the PDF report of a company, or of every company with --all. The PDF carries the
    assessments' data: 'hrdd import report.pdf' reads it back."""
    lang = _use_lang(ctx, lang)
    day = on.date() if on else None
    if all_companies:
        if company_id is not None or assessment_id is not None:
            raise CliError(_("--all reports on every company: leave out --company and --assessment"))
        _report_all(lang, out, day, jobs)
        return
    if company_id is None:
        raise CliError(_("give --company ID, or --all"))
    from .paths import reports_dir
    from .report import default_report_name, write_report
    from .storage import NotFound

    store = _store()
    try:
        company = store.company(company_id)
    except NotFound:
        raise CliError(_("no company with id {id}").format(id=company_id)) from None
    history = store.assessments(company_id)
    if assessment_id is not None and assessment_id not in {a.id for a in history}:
        raise CliError(_("assessment {assessment} does not belong to company {company} (see 'hrdd assessments "
                         "--company {company}')").format(assessment=assessment_id, company=company_id))
    if not history:
        raise CliError(_("company {id} has no assessment yet").format(id=company_id))
    if out is None or _is_folder(out):
        out = (out or reports_dir()) / default_report_name(company.profile.name, lang, day or date.today(),
                                                           scorecard)
    try:
        path = write_report(store, _bundle(), company_id, lang, out, assessment_id=assessment_id, on=day,
                            invariant=day is not None, scorecard=scorecard, notes=notes)
    except (NotFound, LookupError) as exc:
        raise CliError(str(exc).strip("'\"")) from None
    except Exception as exc:  # noqa: BLE001 — any failure of the PDF writer is one clear line
        detail = (exc.strerror or str(exc)) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        raise CliError(_("the report could not be written to {path}: {error}").format(path=out, error=detail)) \
            from None
    click.echo(_("Report written to {path}").format(path=path))


def _report_all(lang: str, out: Path | None, day: date | None, jobs: int | None = None) -> None:
    from .batch import run_batch
    from .paths import db_path, reports_dir

    store = _store()
    ids = [c.id for c in store.companies()]
    archived = len(store.companies(archived=True))
    out = out or reports_dir()
    if out.exists() and not out.is_dir():
        raise CliError(_("with --all, --out must be a folder; {path} is a file").format(path=out))
    if not ids:
        raise CliError(_("all {n} companies are archived").format(n=archived) if archived else
                       _("no companies in the database"))
    if archived:
        click.echo(ngettext("{n} archived company is left out.", "{n} archived companies are left out.",
                            archived).format(n=archived))
    with click.progressbar(length=len(ids), label=_("Writing {n} reports").format(n=len(ids)),
                           file=sys.stderr) as bar:
        summary = run_batch(db_path(), ids, lang, out, workers=jobs, on=day, progress=lambda _result: bar.update(1))
    written, failed = len(summary.written), len(summary.failed)
    if summary.interrupted:
        click.echo(_("Interrupted. Reports written to {out}: {written}; failed: {failed}; cancelled: {cancelled}.")
                   .format(written=written, out=out, failed=failed, cancelled=len(summary.cancelled)))
    else:
        click.echo(_("Reports written to {out}: {written}; failed: {failed}.").format(
            written=written, out=out, failed=failed))
    for r in summary.failed:
        click.echo(_("  company {id}: {error}").format(id=r.company_id, error=r.error), err=True)
    if summary.interrupted:
        sys.exit(128 + summary.signal if summary.signal else INTERRUPTED)  # 130 after Ctrl+C, 143 after SIGTERM
    if failed:
        sys.exit(1)


@main.command()
@click.option("--archived", is_flag=True, help="List the archived companies instead.")
def companies(archived: bool) -> None:
    """List the companies in the database, most recently active first."""
    from . import company_list
    from .paths import db_path

    # A database at the current schema is read with plain sqlite3 (no sqlite-utils, pydantic or
    # models to import); any other file goes through the Store, which migrates it or says why not.
    conn = company_list.open_current(db_path())
    if conn is None:
        store = _store()
        conn = store.db.conn
    try:
        rows = company_list.summaries(conn, archived=archived)  # one query for the whole list
        hidden = 0 if archived else company_list.count(conn, archived=True)
    finally:
        conn.close()
    if not rows and not hidden:
        click.echo(_("No archived companies.") if archived else
                   _("No companies yet. Start the app with 'hrdd', or try 'hrdd demo'."))
    click.echo("\n".join(f"{c.id:>5}  {c.name}  " + ngettext(
        "({n} completed assessment, updated {date})", "({n} completed assessments, updated {date})",
        c.completed).format(n=c.completed, date=c.updated[:10]) for c in rows), nl=bool(rows))
    if hidden:
        click.echo(ngettext("({n} archived company not listed: hrdd companies --archived)",
                            "({n} archived companies not listed: hrdd companies --archived)", hidden).format(n=hidden))


@main.command()
@click.option("--company", "company_id", type=int, default=None, help="Only this company's assessments.")
def assessments(company_id: int | None) -> None:
    """List assessments with their ids (for 'hrdd export', 'hrdd report --assessment', 'hrdd delete')."""
    from .storage import NotFound

    store = _store()
    if company_id is not None:
        try:
            chosen = [store.company(company_id)]
        except NotFound:
            raise CliError(_("no company with id {id}").format(id=company_id)) from None
    else:
        chosen = store.companies() + store.companies(archived=True)
    listed = 0
    for company in chosen:
        for a in store.assessments(company.id):
            status = _("completed {date}").format(date=a.completed[:10]) if a.completed else \
                ngettext("in progress, {n} answer", "in progress, {n} answers", len(store.answers(a.id))).format(
                    n=len(store.answers(a.id)))
            click.echo(f"{a.id:>5}  {company.profile.name} ({company.id})  {a.questionnaire_id} "
                       f"{a.questionnaire_version}  {a.lang}  " + _("started {date}").format(date=a.started[:10])
                       + f", {status}")
            listed += 1
    if not listed:
        click.echo(_("No assessments yet."))


@main.command("export")
@click.option("--assessment", "assessment_id", type=int, default=None, help="Assessment id (see 'hrdd assessments').")
@click.option("--company", "company_id", type=int, default=None,
              help="Every module of this company: its latest completed assessment, else its latest.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="JSON file to write (with --company: a folder).")
@click.option("--notes/--no-notes", default=False, help="Include notes and free-text answers (default: leave them out).")
def export_cmd(assessment_id: int | None, company_id: int | None, out: Path, notes: bool) -> None:
    """Export assessments to self-describing JSON files (answer once, share with many)."""
    from .exchange import ExportProblem, company_exports, export_assessment, export_name, write_export
    from .storage import NotFound

    if (assessment_id is None) == (company_id is None):
        raise CliError(_("give --assessment ID or --company ID (see 'hrdd assessments')"))
    store = _store()
    try:
        if company_id is not None:
            if (out.exists() and not out.is_dir()) or out.suffix.lower() == ".json":
                raise CliError(_("with --company, --out must be a folder; {path} is a file").format(path=out))
            chosen = company_exports(store, company_id)
            if not chosen:
                raise CliError(_("company {id} has no assessment yet").format(id=company_id))
            name = store.company(company_id).profile.name
            targets = [(a.id, out / export_name(name, a.questionnaire_id, a.id)) for a in chosen]
        else:
            store.assessment(assessment_id)  # type: ignore[arg-type]
            targets = [(int(assessment_id or 0), out)]
        records = [(aid, export_assessment(store, aid, include_notes=notes), path) for aid, path in targets]
    except NotFound:
        raise CliError(_("no company with id {id}").format(id=company_id) if company_id is not None else
                       _("no assessment with id {id}").format(id=assessment_id)) from None
    except ExportProblem as exc:
        raise CliError(str(exc)) from None
    for aid, record, path in records:
        message = _("Exported assessment {id} ({n} answers, with notes) to {path}") if notes else \
            _("Exported assessment {id} ({n} answers) to {path}")
        click.echo(message.format(id=aid, n=len(record.answers), path=write_export(record, path)))


@main.command("actions")
@click.option("--company", "company_id", type=int, required=True, help="Company id (see 'hrdd companies').")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV file to write (UTF-8, opens in spreadsheet programs).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the texts and column titles.")
@click.pass_context
def actions_cmd(ctx: click.Context, company_id: int, out: Path, lang: str | None) -> None:
    """Write a company's whole action plan as CSV: one row per action, in plan order, with its key,
    priority, effort, horizon, suggested and named owner, due date, status and note."""
    from .actions import company_plan, csv_headers, write_plan_csv
    from .paths import atomic_path
    from .storage import NotFound

    lang = _use_lang(ctx, lang)
    if out.suffix.lower() != ".csv":
        raise CliError(_("--out must be a .csv file; {path} is not").format(path=out))
    store = _store()
    try:
        store.company(company_id)
    except NotFound:
        raise CliError(_("no company with id {id}").format(id=company_id)) from None
    if not store.assessments(company_id):
        raise CliError(_("company {id} has no assessment yet").format(id=company_id))
    rows = company_plan(store, _bundle(), company_id, lang)
    with atomic_path(out) as temp:
        write_plan_csv(rows, temp, lang, csv_headers(lang))
    click.echo(ngettext("Wrote {n} action to {path}", "Wrote {n} actions to {path}", len(rows)).format(
        n=len(rows), path=out))


IMPORT_STATUS = {"imported": N_("imported"), "unchanged": N_("unchanged"),
                 "updated": N_("updated: replaces the earlier copy of this assessment")}


def _is_pdf(path: Path) -> bool:
    """A PDF by its name or its first bytes (a report renamed .bin is still read as a PDF)."""
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def import_cmd(files: tuple[Path, ...]) -> None:
    """Import exported assessments (JSON files, or report PDFs written by hrdd, which carry their
    data). Each file is checked completely before anything is written; a bad file is reported
    and the others are still imported. A newer export of an assessment imported earlier replaces
    it; an older or the same one changes nothing."""
    import sqlite3

    from .exchange import ImportProblem, import_paths

    store, installed = _store(), _bundle()
    failed = 0
    for path, results in import_paths(store, installed, list(files), is_pdf=_is_pdf):
        if isinstance(results, ImportProblem):
            failed += 1
            click.echo(_("{file}: refused: {reason}").format(file=path, reason=results), err=True)
            continue
        if isinstance(results, sqlite3.DatabaseError):
            raise results  # the database, not the file: said once, in one line
        if isinstance(results, Exception):  # one file's surprise must not stop the others
            failed += 1
            click.echo(_("{file}: refused: {reason}").format(
                file=path, reason=f"{type(results).__name__}: {results}"[:300]), err=True)
            continue
        for result in results:
            click.echo(_("{file}: {status} (company {company}, assessment {assessment})").format(
                file=path, status=_(IMPORT_STATUS[result.status]), company=result.company_id,
                assessment=result.assessment_id))
    click.echo(_("Imported or unchanged: {ok}; refused: {failed}.").format(ok=len(files) - failed, failed=failed))
    if failed:
        sys.exit(1)


@main.group()
def delete() -> None:
    """Delete a company or an assessment for good (a client leaves, an erasure request)."""


def _after_delete(store) -> None:  # type: ignore[no-untyped-def]
    from .paths import reports_dir

    backups = sorted(store.path.parent.glob(f"{store.path.name}.*.bak"))
    if backups:
        click.echo(_("Copies made before database upgrades still hold the deleted data; delete them too if it must "
                     "be gone everywhere: {files}").format(files=", ".join(str(b) for b in backups)))
    reports = reports_dir()
    if reports.is_dir() and any(reports.glob("*.pdf")):
        click.echo(_("Reports written earlier are separate files and were not removed: see {folder}").format(
            folder=reports))


@delete.command("company")
@click.argument("company_id", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete_company(company_id: int, yes: bool) -> None:
    """Delete a company with all its assessments and answers (see 'hrdd companies')."""
    from .storage import NotFound

    store = _store()
    try:
        company = store.company(company_id)
    except NotFound:
        raise CliError(_("no company with id {id}").format(id=company_id)) from None
    n = len(store.assessments(company_id))
    _confirm(ngettext("Delete company {id} “{name}” with its {n} assessment and all its answers? This cannot be "
                      "undone.",
                      "Delete company {id} “{name}” with its {n} assessments and all their answers? This cannot be "
                      "undone.", n).format(id=company_id, name=company.profile.name, n=n), yes)
    store.delete_company(company_id)
    click.echo(ngettext("Deleted company {id} “{name}” and {n} assessment; nothing of it remains in {path}.",
                        "Deleted company {id} “{name}” and {n} assessments; nothing of it remains in {path}.", n).format(
        id=company_id, name=company.profile.name, n=n, path=store.path))
    _after_delete(store)


@delete.command("assessment")
@click.argument("assessment_id", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def delete_assessment(assessment_id: int, yes: bool) -> None:
    """Delete one assessment and its answers (see 'hrdd assessments')."""
    from .storage import NotFound

    store = _store()
    try:
        assessment = store.assessment(assessment_id)
    except NotFound:
        raise CliError(_("no assessment with id {id}").format(id=assessment_id)) from None
    name = store.company(assessment.company_id).profile.name
    n = len(store.answers(assessment_id))
    _confirm(ngettext("Delete assessment {id} ({module}, “{name}”, started {date}) with its {n} answer? This cannot "
                      "be undone.",
                      "Delete assessment {id} ({module}, “{name}”, started {date}) with its {n} answers? This cannot "
                      "be undone.", n).format(id=assessment_id, module=assessment.questionnaire_id, name=name,
                                 date=assessment.started[:10], n=n), yes)
    store.delete_assessment(assessment_id)
    click.echo(ngettext("Deleted assessment {id} and its {n} answer.", "Deleted assessment {id} and its {n} answers.",
                        n).format(id=assessment_id, n=n))
    _after_delete(store)


@main.command("benchmark")
@click.option("--pack", "pack_id", default="hrdd", show_default=True,
              help="Pack whose assessments to compare ('hrdd' for the bundled modules).")
@click.option("--sector", default=None, help="Only companies of this NACE section (A–U).")
@click.option("--min-group", type=int, default=5, show_default=True,
              help="Smallest group for which figures are shown (can be raised, not lowered).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the PDF.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write to.")
@click.pass_context
def benchmark_cmd(ctx: click.Context, pack_id: str, sector: str | None, min_group: int, lang: str | None,
                  out: Path) -> None:
    """Anonymised sector benchmark: PDF, CSV and benchmark.yaml (medians to publish in a pack)."""
    from .benchmark import GroupTooSmall, compute_benchmark, write_csv, write_pack_figures
    from .paths import atomic_path
    from .report.benchmark_pdf import render_benchmark_pdf

    lang = _use_lang(ctx, lang)
    sector = sector.upper() if sector else None
    try:
        bench = compute_benchmark(_store(), pack_id, sector, min_group)
    except (GroupTooSmall, ValueError) as exc:
        raise CliError(str(exc)) from None
    stem = f"benchmark-{pack_id}-{sector or 'all'}-{bench.on.isoformat()}"
    pdf, table, figures = out / f"{stem}-{lang}.pdf", out / f"{stem}.csv", out / "benchmark.yaml"
    try:
        with atomic_path(pdf) as temp:
            render_benchmark_pdf(bench, lang, temp)
    except Exception as exc:  # noqa: BLE001 — any failure of the PDF writer is one clear line
        detail = (exc.strerror or str(exc)) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        raise CliError(_("the report could not be written to {path}: {error}").format(path=pdf, error=detail)) \
            from None
    with atomic_path(table) as temp:
        write_csv(bench, temp, lang)
    with atomic_path(figures) as temp:
        write_pack_figures(bench, temp)
    click.echo(_("Companies: {n}; modules: {m}. Written: {pdf}, {table}, {figures}").format(
        n=bench.companies, m=len(bench.modules), pdf=pdf, table=table, figures=figures))


@main.group()
def pack() -> None:
    """Questionnaire packs: sector questions published by a federation."""


@pack.command("validate")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def pack_validate(folder: Path) -> None:
    """Check a pack folder (pack.yaml and its questionnaire files) without installing it."""
    from .packs import load_pack

    loaded = load_pack(folder, _bundle(with_packs=False))
    n = sum(len(q.questions) for q in loaded.questionnaires)
    click.echo(_("OK: pack {id} {version}; modules: {modules}; questions: {n}.").format(
        id=loaded.meta.id, version=loaded.meta.version, modules=len(loaded.questionnaires), n=n))


@pack.command("install")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def pack_install(folder: Path) -> None:
    """Validate a pack folder completely, then install it in your data folder."""
    from .packs import install_pack

    installed = install_pack(folder, _bundle(with_packs=False))
    modules = ", ".join(f"{q.id} {q.version}" for q in installed.questionnaires)
    click.echo(_("Installed pack {id} {version} in {folder}: {modules}").format(
        id=installed.meta.id, version=installed.meta.version, folder=installed.folder, modules=modules))


@pack.command("list")
def pack_list() -> None:
    """List the installed packs (the newest version of each is used for new assessments)."""
    from .packs import extension_conflicts, installed_packs

    packs = installed_packs(_bundle(with_packs=False))
    if not packs:
        click.echo(_("No packs installed. Install one with 'hrdd pack install FOLDER'."))
    for p in packs:
        click.echo(f"{p.meta.id} {p.meta.version}  {p.meta.publisher}: {p.meta.description.get(i18n.active())}")
    for i, later in enumerate(packs):
        for problem in (pr for earlier in packs[:i] for pr in extension_conflicts(later, earlier)):
            click.echo(_("left out: {problem}").format(problem=problem), err=True)


@pack.command("remove")
@click.argument("pack_id")
@click.option("--version", default=None, help="Only this version (default: every installed version).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def pack_remove(pack_id: str, version: str | None, yes: bool) -> None:
    """Remove an installed pack. Assessments made with it keep their questions and reports."""
    from .packs import packs_dir, remove_pack

    folder = packs_dir() / pack_id
    installed = sorted(p.name for p in folder.iterdir() if p.is_dir()) \
        if folder.is_dir() and folder.parent == packs_dir() and not pack_id.startswith(".") else []
    versions = [v for v in installed if version in (None, v)]
    if not versions:
        raise CliError(_("pack {id} is not installed (see 'hrdd pack list')").format(
            id=f"{pack_id} {version}" if version else pack_id))
    _confirm(_("Remove pack {id} ({versions})? Assessments made with it keep their questions.").format(
        id=pack_id, versions=", ".join(versions)), yes)
    removed = remove_pack(pack_id, version)
    click.echo(_("Removed pack {id} ({versions}).").format(id=pack_id, versions=", ".join(p.name for p in removed)))


@main.group()
def questionnaire() -> None:
    """Check questionnaire files and their JSON Schema."""


@questionnaire.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--with-bundled/--alone", default=True,
              help="Check resource ids against the bundled catalogue too (default; a catalogue among FILES "
                   "takes its place).")
def validate(files: tuple[Path, ...], with_bundled: bool) -> None:
    """Validate questionnaire and resource FILES; print every problem as file:line:column."""
    from .loader import LoadError, load_files, questionnaire_files
    from .paths import questionnaires_dir

    paths = [p for f in files for p in (questionnaire_files(f) if f.is_dir() else [f])]
    if not paths:
        raise CliError(_("no .yaml files found in {folders}").format(folders=", ".join(str(f) for f in files)))
    catalogues = [p for p in paths if _is_catalogue(p)]
    extra: list[Path] = []
    if with_bundled and not catalogues:
        extra = [p for p in questionnaire_files(questionnaires_dir()) if p.name == "resources.yaml"]
    duplicates = _duplicate_resources(catalogues)
    if duplicates:
        _print_problems(LoadError(duplicates))
    bundle = load_files(paths + extra)
    n = sum(len(q.questions) for q in bundle.questionnaires)
    click.echo(_("OK. Files: {files}; questionnaires: {questionnaires}; questions: {n}.").format(
        files=len(paths), questionnaires=len(bundle.questionnaires), n=n))


def _is_catalogue(path: Path) -> bool:
    from .loader import LoadError, detect_kind, read_yaml

    try:
        return detect_kind(read_yaml(path)) == "resources"
    except (LoadError, OSError):
        return False  # the loader reports it


def _duplicate_resources(paths: list[Path]) -> list[Problem]:
    """Resource ids given twice across the catalogues, each located in its file."""
    from .loader import LoadError, read_yaml

    seen: dict[str, Path] = {}
    problems = []
    for path in paths:
        try:
            src = read_yaml(path)
        except LoadError:
            continue
        entries = src.data.get("resources") if isinstance(src.data, dict) else None
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            rid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(rid, str):
                continue
            if rid in seen:
                where = _("earlier in this file") if seen[rid] == path else str(seen[rid])
                problems.append(src.problem(("resources", i, "id"), _("resource id '{id}' is also used in {where}")
                                            .format(id=rid, where=where)))
            else:
                seen[rid] = path
    return problems


@questionnaire.command("schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the JSON Schemas to (in a checkout: questionnaires/schema).")
def schema(out: Path) -> None:
    """(Re)write the JSON Schemas of the questionnaire, resource and export formats."""
    from .schema import write_schemas

    for path in write_schemas(out):
        click.echo(_("wrote {path}").format(path=path))


if __name__ == "__main__":
    main()
