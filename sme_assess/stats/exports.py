"""Downloads: a breakdown as CSV, every table as XLSX (XlsxWriter), and the anonymised
microdata CSV.

The CSV and XLSX render the same disclosure-controlled views as the page ("x" = suppressed).
The microdata CSV streams one row per submitted assessment — month, current province, section,
size class, type, questionnaire and version, overall level, each pillar's points and level —
and nothing else: no name, tax code, email, free text or date finer than the month. On
PostgreSQL it is PostgreSQL's own COPY … TO STDOUT, passed on in chunks as it arrives (constant
memory); elsewhere rows are formatted by the csv module from a streamed cursor."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func

from .. import registry
from ..db import read_connection
from ..i18n import gettext as _
from ..models import Assessment, PillarResult
from ..refdata import province_by_code
from . import presenters
from .source import month_text_sql, submitted_rows
from .tables import BREAKDOWNS


class _Line:
    """A file-like object that keeps the last line csv.writer wrote."""

    value = ""

    def write(self, s: str) -> None:
        self.value = s


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text line by line (UTF-8 with a BOM so spreadsheet programs read Vietnamese)."""
    line = _Line()
    w = csv.writer(line)
    w.writerow(header)
    yield "\ufeff" + line.value
    for row in rows:
        w.writerow(row)
        yield line.value


def sheet_name(title: str) -> str:
    """A valid Excel sheet name: at most 31 characters, none of []:*?/\\."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31]


def workbook(session: Any, req: presenters.Request, locale: str) -> bytes:
    """Every breakdown of the request's filters as a sheet, plus levels, pillars and notes."""
    import xlsxwriter  # type: ignore[import-untyped]  # XlsxWriter ships no type information

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    q = presenters.questionnaire_for(req.filters)
    k = presenters.min_cell()

    notes = wb.add_worksheet(sheet_name(_("Notes")))
    first = presenters.view_for(session, req, by=BREAKDOWNS[0])
    levels = wb.add_worksheet(sheet_name(_("Levels")))
    levels.write_row(0, 0, [_("Level"), _("Name"), _("Businesses assessed")], bold)
    for i, lv in enumerate(q.levels):
        v = first.total.levels[i] if i < len(first.total.levels) else None
        levels.write_row(i + 1, 0, [lv.level, lv.name.get(locale), "x" if v is None else v])
    r0 = len(q.levels) + 2
    levels.write_row(
        r0,
        0,
        [
            _("Pillar"),
            _("Mean percentage"),
            *[f"{_('Level')} {lv.level}" for lv in q.levels],
        ],
        bold,
    )
    for i, (p, pr) in enumerate(zip(q.pillars, first.pillars, strict=True)):
        levels.write_row(
            r0 + 1 + i,
            0,
            [
                p.title.get(locale),
                "x" if pr.mean_percent is None else round(pr.mean_percent, 1),
                *["x" if v is None else v for v in pr.levels[: len(q.levels)]],
            ],
        )
    levels.set_column(0, 1, 28)
    for by in BREAKDOWNS:
        view = first if by == BREAKDOWNS[0] else presenters.view_for(session, req, by=by)
        header, rows = presenters.table_rows(view, q, locale)
        ws = wb.add_worksheet(sheet_name(str(presenters.DIM_LABELS[by])))
        ws.write_row(0, 0, header, bold)
        for i, row in enumerate(rows):
            ws.write_row(i + 1, 0, row)
        ws.set_column(0, 0, 34)
        ws.freeze_panes(1, 1)

    scope = province_by_code().get(req.scope) if req.scope else None
    lines = [
        (_("Source"), _("sme-assess: submitted self-assessments (Digital Business Indicators)")),
        (_("Extraction date"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (_("Questionnaire version"), f"{q.id} {q.version}"),
        (_("Data"), _("synthetic (demonstration)") if first.synthetic else _("real submissions")),
        (_("Scope"), scope.label(locale) if scope else _("whole country")),
        *[(f, v) for f, v in presenters.filter_summary(req.filters, locale)],
        (_("Businesses assessed"), _("submitted assessments (one business may have several)")),
        (
            _("Level"),
            _(
                "overall DBI level 0–5 by the questionnaire's rules; pillar percentage = pillar "
                "points / pillar maximum"
            ),
        ),
        (
            _("Mean percentage"),
            _("sum of the pillar points / sum of the pillar maxima × 100 in the group"),
        ),
        (_("Period"), _("month of submission in Vietnam time (UTC+7)")),
        (
            _("Province"),
            _("the 34 units since 1 July 2025; earlier provinces counted in the unit they joined"),
        ),
        (
            _("Suppression"),
            _(
                "x = not shown: a cell of fewer than %(k)s businesses, or a cell that would let "
                "one be calculated from totals, other cells or a wider selection (see README, "
                "Statistics).",
                k=k,
            ),
        ),
    ]
    notes.set_column(0, 0, 26)
    notes.set_column(1, 1, 90)
    for i, (key, value) in enumerate(lines):
        notes.write(i, 0, key, bold)
        notes.write(i, 1, value, wrap)
    notes.activate()
    wb.close()
    return buf.getvalue()


def microdata_query(dialect: str, scope: str | None) -> Any:
    """One row per submitted assessment with the pillars side by side (pillar ids of the
    default questionnaire; other questionnaires' pillars follow in their own columns)."""
    q = registry.default_questionnaire()
    pr = PillarResult.__table__.c
    base = submitted_rows(dialect, synthetic=presenters.synthetic_mode())
    cols = base.selected_columns
    pillar_cols = []
    for p in q.pillars:
        pillar_cols.append(
            func.max(case((pr.pillar_id == p.id, pr.points))).label(f"{p.id}_points")
        )
        pillar_cols.append(func.max(case((pr.pillar_id == p.id, pr.level))).label(f"{p.id}_level"))
    month_text = month_text_sql(dialect)
    stmt = (
        base.with_only_columns(
            month_text.label("month"),
            cols.province_code,
            cols.industry_section,
            cols.size_class,
            cols.business_type,
            cols.questionnaire_id,
            cols.questionnaire_version,
            Assessment.overall_level.label("overall_level"),
            *pillar_cols,
        )
        .join(PillarResult.__table__, pr.assessment_id == Assessment.id)
        .group_by(Assessment.id)
        .order_by(Assessment.id)
    )
    if scope:
        stmt = stmt.where(cols.province_code == scope)
    return stmt


def microdata_chunks(scope: str | None) -> Iterator[bytes]:
    """The microdata CSV in pieces, read through the request's read-only connection."""
    with read_connection() as conn:
        stmt = microdata_query(conn.dialect.name, scope)
        if conn.dialect.name == "postgresql":
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            yield "\ufeff".encode()
            with cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)") as cp:
                for chunk in cp:
                    yield bytes(chunk)
            return
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(stmt)
        for line in csv_lines(list(result.keys()), result):
            yield line.encode()
