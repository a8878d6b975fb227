"""Database behaviour that the rolled-back test transaction cannot show: real commits from
several connections at once. Runs on SQLite locally and on PostgreSQL in CI."""

from __future__ import annotations

import os
import threading
from typing import Any

from sqlalchemy import func, select

from sme_assess.db import begin_write, get_engine
from sme_assess.models import Answer, Business
from sme_assess.survey import service


def test_ci_really_runs_on_postgresql_when_asked(app: Any) -> None:
    """CI sets SME_REQUIRE_POSTGRES=1 for its second run: make sure it is not SQLite again."""
    dialect = get_engine(app).dialect.name
    if os.environ.get("SME_REQUIRE_POSTGRES") == "1":
        assert dialect == "postgresql"
    else:
        assert dialect in ("sqlite", "postgresql")


def test_concurrent_page_saves_lose_and_duplicate_nothing(app: Any, questionnaire: Any) -> None:
    maker = app.extensions["sme_sessionmaker"]
    with app.app_context(), maker() as s:
        b = service.create_business(
            s,
            service.ProfileData(
                name="Concurrency test",
                tax_code=None,
                business_type="household",
                province_code="79",
                industry_section="G",
                employees_band="0-10",
                revenue_band="0-3",
                capital_band="0-3",
                email=None,
            ),
        )
        a, _ = service.start_assessment(s, b, questionnaire, ttl_days=90)
        s.commit()
        business_id, assessment_id = b.id, a.id
    pages = [
        {
            q.id: ("yes" if q.type == "yes_no" else q.options[k % len(q.options)].id)
            for q in pillar.questions
        }
        for k, pillar in enumerate(questionnaire.pillars)
    ]
    errors: list[BaseException] = []

    def save(values: dict[str, Any]) -> None:
        try:
            with app.test_request_context(method="POST"), maker() as s:
                for _ in range(3):  # the same page saved repeatedly, as on a flaky connection
                    s.get(service.Assessment, assessment_id)  # read first, as the views do
                    begin_write(s)
                    a = s.get(service.Assessment, assessment_id)
                    service.save_answers(s, a, values, ttl_days=90)
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(p,)) for p in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert not errors, errors
        with maker() as s:
            rows = s.execute(
                select(Answer.question_id, Answer.value).where(
                    Answer.assessment_id == assessment_id
                )
            ).all()
            expected = {k: v for p in pages for k, v in p.items()}
            assert len(rows) == len(expected)  # no duplicates
            assert dict(rows) == expected  # nothing lost
    finally:
        with maker() as s:
            s.delete(s.get(Business, business_id))
            s.commit()
            left = s.scalar(
                select(func.count())
                .select_from(Answer)
                .where(Answer.assessment_id == assessment_id)
            )
            assert left == 0
