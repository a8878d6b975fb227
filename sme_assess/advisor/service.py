"""The advisor's dashboard as one SQL statement: the businesses shared with the advisor, each
with its latest overall level and date and the level before it (trend, from the
`business_progress` row kept current at each submission), filtered, searched, sorted and
paginated in the database, with the total number of matches from a window function — so the
number of statements does not grow with the number of businesses, and no request scans their
assessments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, func, literal, or_, select
from sqlalchemy.orm import Session

from ..models import AdvisorShare, Business, BusinessProgress

PER_PAGE = 25
STALE_DAYS = 182  # "not reassessed for 6 months"
SORTS = ("name", "-name", "date", "-date", "level", "-level", "province", "-province")


@dataclass(frozen=True)
class Filters:
    province: str = ""
    section: str = ""
    size: str = ""
    business_type: str = ""
    level: str = ""  # "0".."5", or "none" (no submitted assessment yet)
    stale: bool = False
    q: str = ""
    sort: str = "-date"
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        def text(name: str, n: int) -> str:
            return str(args.get(name) or "").strip()[:n]

        sort = text("sort", 12)
        level = text("level", 4)
        try:
            page = max(1, min(int(args.get("page") or 1), 100_000))
        except (TypeError, ValueError):
            page = 1
        return cls(
            province=text("province", 8),
            section=text("section", 2),
            size=text("size", 10),
            business_type=text("type", 20),
            level=level if level in {"0", "1", "2", "3", "4", "5", "none"} else "",
            stale=args.get("stale") in ("1", "on", "true"),
            q=text("q", 100),
            sort=sort if sort in SORTS else "-date",
            page=page,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments of these filters (for links), with `changes` applied."""
        out = {
            "province": self.province,
            "section": self.section,
            "size": self.size,
            "type": self.business_type,
            "level": self.level,
            "stale": "1" if self.stale else "",
            "q": self.q,
            "sort": self.sort,
            "page": self.page,
        }
        out.update(changes)
        return {k: v for k, v in out.items() if v not in ("", None, 1) or k == "sort"}


@dataclass(frozen=True)
class Row:
    public_id: str
    name: str
    tax_code: str | None
    province_code: str
    industry_section: str
    size_class: str
    business_type: str
    level: int | None
    assessed_at: datetime | None
    previous_level: int | None
    assessments: int

    @property
    def trend(self) -> str:
        """ "up", "down", "same", or "" with fewer than two assessments."""
        if self.level is None or self.previous_level is None:
            return ""
        if self.level > self.previous_level:
            return "up"
        if self.level < self.previous_level:
            return "down"
        return "same"


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def _shape(f: Filters) -> tuple[Any, ...]:
    """What decides the statement's text (the values go in bound parameters)."""
    digits = "".join(ch for ch in f.q if ch.isdigit())
    return (
        bool(f.province),
        bool(f.section),
        bool(f.size),
        bool(f.business_type),
        "none" if f.level == "none" else bool(f.level),
        f.stale,
        bool(f.q),
        len(digits) >= 3,
        f.sort,
    )


