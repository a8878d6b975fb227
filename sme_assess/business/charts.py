"""The T0 → T1 comparison chart: two bars per pillar (percent of its points), inline SVG.

Pure string building; every text is escaped. Colours differ in lightness and the bars carry
their numbers, so the chart reads without colour; a table with the same figures follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..reports.charts import wrap_label

FONT = "'Noto Sans', Arial, sans-serif"
BEFORE, AFTER = "#9aa5b1", "#0b5cad"


def compare_svg(
    rows: Sequence[tuple[str, float, float, int, int]],
    *,
    title: str,
    before_label: str,
    after_label: str,
    level_word: str,
) -> str:
    """`rows`: (pillar title, before %, after %, before level, after level).

    Drawn for a phone: 360 units wide (about the width of a phone's card, so the text keeps
    close to its 15–16 px there; `.chart.compare` caps the width on larger screens), the legend
    on two lines, each pillar's title above its two bars."""
    width, bar_x, bar_w, bar_h = 360, 4, 226, 20
    parts: list[str] = []
    y = 72
    for label, p0, p1, l0, l1 in rows:
        for line in wrap_label(label, 34):
            parts.append(
                f'<text x="{bar_x}" y="{y}" font-weight="600" font-size="16">{escape(line)}</text>'
            )
            y += 22
        y += 2
        for pct, lvl, colour in ((p0, l0, BEFORE), (p1, l1, AFTER)):
            w = max(0.0, min(100.0, pct)) / 100 * bar_w
            parts.append(
                f'<rect x="{bar_x}" y="{y - 4}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{colour}" rx="3"/>'
            )
            parts.append(
                f'<text x="{bar_x + w + 6:.1f}" y="{y + 12}">{pct:.1f}% · '
                f"{escape(level_word)} {lvl}</text>"
            )
            y += bar_h + 6
        y += 16
    legend = (
        f'<rect x="{bar_x}" y="6" width="18" height="18" fill="{BEFORE}"/>'
        f'<text x="{bar_x + 26}" y="21">T0: {escape(before_label)}</text>'
        f'<rect x="{bar_x}" y="32" width="18" height="18" fill="{AFTER}"/>'
        f'<text x="{bar_x + 26}" y="47">T1: {escape(after_label)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {y}" role="img" '
        f'class="chart compare" font-family="{escape(FONT)}" font-size="15" fill="#1b1f24">'
        f"<title>{escape(title)}</title>{legend}{''.join(parts)}</svg>"
    )
