"""Peer benchmark for owners: per pillar, the business against the quartiles of submitted
assessments of the same VSIC section and size class — and of the same province when that group
is large enough — with the group size. Nothing for a group below the threshold.

The threshold is `SME_STATS_PEER_MIN` (default 20, never below the disclosure threshold k): a
quartile is the points of an actual business, so a small group would show individual scores.
Quartiles by the nearest-rank rule: Qp is the smallest number of points reached by at least
⌈p·n⌉ assessments of the group (p = 1/4, 1/2, 3/4); shown as a percentage of the pillar's
maximum. Read from `stats_peer_points` (exact counts per number of points), real data only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..models import Assessment
from .provinces import current_province
from .queries import PeerDistribution, peer_points
from .source import profile_value


@dataclass(frozen=True)
class PeerPillar:
    pillar_id: str
    own_percent: float
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class PeerBenchmark:
    """`province` is the province code when the group is limited to it."""

    section: str
    size_class: str
    province: str | None
    n: int
    pillars: tuple[PeerPillar, ...]


def nearest_rank(histogram: tuple[tuple[int, int], ...], p: float) -> int:
    """The smallest points value reached by at least ⌈p·n⌉ of the group (n ≥ 1)."""
    n = sum(c for _v, c in histogram)
    rank = max(1, math.ceil(p * n))
    seen = 0
    for value, count in histogram:
        seen += count
        if seen >= rank:
            return value
    return histogram[-1][0]


def _pct(points: int, max_points: int) -> float:
    return 100 * points / max_points if max_points else 0.0


def benchmark(session: Session, assessment: Assessment, min_group: int) -> PeerBenchmark | None:
    """The peer benchmark of a submitted assessment, or None when no group is large enough."""
    if assessment.synthetic or not assessment.pillar_results:
        return None
    section = profile_value(assessment, "industry_section")
    size = profile_value(assessment, "size_class")
    province = current_province(profile_value(assessment, "province_code"))
    for scope in (province, None):
        dists: dict[str, PeerDistribution] = peer_points(
            session,
            False,
            assessment.questionnaire_id,
            assessment.questionnaire_version,
            section,
            size,
            province=scope,
        )
        n = min((d.n for d in dists.values()), default=0)
        if n >= min_group:
            break
    else:
        return None
    own = {p.pillar_id: p for p in assessment.pillar_results}
    pillars = []
    for pid, d in dists.items():
        mine = own.get(pid)
        if mine is None:
            continue
        q1, med, q3 = (nearest_rank(d.histogram, p) for p in (0.25, 0.5, 0.75))
        pillars.append(
            PeerPillar(
                pid,
                _pct(mine.points, mine.max_points),
                _pct(q1, d.max_points),
                _pct(med, d.max_points),
                _pct(q3, d.max_points),
            )
        )
    order = {p.pillar_id: i for i, p in enumerate(assessment.pillar_results)}
    pillars.sort(key=lambda p: order.get(p.pillar_id, 99))
    return PeerBenchmark(section, size, scope, n, tuple(pillars))


@dataclass(frozen=True)
class PeerRow:
    title: str
    own: float
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class PeerView:
    """What the results page and the PDF show: a caption naming the group and its size, one
    row per pillar (percentages) and an SVG chart of the same numbers."""

    caption: str
    n: int
    rows: tuple[PeerRow, ...]
    svg: str


def min_group() -> int:
    """`SME_STATS_PEER_MIN` (default 20), at least the disclosure threshold."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return 20
    k = int(current_app.config.get("STATS_MIN_CELL", 5))
    return max(k, int(current_app.config.get("STATS_PEER_MIN", 20)))


def peer_view(
    session: Session,
    assessment: Assessment,
    titles: dict[str, str],
    locale: str,
    *,
    font_family: str | None = None,
) -> PeerView | None:
    """The peer benchmark ready to show, in the current request's language (call inside
    `force_locale` for another)."""
    from flask_babel import gettext

    from ..refdata import province_by_code, section_by_code
    from .charts import peer_svg

    bench = benchmark(session, assessment, min_group())
    if bench is None:
        return None
    sizes = {
        "micro": gettext("Micro"),
        "small": gettext("Small"),
        "medium": gettext("Medium"),
        "large": gettext("Large"),
    }
    sec = section_by_code().get(bench.section)
    group = f"{sec.label(locale) if sec else bench.section} · {sizes.get(bench.size_class, '')}"
    if bench.province:
        prov = province_by_code().get(bench.province)
        group += f" · {prov.label(locale) if prov else bench.province}"
    caption = gettext(
        "Compared with %(n)s submitted assessments of businesses like yours (%(group)s).",
        n=f"{bench.n:,}".replace(",", "." if locale == "vi" else ","),
        group=group,
    )
    order = {pid: i for i, pid in enumerate(titles)}  # the questionnaire's pillar order
    rows = tuple(
        PeerRow(titles.get(p.pillar_id, p.pillar_id), p.own_percent, p.q1, p.median, p.q3)
        for p in sorted(bench.pillars, key=lambda p: order.get(p.pillar_id, len(order)))
    )
    svg = peer_svg(
        [(r.title, r.own, r.q1, r.median, r.q3) for r in rows],
        title=gettext("Your pillars against businesses like yours"),
        you=gettext("You"),
        middle=gettext("Middle half of the group; line: median"),
        font_family=font_family,
    )
    return PeerView(caption, bench.n, rows, svg)
