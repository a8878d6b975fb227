"""Inline SVG charts (radar and bars), rendered on the server for the results page and the PDF.

Pure string building; every text is escaped; each `<svg>` carries its own `font-family` so the
PDF never falls back to another font.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "'Noto Sans', 'Be Vietnam Pro', Arial, sans-serif"
LEVEL_COLOURS = ("#b42318", "#d9480f", "#e8a10c", "#2b8a3e", "#1971c2", "#5f3dc4")


def wrap_label(label: str, width: int = 16) -> list[str]:
    """`label` cut into lines of at most `width` characters at spaces (a longer word stands
    alone on its line)."""
    words, lines, cur = label.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return lines


def radar_svg(
    labels: Sequence[str],
    percents: Sequence[float],
    *,
    title: str,
    size: int = 420,
    font_family: str = FONT,
) -> str:
    """A radar of pillar percentages (0–100) with rings at the level bands 20/40/60/80/100,
    each ring labelled with its percentage.

    `labels` are short (the pillar codes: the bars beside the radar carry the names), so the web
    can take most of the drawing. Sized for a 360 px phone: the drawing is 470 units wide and
    its texts 23–24 units high, so in the about 300 px a phone gives the chart they are at
    least 14 px."""
    n = len(labels)
    cx = cy = size / 2
    r = size * 0.40
    pad = size * 0.06  # room for the labels left and right of the web
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-pad:.0f} 0 {size + 2 * pad:.0f} '
        f'{size}" role="img" class="chart radar" font-family="{escape(font_family)}" '
        f'font-size="24">'
        f"<title>{escape(title)}</title>"
    ]

    def point(i: int, frac: float) -> tuple[float, float]:
        ang = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * frac * math.cos(ang), cy + r * frac * math.sin(ang)

    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#8a94a6" stroke-width="1"/>')
    for i in range(n):
        x, y = point(i, 1.0)
        parts.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#8a94a6"/>'
        )
    # ring labels along the first spoke (straight up), just right of it
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        parts.append(
            f'<text x="{cx + 4:.1f}" y="{cy - r * ring + 6:.1f}" fill="#4a5260" '
            f'font-size="23">{round(ring * 100)}%</text>'
        )
    pts = " ".join(
        f"{x:.1f},{y:.1f}"
        for x, y in (point(i, max(0.0, min(100.0, p)) / 100) for i, p in enumerate(percents))
    )
    parts.append(
        f'<polygon points="{pts}" fill="#1971c2" fill-opacity="0.25" stroke="#1971c2" '
        f'stroke-width="2"/>'
    )
    for i, p in enumerate(percents):
        x, y = point(i, max(0.0, min(100.0, p)) / 100)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1971c2"/>')
    for i, label in enumerate(labels):
        x, y = point(i, 1.12)
        anchor = "middle" if abs(x - cx) < 10 else ("start" if x > cx else "end")
        lines = wrap_label(label, 11)
        if abs(x - cx) < 10:  # top and bottom labels grow away from the web
            y0 = y - (len(lines) - 1) * 25 if y < cy else y + 18
        else:
            y0 = y - (len(lines) - 1) * 12.5 + 8
        tspans = "".join(
            f'<tspan x="{x:.1f}" y="{y0 + k * 25:.1f}">{escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="{anchor}" fill="#222">{tspans}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(
    rows: Sequence[tuple[str, float, int, str]],
    *,
    title: str,
    width: int = 400,
    font_family: str = FONT,
) -> str:
    """Horizontal bars, one per row: (label, percent, level, right-hand text). Labels sit above
    their bar so the chart stays readable on a 360-pixel phone screen."""
    row_h, right_w = 50, 124
    bar_w = width - right_w
    height = row_h * len(rows) + 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart bars" font-family="{escape(font_family)}" font-size="15">'
        f"<title>{escape(title)}</title>"
    ]
    for k in (20, 40, 60, 80, 100):
        x = bar_w * k / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 18}" stroke="#dde" '
            f'stroke-dasharray="3,3"/>'
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="end" fill="#556" '
            f'font-size="14">{k}%</text>'
        )
    for i, (label, pct, level, right) in enumerate(rows):
        y = 2 + i * row_h
        w = bar_w * max(0.0, min(100.0, pct)) / 100
        colour = LEVEL_COLOURS[max(0, min(5, level))]
        short = label if len(label) <= 52 else label[:51] + "…"
        parts.append(
            f'<text x="0" y="{y + 15}" fill="#222">{escape(short)}</text>'
            f'<rect x="0" y="{y + 22}" width="{bar_w}" height="20" fill="#f1f3f5"/>'
            f'<rect x="0" y="{y + 22}" width="{w:.1f}" height="20" fill="{colour}"/>'
            f'<text x="{bar_w + 6}" y="{y + 37}" fill="#222" font-size="14">{escape(right)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
