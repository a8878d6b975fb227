"""Build `ReportData` for an assessment (used by the results page and the PDF)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from ..lookups import history
from ..models import Assessment
from ..questionnaire import Questionnaire, visible_question_ids
from ..refdata import province_by_code, section_by_code
from ..scoring import score
from ..stats.peer import peer_view
from .charts import FONT, bars_svg, radar_svg
from .data import (
    AnswerLine,
    BandedCriterion,
    CriterionLine,
    HistoryLine,
    LevelInfo,
    Phase,
    PillarSection,
    PlatformLine,
    RecommendationLine,
    ReportData,
    criterion_answers,
)


def business_type_label(value: str) -> str:
    return {
        "enterprise": gettext("Enterprise"),
        "cooperative": gettext("Cooperative"),
        "household": gettext("Household business"),
    }.get(value, value)


def size_label(value: str) -> str:
    return {
        "micro": gettext("Micro"),
        "small": gettext("Small"),
        "medium": gettext("Medium"),
        "large": gettext("Large"),
    }.get(value, value)


def source_reference(reference: str, locale: str) -> str:
    """A Vietnamese decision citation ("Quyết định 1970/QĐ-BTTTT ngày 13/12/2021") written in
    `locale`: the number stays, the date is written out ("Decision 1970/QĐ-BTTTT of 13 December
    2021"). Anything else is returned as it is."""
    m = re.fullmatch(r"Quyết định (\S+) ngày (\d{1,2})/(\d{1,2})/(\d{4})", reference.strip())
    if m is None or locale == "vi":
        return reference
    day = date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
    return gettext(
        "Decision %(number)s of %(date)s",
        number=m.group(1),
        date=babel_format_date(day, "d MMMM y", locale=locale),
    )


def size_text(business_type: str, size_class: str) -> str:
    """The size class as the owner should read it: Decree 80/2021 classifies enterprises; a
    cooperative may be classified by the same thresholds for SME support (said so); a household
    business has no Decree 80 class; above the medium limits is outside the SME scope."""
    if business_type == "household":
        return gettext(
            "no size class: Decree 80/2021 classifies enterprises, not household businesses"
        )
    if size_class == "large":
        return gettext("above the medium limits of Decree 80/2021: outside the SME scope")
    if business_type == "cooperative":
        return gettext("%(size)s (by the SME criteria)", size=size_label(size_class))
    return size_label(size_class)


def phase_title(phase_id: str) -> str:
    return {
        "0-3": gettext("Months 1–3"),
        "3-6": gettext("Months 4–6"),
        "6-12": gettext("Months 7–12"),
    }.get(phase_id, phase_id)


def build_report(
    db: Session,
    a: Assessment,
    q: Questionnaire | None,
    locale: str,
    *,
    verify_url: str | None = None,
    font_family: str = FONT,
    catalog: Any = None,
) -> ReportData:
    """Report data of a submitted assessment, in `locale`. Scores come from the immutable
    snapshot; texts from the questionnaire file (the same id and version where available)."""
    with force_locale(locale):
        return _build(db, a, q, locale, verify_url, font_family, catalog)


def _build(
    db: Session,
    a: Assessment,
    q: Questionnaire | None,
    locale: str,
    verify_url: str | None,
    font_family: str,
    catalog: Any,
) -> ReportData:
    snap = a.score_snapshot or {}
    answers: dict[str, Any] = dict(snap.get("answers", {}))
    b = a.profile  # the business as it was when the assessment was submitted
    yes_no = {"yes": gettext("Yes"), "no": gettext("No")}
    shown = visible_question_ids(q, answers) if q else frozenset()
    pillars: list[PillarSection] = []
    for sp in snap.get("pillars", []):
        qp = q.pillar(sp["id"]) if q else None
        lines = []
        for sc in sp["criteria"]:
            crit = q.criterion(sc["id"]) if q else None
            lines.append(
                CriterionLine(
                    id=sc["id"],
                    code=sc["code"],
                    title=crit.title.get(locale) if crit else sc["code"],
                    official_text=crit.official_text if crit else "",
                    level=sc["level"],
                    points=sc["points"],
                    max_points=sc["max"],
                    answers=criterion_answers(q, sc["id"], answers, shown, locale, yes_no)
                    if q
                    else (),
                )
            )
        by_id = {c.id: c for c in lines}
        gaps, later = _weaknesses(
            [by_id[cid] for cid in sp.get("pulled_down", []) if cid in by_id], a, catalog
        )
        strengths = tuple(
            sorted((c for c in lines if c.level >= 4), key=lambda c: (-c.level, c.code))
        )
        level_name = q.level(sp["level"]).name.get(locale) if q else str(sp["level"])
        pillars.append(
            PillarSection(
                id=sp["id"],
                code=qp.code if qp else "",
                title=qp.title.get(locale) if qp else sp["id"],
                points=sp["points"],
                max_points=sp["max"],
                percent=sp["percent"],
                level=sp["level"],
                level_name=level_name,
                strengths=strengths,
                gaps=gaps[:5],
                later=later,
            )
        )
    overall = int(snap.get("overall_level", 0))
    lv = q.level(overall) if q else None
    province = province_by_code().get(b.province_code)
    section = section_by_code().get(b.industry_section)
    lvl_word = gettext("Level")
    # the charts' titles are their text alternatives (screen readers, the tagged PDF): they
    # say what the chart shows, pillar by pillar
    summary = "; ".join(
        gettext(
            "%(pillar)s %(percent)s%% (level %(level)s)",
            pillar=p.title,
            percent=format_decimal(p.percent, locale=locale),
            level=p.level,
        )
        for p in pillars
    )
    radar = radar_svg(
        [p.code for p in pillars],
        [p.percent for p in pillars],
        title=gettext("Radar chart of the pillar scores") + ": " + summary,
        font_family=font_family,
    )
    bars = bars_svg(
        [
            (
                f"{p.code}. {p.title}",
                p.percent,
                p.level,
                f"{p.points}/{p.max_points} · {lvl_word} {p.level}",
            )
            for p in pillars
        ],
        title=gettext("Scores by pillar") + ": " + summary,
        font_family=font_family,
    )
    phases, plan_later = _phases(a, q, answers, locale, catalog) if q is not None else ((), ())
    total, max_total = int(snap.get("total", 0)), int(snap.get("max_total", 0)) or 1
    history = _history(db, a)
    return ReportData(
        locale=locale,
        business_name=b.name,
        business_type=business_type_label(b.business_type.value),
        province=province.label(locale) if province else b.province_code,
        industry=section.label(locale) if section else b.industry_section,
        size_class=size_text(b.business_type.value, b.size_class.value),
        tax_code=b.tax_code,
        submitted_at=a.submitted_at,
        questionnaire_title=q.title.get(locale) if q else a.questionnaire_id,
        questionnaire_key=f"{a.questionnaire_id} v{a.questionnaire_version}",
        source_reference=source_reference(q.source_reference, locale) if q else "",
        overall_level=overall,
        overall_name=lv.name.get(locale) if lv else str(overall),
        overall_description=lv.description.get(locale) if lv else "",
        total=total,
        max_total=max_total,
        percent=round(total * 100 / max_total, 1),
        pillars=tuple(pillars),
        phases=phases,
        levels=tuple(
            LevelInfo(x.level, x.name.get(locale), x.description.get(locale)) for x in q.levels
        )
        if q
        else (),
        pillar_bands=_band_texts(q),
        overall_rules=_rule_texts(q),
        banded_criteria=tuple(
            BandedCriterion(
                c.code,
                c.title.get(locale),
                tuple(o.text.get(locale) for qq in c.questions for o in qq.options),
            )
            for c in (q.criteria if q else ())
            if c.bands_source == "sme-assess"
        ),
        history=history,
        verification_code=a.verification_code,
        verify_url=verify_url,
        catalog_note=catalog.note.get(locale)
        if catalog is not None and hasattr(catalog, "note") and catalog.note is not None
        else "",
        alternatives_order=_alternatives_order(locale),
        plan_later=plan_later,
        programme_terms=tuple(
            f"{t.date}: {t.text.get(locale)}" for t in getattr(catalog, "programme_terms", ())
        ),
        radar_svg=radar,
        bars_svg=bars,
        peers=peer_view(db, a, {p.id: p.title for p in pillars}, locale, font_family=font_family),
    )


def _band_texts(q: Questionnaire | None) -> tuple[tuple[int, str], ...]:
    if q is None:
        return ()
    bands = q.scoring.pillar_bands
    out = []
    for i, b in enumerate(bands):
        upper = bands[i + 1].above if i + 1 < len(bands) else 100
        if i == 0:
            text = gettext("under %(upper)s%%", upper=_num(upper))
        else:
            low_rel = "≥" if b.inclusive else ">"
            up_rel = "<" if i + 1 < len(bands) and bands[i + 1].inclusive else "≤"
            text = f"{low_rel} {_num(b.above)}% … {up_rel} {_num(upper)}%"
        out.append((b.level, text))
    return tuple(out)


def _rule_texts(q: Questionnaire | None) -> tuple[tuple[int, str], ...]:
    if q is None:
        return ()
    out = []
    for r in q.scoring.overall_rules:
        if r.pillars_at_least is None:
            text = gettext(
                "total above %(total)s points and every pillar at level %(level)s or higher",
                total=_num(r.total_above),
                level=r.pillar_level,
            )
        else:
            text = gettext(
                "total above %(total)s points and at least %(n)s pillars at level %(level)s or "
                "higher",
                total=_num(r.total_above),
                n=r.pillars_at_least,
                level=r.pillar_level,
            )
        out.append((r.level, text))
    return tuple(out)


def _num(x: Any) -> str:
    f = float(x)
    return str(int(f)) if f == int(f) else f"{f:g}"


def _history(db: Session, a: Assessment) -> tuple[HistoryLine, ...]:
    return tuple(
        HistoryLine(h.submitted_at, h.total_points or 0, h.overall_level or 0, h.id == a.id)
        for h in history(db, a.business)
    )


def _profile(a: Assessment) -> Any:
    from ..recommend import Profile

    b = a.profile
    return Profile(
        size_class=b.size_class.value,
        industry_section=b.industry_section,
        business_type=b.business_type.value,
        province_code=b.province_code,
        activities=a.activity_ids,
    )


def _weaknesses(
    pulled: list[CriterionLine], a: Assessment, catalog: Any
) -> tuple[tuple[CriterionLine, ...], tuple[CriterionLine, ...]]:
    """What holds a pillar back, most relevant to this business first (then most points lost,
    then code), and apart the advanced technologies it does not need yet. Points and levels
    are the official ones; only the order and the grouping change."""
    if catalog is None or not hasattr(catalog, "relevance_of"):
        return tuple(pulled), ()
    profile = _profile(a)
    later = tuple(c for c in pulled if catalog.is_later(c.id, profile))
    rest = sorted(
        (c for c in pulled if c not in later),
        key=lambda c: (-catalog.relevance_of(c.id, profile), c.points - c.max_points),
    )
    return tuple(rest), later


def _alternatives_order(locale: str) -> str:
    from ..recommend import ALTERNATIVES_ORDER

    return ALTERNATIVES_ORDER.get(locale, ALTERNATIVES_ORDER["vi"])


def _phases(
    a: Assessment, q: Questionnaire, answers: dict[str, Any], locale: str, catalog: Any
) -> tuple[tuple[Phase, ...], tuple[str, ...]]:
    if catalog is None:
        return (), ()
    from ..recommend import recommend

    result = score(q, answers)
    plan = recommend(
        q, result, answers, _profile(a), catalog, locale=locale, seed=f"business:{a.business_id}"
    )
    phases = tuple(
        Phase(ph.id, phase_title(ph.id), tuple(_line(r, locale) for r in ph.recommendations))
        for ph in plan.phases
        if ph.recommendations
    )
    return phases, tuple(c.name.get(locale) for c in plan.later)


def gain_text(reason: Any, locale: str) -> str:
    if reason.level_after <= reason.level_before:
        return ""
    return gettext(
        "If the related criteria reach at least level %(target)s, the “%(pillar)s” pillar could "
        "rise to level %(level)s – %(name)s.",
        target=reason.target_level,
        pillar=reason.pillar_title.get(locale),
        level=reason.level_after,
        name=reason.level_after_name.get(locale),
    )


def cost_text(pf: Any) -> str:
    """The platform's cost exactly as the catalogue states it."""
    c = pf.cost
    if c.kind == "free_public":
        return gettext("Free public service.")
    if c.kind == "free_trial":
        return gettext(
            "Free for %(months)s months, as reported on %(date)s by %(source)s.",
            months=c.months,
            date=c.as_of.isoformat() if c.as_of else "?",
            source=c.source,
        )
    if c.kind == "paid":
        return gettext("Paid: ask the provider for the price.")
    return gettext("Price not known: ask the provider.")


def _line(r: Any, locale: str) -> RecommendationLine:
    from ..recommend import render_reason

    reason = r.reason_data
    return RecommendationLine(
        category_id=r.category.id,
        category=r.category.name.get(locale),
        description=r.category.description.get(locale),
        kind=r.kind,
        phase=r.phase,
        # the engine's own sentences (vi and en): the same text as `sme-assess recommend`
        reason=render_reason(reason, locale, with_gain=False),
        triggered_by=tuple(
            AnswerLine(t.question(locale), t.answer(locale)) for t in r.triggered_by
        ),
        gain=gain_text(reason, locale),
        alternatives=tuple(
            PlatformLine(
                platform_id=pf.id,
                name=pf.name,
                provider=pf.provider,
                description=pf.description.get(locale),
                cost_kind=pf.cost.kind,
                cost=cost_text(pf),
                offer=pf.offer.get(locale),
                verified=bool(pf.verified),
                website=pf.website,
            )
            for pf in r.alternatives
        ),
    )
