"""Demo data: a few sample businesses with submitted assessments (and one open draft).

Idempotent: businesses are recognised by name; run it as often as you like.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from . import lookups
from .db import get_session
from .models import Business
from .questionnaire import Questionnaire
from .stats import summary as stats_summary
from .survey import service

DEMO = [
    # name, type, tax code, province, section, employees, revenue, capital, answer profile
    ("Tiệm tạp hóa Cô Ba (demo)", "household", None, "79", "G", "0-10", "0-3", "0-3", 0.15),
    (
        "Công ty TNHH Cà phê Hạt Ngon (demo)",
        "enterprise",
        "0100233488",
        "66",
        "C",
        "11-50",
        "10-50",
        "3-20",
        0.45,
    ),
    (
        "HTX Nông sản Sạch Mộc Châu (demo)",
        "cooperative",
        "0100109106",
        "14",
        "A",
        "11-50",
        "3-10",
        "0-3",
        0.3,
    ),
    (
        "Công ty CP Du lịch Biển Xanh (demo)",
        "enterprise",
        "0314409058-002",
        "56",
        "I",
        "51-100",
        "50-100",
        "20-50",
        0.7,
    ),
    (
        "Công ty TNHH Phần mềm Sông Hàn (demo)",
        "enterprise",
        "0100233488-001",
        "48",
        "J",
        "51-100",
        "10-50",
        "3-20",
        0.9,
    ),
]


def _answers(q: Questionnaire, strength: float, rng: random.Random) -> dict[str, Any]:
    """Answers around `strength` (0–1) of each criterion's maximum; every shown question is
    answered."""
    answers: dict[str, Any] = {}
    for qq in q.iter_questions():
        if qq.show_if is not None:
            parent = answers.get(qq.show_if.question)
            if parent is None or str(parent) not in qq.show_if.values:
                continue
        if qq.type == "yes_no":
            answers[qq.id] = "yes" if rng.random() < strength + 0.25 else "no"
        elif qq.type == "single":
            opts = sorted(qq.options, key=lambda o: o.points)
            idx = round((len(opts) - 1) * min(1.0, max(0.0, rng.gauss(strength, 0.2))))
            answers[qq.id] = opts[idx].id
        elif qq.type == "multiple":
            answers[qq.id] = [
                o.id for o in qq.options if not o.exclusive and rng.random() < strength
            ][:1] or [qq.options[0].id]
        else:
            answers[qq.id] = float(qq.bands[-1].low) if qq.bands else 0
    return answers


def seed_demo(app: Flask, reset: bool = False) -> int:
    from . import registry

    q = registry.default_questionnaire()
    db = get_session()
    rng = random.Random(2021)
    created = 0
    ttl = int(app.config["DRAFT_TTL_DAYS"])
    for name, btype, tax, prov, sec, emp, rev, cap, strength in DEMO:
        existing = db.scalar(select(Business).where(Business.name == name))
        if existing is not None:
            if not reset:
                continue
            db.delete(existing)
            db.flush()
        b = service.create_business(
            db,
            service.ProfileData(
                name=name,
                tax_code=tax,
                business_type=btype,
                province_code=prov,
                industry_section=sec,
                employees_band=emp,
                revenue_band=rev,
                capital_band=cap,
                email=None,
            ),
        )
        previous = None
        # two assessments a year apart show progress in the history
        for k, s in enumerate((max(0.05, strength - 0.2), strength)):
            a, _code = service.start_assessment(db, b, q, ttl_days=ttl, previous=previous)
            service.save_answers(db, a, _answers(q, s, rng), ttl_days=ttl)
            service.submit(db, a, q)
            stats_summary.remove_assessment(db, a)  # counted again at its back-dated month
            a.submitted_at = lookups.now() - timedelta(days=365 * (1 - k) + 3)
            stats_summary.add_assessment(db, a)
            previous = a
            created += 1
    db.commit()
    return created
