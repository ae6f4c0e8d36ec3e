"""The ``hrdd`` command: with no subcommand it starts the terminal app.

Subcommands that need no screen (``report``, ``demo``, ``questionnaire validate`` …) never
import Textual, so they start fast and run on machines without a terminal.
"""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

LANG_CHOICE = click.Choice(["nl", "fr", "en"])


def _store():
    from .paths import db_path
    from .storage import Store

    return Store(db_path())


def _bundle(with_packs: bool = True):
    """The bundled questionnaires, with the installed packs applied."""
    from .loader import LoadError, load_bundled
    from .packs import with_packs as apply_packs

    try:
        bundled = load_bundled()
    except LoadError as exc:
        raise click.ClickException(f"the bundled questionnaires do not load:\n{exc}") from None
    return apply_packs(bundled) if with_packs else bundled


def _default_lang() -> str:
    env = os.environ.get("HRDD_LANG", "")[:2].lower()
    return env if env in ("nl", "fr", "en") else "en"


class HrddGroup(click.Group):
    """Turns file and database errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        import sqlite3

        from .loader import LoadError

        try:
            return super().invoke(ctx)
        except LoadError as exc:
            _print_problems(exc)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from None
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(f"the database cannot be used: {exc}") from None


def _print_problems(exc) -> None:  # type: ignore[no-untyped-def]
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
    sys.exit(1)


@click.group(cls=HrddGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="HRDD_DB",
              help="SQLite database file (default: hrdd.db in your data folder; env HRDD_DB).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the app: nl, fr or en (env HRDD_LANG).")
@click.version_option(package_name="hrdd")
@click.pass_context
def main(ctx: click.Context, db: Path | None, lang: str | None) -> None:
    """hrdd: a human-rights due-diligence self-check for Belgian companies.

    Run without a command to start the terminal app.
    """
    if db is not None:
        os.environ["HRDD_DB"] = str(db)
    ctx.obj = {"lang": lang or _default_lang()}
    if ctx.invoked_subcommand is None:
        from .tui.app import HrddApp  # Textual is imported only here

        from .paths import db_path

        store = _store()
        try:
            HrddApp(store=store, bundle=_bundle(), lang=ctx.obj["lang"]).run()
        finally:
            store.close()
        click.echo(f"hrdd: your answers are saved in {db_path()}")


@main.command()
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the demo's notes.")
@click.pass_context
def demo(ctx: click.Context, lang: str | None) -> None:
    """Create a sample company with a complete assessment and print its id."""
    from .demo import create_demo

    store = _store()
    company_id, _ = create_demo(store, _bundle(), lang or ctx.obj["lang"])
    modules = ", ".join(a.questionnaire_id for a in reversed(store.assessments(company_id)))
    click.echo(f"Created demo company {company_id} with completed assessments of {modules} in {store.path}")
    click.echo(f"Next: hrdd report --company {company_id} --lang nl --out report.pdf")


@main.command()
@click.option("--company", "company_id", type=int, default=None, help="Company id (see 'hrdd companies').")
@click.option("--all", "all_companies", is_flag=True, help="Reports for every company (with --out as a folder).")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date printed in the report (YYYY-MM-DD); with it, the same data gives the same PDF byte for byte.")
@click.option("--assessment", "assessment_id", type=int, default=None,
              help="Only this assessment (default: every module's latest completed assessment, else its latest).")
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of the report.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PDF file to write (default: your data folder's reports/).")
@click.pass_context
def report(ctx: click.Context, company_id: int | None, all_companies: bool, on: datetime | None,
           assessment_id: int | None, lang: str | None, out: Path | None) -> None:
    """Write the PDF report of a company, or of every company with --all."""
    lang = lang or ctx.obj["lang"]
    day = on.date() if on else None
    if all_companies:
        _report_all(lang, out, day)
        return
    if company_id is None:
        raise click.ClickException("give --company ID, or --all")
    from .paths import reports_dir
    from .report import default_report_name, write_report
    from .storage import NotFound

    store = _store()
    try:
        company = store.company(company_id)
        out = out or reports_dir() / default_report_name(company.profile.name, lang, day or date.today())
        path = write_report(store, _bundle(), company_id, lang, out, assessment_id=assessment_id, on=day,
                            invariant=day is not None)
    except (NotFound, LookupError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None
    click.echo(f"Report written to {path}")


def _report_all(lang: str, out: Path | None, day: date | None) -> None:
    from .batch import batch_reports, run_with_progress
    from .paths import db_path, reports_dir

    store = _store()
    ids = [c.id for c in store.companies()]
    archived = len(store.companies(archived=True))
    out = out or reports_dir()
    if not ids:
        raise click.ClickException(f"all {archived} companies are archived" if archived else
                                   "no companies in the database")
    if archived:
        click.echo(f"{archived} archived compan{'y is' if archived == 1 else 'ies are'} left out.")
    with click.progressbar(length=len(ids), label=f"Writing {len(ids)} reports", file=sys.stderr) as bar:
        results = run_with_progress(batch_reports(db_path(), ids, lang, out, on=day), bar.update)
    failed = [r for r in results if r.error]
    click.echo(f"{len(results) - len(failed)} report(s) written to {out}, {len(failed)} failed.")
    for r in failed:
        click.echo(f"  company {r.company_id}: {r.error}", err=True)
    if failed:
        sys.exit(1)


@main.command()
def companies() -> None:
    """List the companies in the database, most recently active first."""
    store = _store()
    rows = store.companies()
    archived = len(store.companies(archived=True))
    if not rows and not archived:
        click.echo("No companies yet. Start the app with 'hrdd', or try 'hrdd demo'.")
    for c in rows:
        done = sum(1 for a in store.assessments(c.id) if a.completed)
        click.echo(f"{c.id:>5}  {c.profile.name}  ({done} completed assessment(s), updated {c.updated[:10]})")
    if archived:
        click.echo(f"({archived} archived compan{'y' if archived == 1 else 'ies'} not listed)")


@main.command("export")
@click.option("--assessment", "assessment_id", type=int, required=True, help="Assessment id.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="JSON file to write.")
@click.option("--notes/--no-notes", default=False, help="Include the free-text notes (default: leave them out).")
def export_cmd(assessment_id: int, out: Path, notes: bool) -> None:
    """Export one assessment to a self-describing JSON file (answer once, share with many)."""
    from .exchange import export_assessment, write_export
    from .storage import NotFound

    try:
        record = export_assessment(_store(), assessment_id, include_notes=notes)
    except NotFound as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Exported assessment {assessment_id} ({len(record.answers)} answers"
               f"{', with notes' if notes else ''}) to {write_export(record, out)}")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def import_cmd(files: tuple[Path, ...]) -> None:
    """Import exported assessments. Each file is checked completely before anything is written;
    a bad file is reported and the others are still imported."""
    from .exchange import ImportProblem, import_file

    store, installed = _store(), _bundle().questionnaires
    failed = 0
    for path in files:
        try:
            result = import_file(store, installed, path)
        except ImportProblem as exc:
            failed += 1
            click.echo(f"{path}: refused: {exc}", err=True)
            continue
        click.echo(f"{path}: {result.status} (company {result.company_id}, assessment {result.assessment_id})")
    click.echo(f"{len(files) - failed} imported or unchanged, {failed} refused.")
    if failed:
        sys.exit(1)


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
    from .report.benchmark_pdf import render_benchmark_pdf

    lang = lang or ctx.obj["lang"]
    sector = sector.upper() if sector else None
    try:
        bench = compute_benchmark(_store(), pack_id, sector, min_group)
    except (GroupTooSmall, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    stem = f"benchmark-{pack_id}-{sector or 'all'}-{bench.on.isoformat()}"
    pdf = render_benchmark_pdf(bench, lang, out / f"{stem}-{lang}.pdf")
    table = write_csv(bench, out / f"{stem}.csv", lang)
    figures = write_pack_figures(bench, out / "benchmark.yaml")
    click.echo(f"{bench.companies} companies, {len(bench.modules)} module(s): {pdf}, {table}, {figures}")


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
    click.echo(f"OK: pack {loaded.meta.id} {loaded.meta.version}, {len(loaded.questionnaires)} module(s), "
               f"{n} questions.")


@pack.command("install")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def pack_install(folder: Path) -> None:
    """Validate a pack folder completely, then install it in your data folder."""
    from .packs import install_pack

    installed = install_pack(folder, _bundle(with_packs=False))
    modules = ", ".join(f"{q.id} {q.version}" for q in installed.questionnaires)
    click.echo(f"Installed pack {installed.meta.id} {installed.meta.version} in {installed.folder}: {modules}")


@pack.command("list")
def pack_list() -> None:
    """List the installed packs (the newest version of each is used for new assessments)."""
    from .packs import installed_packs

    packs = installed_packs(_bundle(with_packs=False))
    if not packs:
        click.echo("No packs installed. Install one with 'hrdd pack install FOLDER'.")
    for p in packs:
        click.echo(f"{p.meta.id} {p.meta.version}  {p.meta.publisher}: {p.meta.description.en}")


@main.group()
def questionnaire() -> None:
    """Check questionnaire files and their JSON Schema."""


@questionnaire.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--with-bundled/--alone", default=True,
              help="Check resource ids against the bundled catalogue too (default).")
def validate(files: tuple[Path, ...], with_bundled: bool) -> None:
    """Validate questionnaire and resource FILES; print every problem as file:line:column."""
    from .loader import load_files, questionnaire_files
    from .paths import questionnaires_dir

    paths = [p for f in files for p in (questionnaire_files(f) if f.is_dir() else [f])]
    extra: list[Path] = []
    if with_bundled:
        given = {p.resolve() for p in paths}
        extra = [p for p in questionnaire_files(questionnaires_dir())
                 if p.name == "resources.yaml" and p.resolve() not in given]
    if not paths:
        raise click.ClickException("no .yaml files found in " + ", ".join(str(f) for f in files))
    bundle = load_files(paths + extra)
    n = sum(len(q.questions) for q in bundle.questionnaires)
    click.echo(f"OK: {len(paths)} file(s), {len(bundle.questionnaires)} questionnaire(s), {n} questions.")


@questionnaire.command("schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write the JSON Schemas to (default: the bundled questionnaires/schema).")
def schema(out: Path | None) -> None:
    """(Re)write the JSON Schemas of the questionnaire and resource formats."""
    from .paths import questionnaires_dir
    from .schema import write_schemas

    for path in write_schemas(out or questionnaires_dir() / "schema"):
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
