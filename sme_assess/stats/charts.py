"""Server-rendered SVG charts for the statistics dashboard (pure string building, every text
escaped, in the style of `reports.charts`). Each chart sits beside a table with the same
numbers; suppressed values are drawn as an empty track marked "x"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ..reports.charts import FONT, LEVEL_COLOURS

BAR = "#1971c2"
SUPPRESSED = "x"


def bars_svg(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    width: int = 480,
    scale_max: float = 100.0,
) -> str:
    """Horizontal bars: (label, value 0–scale_max or None when not shown, right-hand text —
    "x" for a suppressed value)."""
    row_h, right_w = 40, 90
    bar_w = width - right_w
    height = row_h * len(rows) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart bars" font-family="{escape(FONT)}" font-size="14">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, value, right) in enumerate(rows):
        y = 2 + i * row_h
        short = label if len(label) <= 60 else label[:59] + "…"
        parts.append(
            f'<text x="0" y="{y + 13}" fill="#222">{escape(short)}</text>'
            f'<rect x="0" y="{y + 18}" width="{bar_w}" height="14" fill="#f1f3f5"/>'
        )
        if value is not None and scale_max > 0:
            w = bar_w * max(0.0, min(scale_max, value)) / scale_max
            parts.append(f'<rect x="0" y="{y + 18}" width="{w:.1f}" height="14" fill="{BAR}"/>')
        parts.append(f'<text x="{bar_w + 6}" y="{y + 30}" fill="#222">{escape(right)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def levels_svg(counts: Sequence[int | None], names: Sequence[str], *, title: str) -> str:
    """Vertical columns of the businesses at each level (counts; None = suppressed)."""
    width, height, top, bottom = 480, 220, 10, 44
    n = len(counts)
    slot = width / max(1, n)
    known = [c for c in counts if c is not None]
    peak = max(known) if known else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart levels" font-family="{escape(FONT)}" font-size="13">'
        f"<title>{escape(title)}</title>"
        f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#99a"/>'
    ]
    for i, c in enumerate(counts):
        x = i * slot + slot * 0.15
        w = slot * 0.7
        if c is None:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height - bottom - 6}" text-anchor="middle" '
                f'fill="#556">{SUPPRESSED}</text>'
            )
        elif peak:
            h = (height - top - bottom) * c / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{w:.1f}" '
                f'height="{h:.1f}" fill="{LEVEL_COLOURS[min(i, 5)]}"/>'
            )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="#222">{i}</text>'
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 32}" text-anchor="middle" '
            f'fill="#556" font-size="11">{escape(names[i][:12] if i < len(names) else "")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_svg(points: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """A line of percentages (0–100) over periods; a suppressed period breaks the line."""
    width, height, left, bottom, top = 480, 220, 34, 40, 10
    n = len(points)
    step = (width - left - 10) / max(1, n - 1) if n > 1 else 0
    plot_h = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart line" font-family="{escape(FONT)}" font-size="12">'
        f"<title>{escape(title)}</title>"
    ]
    for k in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - k / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 6}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#556">{k}%</text>'
        )
    segment: list[str] = []
    every = max(1, n // 8)
    for i, (label, value) in enumerate(points):
        x = left + i * step
        if value is None:
            if len(segment) > 1:
                parts.append(_polyline(segment))
            segment = []
        else:
            y = top + plot_h * (1 - max(0.0, min(100.0, value)) / 100)
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BAR}"/>')
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="#222">{escape(label)}</text>'
            )
    if len(segment) > 1:
        parts.append(_polyline(segment))
    parts.append("</svg>")
    return "".join(parts)


def _polyline(points: list[str]) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{BAR}" stroke-width="2"/>'


def tile_map_svg(
    layout: tuple[int, int, Mapping[str, tuple[int, int]]],
    values: Mapping[str, float | str | None],
    names: Mapping[str, str],
    *,
    title: str,
) -> str:
    """One square tile per province at its grid position, shaded by a percentage (None =
    suppressed, grey with "x"; a text, e.g. "–" for no data, grey with that text); the tile
    shows the first letters of the name and the value."""
    cols, rows, tiles = layout
    size, gap = 64, 4
    width, height = cols * (size + gap), rows * (size + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart tiles" font-family="{escape(FONT)}" font-size="11">'
        f"<title>{escape(title)}</title>"
    ]
    for code, (c, r) in tiles.items():
        x, y = c * (size + gap), r * (size + gap)
        v = values.get(code)
        if v is None or isinstance(v, str):  # suppressed ("x"), or a text such as "–"
            fill, ink, text = "#e9ecef", "#333", SUPPRESSED if v is None else v
        else:
            # five steps of blue, light to dark
            step = min(4, int(max(0.0, min(99.999, v)) // 20))
            fill = ("#d0ebff", "#a5d8ff", "#74c0fc", "#339af0", "#1864ab")[step]
            ink = "#fff" if step >= 3 else "#111"
            text = f"{v:.0f}%"
        name = names.get(code, code)
        parts.append(
            f"<g><title>{escape(name)}: {escape(text)}</title>"
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="4" fill="{fill}"/>'
            f'<text x="{x + size / 2}" y="{y + 26}" text-anchor="middle" fill="{ink}">'
            f"{escape(_short(name))}</text>"
            f'<text x="{x + size / 2}" y="{y + 46}" text-anchor="middle" fill="{ink}" '
            f'font-size="14" font-weight="bold">{escape(text)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(name: str) -> str:
    """A tile label: the name without "TP", cut to 9 characters."""
    name = name.removeprefix("TP ").removeprefix("Thành phố ")
    return name if len(name) <= 9 else name[:8] + "…"


def peer_svg(
    rows: Sequence[tuple[str, float, float, float, float]],
    *,
    title: str,
    you: str,
    middle: str,
    width: int = 480,
    font_family: str | None = None,
) -> str:
    """Per pillar (title, own %, lower quartile, median, upper quartile): a 0–100 track with the
    group's middle half as a band, its median as a line and the business as a dot."""
    row_h, top = 44, 30
    height = top + row_h * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart peers" font-family="{escape(font_family or FONT)}" font-size="13">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="8" cy="10" r="6" fill="#d9480f"/>'
        f'<text x="20" y="15" fill="#222">{escape(you)}</text>'
        f'<rect x="90" y="4" width="24" height="12" fill="#a5d8ff"/>'
        f'<line x1="102" y1="2" x2="102" y2="18" stroke="#1864ab" stroke-width="2"/>'
        f'<text x="120" y="15" fill="#222">{escape(middle)}</text>'
    ]
    for i, (label, own, q1, med, q3) in enumerate(rows):
        y = top + i * row_h
        short = label if len(label) <= 60 else label[:59] + "…"

        def x(v: float) -> float:  # 8 px margins: a dot at 0 or 100 % stays whole
            return 8 + (width - 16) * max(0.0, min(100.0, v)) / 100

        parts.append(
            f'<text x="0" y="{y + 12}" fill="#222">{escape(short)}</text>'
            f'<rect x="0" y="{y + 20}" width="{width}" height="14" fill="#f1f3f5"/>'
            f'<rect x="{x(q1):.1f}" y="{y + 20}" width="{max(2.0, x(q3) - x(q1)):.1f}" '
            f'height="14" fill="#a5d8ff"/>'
            f'<line x1="{x(med):.1f}" y1="{y + 17}" x2="{x(med):.1f}" y2="{y + 37}" '
            f'stroke="#1864ab" stroke-width="2"/>'
            f'<circle cx="{x(own):.1f}" cy="{y + 27}" r="6" fill="#d9480f"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
