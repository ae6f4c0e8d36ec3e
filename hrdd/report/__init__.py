"""The PDF report: content computed in :mod:`.content`, laid out in :mod:`.pdf`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..loader import Bundle
from ..storage import Store
from .content import ReportContent, build_content
from .pdf import render_pdf

__all__ = ["ReportContent", "build_content", "render_pdf", "write_report", "default_report_name", "report_content"]


def default_report_name(company: str, lang: str, on: date) -> str:
    """A file name a person recognises: ``hrdd-<company>-<date>-<lang>.pdf``."""
    safe = "".join(c if c.isalnum() else "-" for c in company.lower()).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"hrdd-{safe[:40] or 'company'}-{on.isoformat()}-{lang}.pdf"


def report_content(store: Store, bundle: Bundle, assessment_id: int, lang: str,
                   on: date | None = None) -> ReportContent:
    """Read one assessment from the database and compute its report in ``lang``."""
    assessment = store.assessment(assessment_id)
    questionnaire = bundle.questionnaire(assessment.questionnaire_id)
    if questionnaire is None:
        raise LookupError(f"questionnaire '{assessment.questionnaire_id}' is not installed")
    company = store.company(assessment.company_id)
    return build_content(company.profile, questionnaire, store.answers(assessment_id), bundle, lang,
                         on or date.today())


def write_report(store: Store, bundle: Bundle, assessment_id: int, lang: str, out: Path,
                 *, on: date | None = None, invariant: bool = False) -> Path:
    """Write the report of one assessment in ``lang`` to ``out``."""
    return render_pdf(report_content(store, bundle, assessment_id, lang, on), out, invariant=invariant)
