"""Text that reaches the PDF uses only the vendored fonts.

WeasyPrint falls back to a system font for a character the stylesheet's fonts lack (an emoji
in a business name pulled one into the PDF: a different look on every machine, and a font
file from the host embedded in the report). `printable` replaces such characters with U+FFFD
(the replacement character, which Noto Sans has) before the text goes into the report."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..paths import PACKAGE_DIR

FONTS = PACKAGE_DIR / "fonts"
REPLACEMENT = "\ufffd"
# Noto Sans Math is only used for this range (the @font-face `unicode-range` in pdf.py)
MATH_RANGE = range(0x2190, 0x2300)


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points the report's fonts draw (Regular and Bold cover the same set)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    points: set[int] = set()
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        with TTFont(FONTS / name, lazy=True) as font:
            points.update(font.getBestCmap())
    with TTFont(FONTS / "NotoSansMath-Regular.ttf", lazy=True) as font:
        points.update(cp for cp in font.getBestCmap() if cp in MATH_RANGE)
    return frozenset(points)


def printable(text: str | None) -> str:
    """`text` (NFC) with every character the vendored fonts lack replaced by U+FFFD; runs of
    such characters (an emoji with its modifiers) become one replacement character."""
    if not text:
        return text or ""
    have = covered()
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) in have or ch in " \n":
            out.append(ch)
        elif not out or out[-1] != REPLACEMENT:
            out.append(REPLACEMENT)
    return "".join(out)
