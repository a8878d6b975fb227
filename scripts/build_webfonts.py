"""Build the web fonts the pages serve from the vendored TTFs in sme_assess/fonts/ (one-off;
the outputs are committed).

The pages ask for "Noto Sans". Without a font of their own they would be drawn in whatever the
machine has (DejaVu on a bare Debian), with other widths and heights, so tap targets and chart
labels would change from machine to machine. This script subsets the vendored Noto Sans
(regular and bold) to Latin and Vietnamese, and Noto Sans Math to the few arrows and
comparison signs the texts use, as WOFF2 (Brotli) files in sme_assess/static/fonts/, with the
SIL Open Font License beside them. app.css declares them with the same `unicode-range`s.

Run from the repository root (needs the `dev` extra: fonttools and brotli)::

    .venv/bin/python scripts/build_webfonts.py          # write the fonts
    .venv/bin/python scripts/build_webfonts.py --check  # exit 1 if a text character is missing
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sme_assess" / "fonts"
OUT = ROOT / "sme_assess" / "static" / "fonts"

# Latin (Basic Latin, Latin-1, common punctuation) and Vietnamese: the ranges app.css lists in
# `unicode-range` for "Noto Sans". Keep the two lists the same.
TEXT_RANGES = [
    (0x0000, 0x00FF),
    (0x0102, 0x0103),  # Ă ă
    (0x0110, 0x0111),  # Đ đ
    (0x0128, 0x0129),  # Ĩ ĩ
    (0x0131, 0x0131),
    (0x0152, 0x0153),
    (0x0168, 0x0169),  # Ũ ũ
    (0x01A0, 0x01A1),  # Ơ ơ
    (0x01AF, 0x01B0),  # Ư ư
    (0x02BB, 0x02BC),
    (0x02C6, 0x02C6),
    (0x02DA, 0x02DA),
    (0x02DC, 0x02DC),
    (0x0300, 0x0309),  # combining tone marks (decomposed Vietnamese text)
    (0x0323, 0x0323),  # combining dot below
    (0x0329, 0x0329),
    (0x1EA0, 0x1EF9),  # Vietnamese letters with tone marks
    (0x2000, 0x206F),  # general punctuation: – — ‘ ’ “ ” … •
    (0x2074, 0x2074),
    (0x2080, 0x2089),  # subscript digits (CO₂)
    (0x20AB, 0x20AC),  # ₫ €
    (0x2122, 0x2122),
    (0x2215, 0x2215),
    (0xFEFF, 0xFEFF),
    (0xFFFD, 0xFFFD),
]
# Not in Noto Sans: taken from Noto Sans Math (as the PDF report does).
SYMBOL_RANGES = [
    (0x2190, 0x2193),  # ← ↑ → ↓
    (0x21D4, 0x21D4),  # ⇔
    (0x2212, 0x2212),  # −
    (0x2264, 0x2265),  # ≤ ≥
]

FONTS = [
    ("NotoSans-Regular.ttf", "noto-sans-vi-400.woff2", TEXT_RANGES),
    ("NotoSans-Bold.ttf", "noto-sans-vi-700.woff2", TEXT_RANGES),
    ("NotoSansMath-Regular.ttf", "noto-sans-math-symbols.woff2", SYMBOL_RANGES),
]

# Files whose characters a reader sees in a browser.
TEXT_FILES = [
    "templates/**/*.html",
    "translations/*/LC_MESSAGES/messages.po",
    "questionnaires/*.yaml",
    "sme_assess/data/*.yaml",
    "sme_assess/static/*.js",
]


def css_range(ranges: list[tuple[int, int]]) -> str:
    """The ranges as a CSS `unicode-range` value."""
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges)


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, target, ranges in FONTS:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]  # kerning, ligatures, mark positioning of tone marks
        options.hinting = False
        options.desubroutinize = True
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[u for a, b in ranges for u in range(a, b + 1)])
        subsetter.subset(font)
        subset.save_font(font, str(OUT / target), options)
        print(f"{target}: {(OUT / target).stat().st_size:,} bytes ({css_range(ranges)})")
    shutil.copyfile(SOURCE / "OFL.txt", OUT / "OFL.txt")


def missing_characters() -> dict[str, list[str]]:
    """Characters of the texts (beyond ASCII controls) that none of the web fonts has, with the
    files they occur in."""
    covered: set[int] = set()
    for _source, target, _ranges in FONTS:
        covered |= set(TTFont(str(OUT / target)).getBestCmap())
    found: dict[str, list[str]] = {}
    for pattern in TEXT_FILES:
        for path in sorted(ROOT.glob(pattern)):
            for ch in set(path.read_text(encoding="utf-8")):
                if ord(ch) >= 0x20 and ord(ch) not in covered and not ch.isspace():
                    found.setdefault(ch, []).append(str(path.relative_to(ROOT)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the texts' characters")
    args = parser.parse_args()
    if not args.check:
        build()
    missing = missing_characters()
    for ch, files in sorted(missing.items()):
        print(f"not in the web fonts: U+{ord(ch):04X} {ch!r} in {', '.join(files[:3])}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
