"""The PDF report: content computed in :mod:`.content`, laid out in :mod:`.pdf`."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from ..loader import Bundle
from ..paths import atomic_path
from ..storage import Assessment, Store
from .content import ModuleInput, ReportContent, build_content
from .pdf import render_pdf

__all__ = ["ReportContent", "build_content", "render_pdf", "write_report", "default_report_name",
           "report_content", "report_assessments", "embedded_data", "data_hash"]


def default_report_name(company: str, lang: str, on: date, scorecard: bool = False) -> str:
    """A file name a person recognises: ``hrdd-<company>-<date>-<lang>.pdf`` (``…-scorecard-<lang>.pdf``)."""
    safe = "".join(c if c.isalnum() else "-" for c in company.lower()).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    kind = "-scorecard" if scorecard else ""
    return f"hrdd-{safe[:40] or 'company'}-{on.isoformat()}{kind}-{lang}.pdf"


def _day(stamp: str | None) -> date | None:
    return datetime.fromisoformat(stamp).date() if stamp else None


def report_assessments(store: Store, bundle: Bundle, company_id: int,
                       assessment_id: int | None = None) -> list[tuple[Assessment, Assessment | None]]:
    """Which assessments a report shows, each with the previous completed one of its module.

    With ``assessment_id``: that one alone. Otherwise one per installed module: the latest
    completed assessment, or the latest one when none is completed.
    """
    chosen: list[tuple[Assessment, Assessment | None]] = []
    module_ids = [q.id for q in bundle.questionnaires]
    module_ids += sorted({a.questionnaire_id for a in store.assessments(company_id)} - set(module_ids))
    for module_id in module_ids:  # installed modules first, then any others the company answered
        history = store.assessments(company_id, module_id)  # newest first
        if assessment_id is not None:
            current = next((a for a in history if a.id == assessment_id), None)
        else:
            current = next((a for a in history if a.completed), history[0] if history else None)
        if current is None:
            continue
        older = history[history.index(current) + 1:]
        chosen.append((current, next((a for a in older if a.completed), None)))
    if assessment_id is not None and not chosen:
        raise LookupError(f"assessment {assessment_id} does not belong to company {company_id}")
    return chosen


def report_content(store: Store, bundle: Bundle, company_id: int, lang: str, on: date | None = None,
                   assessment_id: int | None = None, tracked: bool = True) -> ReportContent:
    """Read a company's assessments from the database and compute its report in ``lang``
    (``tracked=False``: the plan as suggested, without what the company decided about it)."""
    items = []
    for current, previous in report_assessments(store, bundle, company_id, assessment_id):
        items.append(ModuleInput(
            questionnaire=store.questionnaire(current.content_hash), answers=store.answers(current.id),
            previous_answers=store.answers(previous.id) if previous else None,
            previous_on=_day(previous.completed) if previous else None,
            answered_on=_day(current.completed or current.updated)))
    if not items:
        raise LookupError(f"company {company_id} has no assessment yet")
    company = store.company(company_id)
    return build_content(company.profile, items, bundle, lang, on or date.today(), company.commentary,
                         tracking=store.action_tracking(company_id) if tracked else None)


def embedded_data(store: Store, assessments: list[Assessment], notes: bool = False) -> list[tuple[str, bytes]]:
    """The export file (:mod:`hrdd.exchange` format) of each assessment, as (file name, bytes), to
    embed in the PDF, in name order. Its ``exported_at`` is the assessment's last change, so the same data gives
    the same bytes (and the same assessment id) whenever the report is written."""
    from ..exchange import export_assessment, export_name

    files = []
    for a in assessments:
        record = export_assessment(store, a.id, include_notes=notes)
        record = record.model_copy(update={"exported_at": datetime.fromisoformat(a.updated)})
        name = export_name(store.company(a.company_id).profile.name, a.questionnaire_id, a.id)
        files.append((name, (record.model_dump_json(indent=2) + "\n").encode("utf-8")))
    return sorted(files)


def data_hash(files: list[tuple[str, bytes]]) -> str:
    """The assessment id printed on the report: the SHA-256 of the embedded data (of the one
    file, or of the files one after the other in name order)."""
    digest = hashlib.sha256()
    for _name, data in files:
        digest.update(data)
    return digest.hexdigest()


def write_report(store: Store, bundle: Bundle, company_id: int, lang: str, out: Path, *,
                 on: date | None = None, invariant: bool = False, assessment_id: int | None = None,
                 scorecard: bool = False, notes: bool = False) -> Path:
    """Write the report of a company (or of one of its assessments) in ``lang`` to ``out``;
    with ``scorecard``, only its two-page scorecard. The assessments' data is embedded in the
    PDF (notes only with ``notes``), so ``hrdd import report.pdf`` works like importing the JSON.

    The PDF is written to a temporary file next to ``out`` and renamed at the end, so a
    failure never leaves a half-written or empty report (and keeps an earlier one intact)."""
    content = report_content(store, bundle, company_id, lang, on, assessment_id)
    files = embedded_data(store, [current for current, _ in report_assessments(store, bundle, company_id,
                                                                                assessment_id)], notes)
    if content.scorecard is not None:
        content = replace(content, scorecard=replace(content.scorecard, assessment_id=data_hash(files)))
    with atomic_path(out) as temp:
        render_pdf(content, temp, invariant=invariant, scorecard=scorecard, notes=notes, attachments=files)
    return out
