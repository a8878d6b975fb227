"""Fixtures for the statistics tests: submitted assessments with chosen profiles, months and
pillar points, counted in the summaries as a submission would."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import count
from typing import Any

import pytest

from sme_assess.models import Assessment, AssessmentStatus, Business, PillarResult
from sme_assess.stats.summary import add_assessment

PILLARS = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
MAXIMA = (65, 25, 80, 65, 50, 35)
_ids = count(1)


@pytest.fixture()
def submitted(app: Any, db: Any) -> Callable[..., Assessment]:
    """submitted(province="79", section="G", size="micro", btype="enterprise",
    at=datetime(2026, 7, 10), level=2, points=(…6 pillar points…), synthetic=False) → a
    submitted assessment already counted in the summaries. Pillar levels: points / max by the
    DBI bands."""
    from sme_assess.scoring.levels import pillar_level

    def make(
        province: str = "79",
        section: str = "G",
        size: str = "micro",
        btype: str = "enterprise",
        at: datetime = datetime(2026, 7, 10, 3, 0, tzinfo=UTC),
        level: int = 2,
        points: Sequence[int] = (20, 10, 30, 20, 15, 10),
        synthetic: bool = False,
        questionnaire: tuple[str, str] = ("dbi-2021-sme", "2021.1"),
        name: str | None = None,
    ) -> Assessment:
        q = app.extensions["sme_questionnaires"]["dbi-2021-sme"]
        i = next(_ids)
        b = Business(
            public_id=f"statsb{i:010d}",
            name=name or f"Công ty Thống Kê {i}",
            tax_code=None,
            business_type=btype,
            province_code=province,
            industry_section=section,
            industry_classification="VSIC-2018",
            employees_band="0-10",
            revenue_band="0-3",
            capital_band="0-3",
            size_class=size,
            email=f"owner{i}@example.vn",
            synthetic=synthetic,
        )
        db.add(b)
        db.flush()
        a = Assessment(
            public_id=f"statsa{i:010d}",
            business=b,
            questionnaire_id=questionnaire[0],
            questionnaire_version=questionnaire[1],
            status=AssessmentStatus.submitted,
            submitted_at=at,
            total_points=sum(points),
            max_points=320,
            overall_level=level,
            synthetic=synthetic,
        )
        a.snapshot_profile()
        a.pillar_results = [
            PillarResult(
                pillar_id=pid,
                points=pts,
                max_points=mx,
                level=pillar_level(pts, mx, q.scoring.pillar_bands),
            )
            for pid, pts, mx in zip(PILLARS, points, MAXIMA, strict=True)
        ]
        db.add(a)
        db.flush()
        add_assessment(db, a)
        return a

    return make