def _statement(shape: tuple[Any, ...]) -> Any:
    """The advisor's businesses with their progress row (latest level and date, the level
    before, the number of assessments), filtered and sorted; no scan of the assessments.
    Built once per shape with bound parameters: building a statement costs more than running
    it."""
    stmt = _STATEMENTS.get(shape)
    if stmt is not None:
        return stmt
    province, section, size, btype, level, stale, q, digits, sort = shape
    p = BusinessProgress
    stmt = (
        select(
            Business.public_id,
            Business.name,
            Business.tax_code,
            Business.province_code,
            Business.industry_section,
            Business.size_class,
            Business.business_type,
            p.last_level,
            p.last_assessed_at,
            p.previous_level,
            func.coalesce(p.assessments, 0),
        )
        .join(
            AdvisorShare,
            and_(
                AdvisorShare.business_id == Business.id,
                AdvisorShare.advisor_id == bindparam("advisor_id"),
                AdvisorShare.revoked_at.is_(None),
            ),
        )
        .outerjoin(p, p.business_id == Business.id)
    )
    if province:
        stmt = stmt.where(Business.province_code == bindparam("province"))
    if section:
        stmt = stmt.where(Business.industry_section == bindparam("section"))
    if size:
        stmt = stmt.where(Business.size_class == bindparam("size"))
    if btype:
        stmt = stmt.where(Business.business_type == bindparam("business_type"))
    if level == "none":
        stmt = stmt.where(p.last_level.is_(None))
    elif level:
        stmt = stmt.where(p.last_level == bindparam("level"))
    if stale:
        stmt = stmt.where(
            or_(p.last_assessed_at.is_(None), p.last_assessed_at < bindparam("cutoff"))
        )
    if q:
        conds = [func.lower(Business.name).like(bindparam("like"), escape="\\")]
        if digits:
            conds.append(Business.tax_code.like(bindparam("digits")))
        stmt = stmt.where(or_(*conds))
    key: Any = {
        "name": Business.name,
        "date": p.last_assessed_at,
        "level": p.last_level,
        "province": Business.province_code,
    }[sort.lstrip("-")]
    # rows without an assessment last in either direction; ties by name, then id (stable pages)
    stmt = stmt.order_by(
        key.is_(None),
        key.desc() if sort.startswith("-") else key.asc(),
        Business.name,
        Business.id,
    )
    _STATEMENTS[shape] = stmt
    return stmt


def _params(advisor_id: int, f: Filters, now: datetime | None = None) -> dict[str, Any]:
    needle = f.q.lower()
    like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return {
        "advisor_id": advisor_id,
        "province": f.province,
        "section": f.section,
        "size": f.size,
        "business_type": f.business_type,
        "level": int(f.level) if f.level.isdigit() else None,
        "cutoff": stale_cutoff(now),
        "like": like,
        "digits": "".join(ch for ch in f.q if ch.isdigit()) + "%",
    }


def today(now: datetime | None = None) -> date:
    """Today's date (UTC): the day the dashboard's list is computed for."""
    return (now or datetime.now(UTC)).astimezone(UTC).date()


def stale_cutoff(now: datetime | None = None) -> datetime:
    """ "Not reassessed for 6 months": the last assessment is before this instant, midnight
    (UTC) `STALE_DAYS` days before today, so the filter's answer changes once a day."""
    day = today(now) - timedelta(days=STALE_DAYS)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _row(r: Any) -> Row:
    return Row(
        public_id=r[0],
        name=r[1],
        tax_code=r[2],
        province_code=r[3],
        industry_section=r[4],
        size_class=str(getattr(r[5], "value", r[5])),
        business_type=str(getattr(r[6], "value", r[6])),
        level=r[7],
        assessed_at=r[8],
        previous_level=r[9],
        assessments=int(r[10] or 0),
    )


_PAGES: dict[tuple[Any, ...], Any] = {}


def dashboard(session: Session, advisor_id: int, f: Filters, per_page: int = PER_PAGE) -> Page:
    """One page of the advisor's list and the number of matches: one statement."""
    shape = _shape(f)
    stmt = _PAGES.get(shape)
    if stmt is None:
        stmt = _PAGES[shape] = (
            _statement(shape)
            .add_columns(func.count().over().label("total"))
            .limit(bindparam("limit", type_=Integer))
            .offset(bindparam("offset", type_=Integer))
        )
    params = _params(advisor_id, f)
    result = session.execute(
        stmt, {**params, "limit": per_page, "offset": (f.page - 1) * per_page}
    ).all()
    total = int(result[0][-1]) if result else 0
    if not result and f.page > 1:  # past the end: count once more to show where the end is
        counted = select(func.count()).select_from(_statement(shape).subquery())
        total = int(session.scalar(counted, params) or 0)
    pages = max(1, -(-total // per_page))
    return Page(rows=[_row(r) for r in result], total=total, page=f.page, pages=pages)


def export_rows(session: Session, advisor_id: int, f: Filters) -> Iterator[Row]:
    """Every matching row (the CSV), streamed in one statement."""
    stmt = _statement(_shape(f)).execution_options(yield_per=500)
    for r in session.execute(stmt, _params(advisor_id, f)):
        yield _row(r)


def shared_count(session: Session, advisor_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(literal(1))).where(
                AdvisorShare.advisor_id == advisor_id, AdvisorShare.revoked_at.is_(None)
            )
        )
        or 0
    )
