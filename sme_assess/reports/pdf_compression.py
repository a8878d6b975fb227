"""pydyf's stream compression at zlib level 6 instead of 9.

pydyf 0.13 compresses every PDF stream (page contents, the embedded font subsets, the tag
structure) with ``zlib.compressobj(level=9)``. On the report's text-heavy streams level 9 buys
about 2.5 % of size for about twice the compression time: measured on the benchmark's six-page
report, 65.4 KB → 67.1 KB and 4 % of a warm render. Level 6 is zlib's own default.

pydyf reaches zlib through its module global ``zlib``; `install` puts a stand-in there whose
``compressobj`` uses `LEVEL` whatever level pydyf asks for, and whose other attributes are
zlib's own. The PDF is the same once decompressed (a test compares every stream of a report made
with and without it). If pydyf stops using a module global ``zlib``, `install` does nothing.
Decision 0034.
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf  # type: ignore[import-untyped]

#: zlib level of the report's streams.
LEVEL = 6


class _Zlib:
    """zlib, with `compressobj` at `LEVEL`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(LEVEL, *args, **kwargs)


_STAND_IN = _Zlib()


def installed() -> bool:
    return getattr(pydyf, "zlib", None) is _STAND_IN


def install() -> None:
    """Put the stand-in in pydyf's namespace (once; a no-op if pydyf has no ``zlib`` global)."""
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _STAND_IN


def uninstall() -> None:
    """Give pydyf zlib itself back (tests compare the two)."""
    if installed():
        pydyf.zlib = zlib
