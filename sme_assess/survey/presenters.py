"""Data for the results page: the same `ReportData` the PDF uses, plus page-only links."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import registry
from ..models import Assessment
from ..questionnaire import Questionnaire
from ..reports.data import ReportData
from ..reports.service import build_report
from ..urls import external_url


def results_view(db: Session, a: Assessment, q: Questionnaire | None, locale: str) -> ReportData:
    verify: Any = (
        external_url("reports.verify", code=a.verification_code) if a.verification_code else None
    )
    return build_report(db, a, q, locale, verify_url=verify, catalog=registry.catalog())
