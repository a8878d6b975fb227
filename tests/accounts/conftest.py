"""Factories for the account tests: businesses with submitted assessments, shared or not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest


def page_answers(pillar: Any, pick: Callable[[Any], str]) -> dict[str, Any]:
    """ "yes" on every gate and `pick`'s option of every single choice of a page."""
    out: dict[str, Any] = {}
    for q in pillar.questions:
        if q.type == "yes_no":
            out[q.id] = "yes"
        elif q.type == "single":
            out[q.id] = pick(q)
    return out


def worst(q: Any) -> str:
    return str(min(q.options, key=lambda o: o.points).id)


def best(q: Any) -> str:
    return str(max(q.options, key=lambda o: o.points).id)


@pytest.fixture()
def make_business(db: Any, questionnaire: Any) -> Callable[..., Any]:
    """make_business(name=…, picks=(worst, best), province="79", …) -> Business with one
    submitted assessment per pick, the first the oldest (a year apart, the last 30 days ago)."""
    from sme_assess.survey import service

    counter = iter(range(1, 1_000_000))

    def make(
        name: str | None = None,
        picks: tuple[Callable[[Any], str], ...] = (worst, best),
        province: str = "79",
        section: str = "G",
        business_type: str = "household",
        tax_code: str | None = None,
        last_days_ago: int = 30,
    ) -> Any:
        n = next(counter)
        b = service.create_business(
            db,
            service.ProfileData(
                name=name or f"Cửa hàng số {n}",
                tax_code=tax_code,
                business_type=business_type,
                province_code=province,
                industry_section=section,
                employees_band="0-10",
                revenue_band="0-3",
                capital_band="0-3",
                email=None,
            ),
        )
        previous = None
        for i, pick in enumerate(picks):
            a, code = service.start_assessment(db, b, questionnaire, ttl_days=90, previous=previous)
            answers: dict[str, Any] = {}
            for pillar in questionnaire.pillars:
                answers.update(page_answers(pillar, pick))
            service.save_answers(db, a, answers, ttl_days=90)
            service.submit(db, a, questionnaire, resume_code=code)
            days = last_days_ago + 365 * (len(picks) - 1 - i)
            a.submitted_at = datetime.now(UTC) - timedelta(days=days)
            db.flush()
            previous = a
        return b

    return make


@pytest.fixture()
def share_with(db: Any) -> Callable[[Any, Any], Any]:
    from sme_assess.sharing import share

    def do(business: Any, advisor: Any) -> Any:
        row = share(db, business, advisor, by=None, ip="127.0.0.1")
        db.flush()
        return row

    return do
