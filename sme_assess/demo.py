"""Demo data: a few sample businesses with submitted assessments (and one open draft).

Idempotent: businesses are recognised by name; run it as often as you like.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from . import audit, lookups
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


# --- demo accounts -------------------------------------------------------------------------
# One account per role, so that a local demonstration shows all three audiences. The password
# is random per install (never a known default), kept with the emails in a file readable by
# its owner only; a second run reuses it and creates only what is missing.

DEMO_ACCOUNTS = [
    # email, role, name
    ("chudoanhnghiep.demo@example.vn", "owner", "Nguyễn Thị Mai (demo)"),
    ("tuvan.demo@example.vn", "advisor", "Trần Văn Lan (demo)"),
    ("bo.demo@example.vn", "ministry", "Cán bộ Bộ (demo)"),
    ("quantri.demo@example.vn", "admin", "Quản trị (demo)"),
]
# the demo owner's businesses (claimed by the account and shared with the demo advisor)
DEMO_OWNED = ("Công ty TNHH Cà phê Hạt Ngon (demo)", "Công ty CP Du lịch Biển Xanh (demo)")
# shared with the demo advisor by an owner without an account (consent on the results page)
DEMO_SHARED_WITHOUT_ACCOUNT = ("HTX Nông sản Sạch Mộc Châu (demo)",)


def _demo_password(path: Path) -> tuple[str, bool]:
    """The install's demo password: read from `path`, or made and written there (0600); and
    whether it was made now."""
    import secrets

    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("password: "):
                return line.removeprefix("password: ").strip(), False
    password = "demo-" + secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("# sme-assess demo accounts (sign in at /login)\n")
        for email, role, _name in DEMO_ACCOUNTS:
            f.write(f"{role}: {email}\n")
        f.write(f"password: {password}\n")
    os.chmod(path, 0o600)  # whatever the umask
    return password, True


def seed_demo_accounts(path: Path) -> tuple[str, list[tuple[str, str, bool]]]:
    """Create the demo accounts (one per role) with the install's demo password, attach two
    demo businesses to the owner and share three with the advisor, with a first action in the
    plan. Needs the demo businesses (`seed_demo`). Returns the password and, per account,
    (role, email, created now)."""
    from . import sharing
    from .auth.service import create_user, find_by_email, set_password
    from .business.service import add_action
    from .models import AdvisorShare

    password, made_now = _demo_password(path)
    db = get_session()
    users: dict[str, Any] = {}
    out: list[tuple[str, str, bool]] = []
    for email, role, name in DEMO_ACCOUNTS:
        user = find_by_email(db, email)
        created = user is None
        if user is None:
            user = create_user(db, email=email, role=role, password=password, name=name)
        elif made_now:  # the file was lost: the accounts take the new password it now holds
            set_password(db, user, password)
        users[role] = user
        out.append((role, email, created))
    owner, advisor = users["owner"], users["advisor"]
    for name in DEMO_OWNED + DEMO_SHARED_WITHOUT_ACCOUNT:
        b = db.scalar(select(Business).where(Business.name == name))
        if b is None:
            continue
        if name in DEMO_OWNED and b.owner_id is None:
            b.owner_id = owner.id
        already = db.scalar(
            select(AdvisorShare.id).where(
                AdvisorShare.business_id == b.id, AdvisorShare.advisor_id == advisor.id
            )
        )
        if already is not None:
            continue
        by = owner if name in DEMO_OWNED else audit.DEMO_OWNER
        sharing.share(db, b, advisor, by=by, ip=None)
        if name == DEMO_OWNED[0]:
            add_action(
                db,
                b,
                advisor,
                title="Mở gian hàng trên một sàn thương mại điện tử",
                who="Chị Mai",
                due=(lookups.now() + timedelta(days=60)).date(),
            )
    db.commit()
    return password, out
