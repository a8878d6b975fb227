"""pydyf's `PDF.page_references` built once per page count.

WeasyPrint's PDF/UA tagging (the report is a tagged PDF) asks `pdf.page_references[n]` for every
tagged box, and pydyf builds the tuple of every page's reference anew on each access: for the
six-page report that is over 700 tuples per render, about a quarter of a warm render's time.
The tuple depends only on the page list, which only grows, so it is kept beside the page count
it was built for and rebuilt when a page is added. The PDF bytes are the same (a test renders
the report with and without it and compares them). Decision 0029.
"""

from __future__ import annotations

from typing import Any

import pydyf  # type: ignore[import-untyped]

_ORIGINAL: Any = None


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_sme_page_references")
    if kept is None or kept[0] != len(kids):
        kept = (len(kids), _ORIGINAL.fget(pdf))
        pdf.__dict__["_sme_page_references"] = kept
    refs: tuple[bytes, ...] = kept[1]
    return refs


def install() -> None:
    """Replace `pydyf.PDF.page_references` (once; a no-op when pydyf has no such property)."""
    global _ORIGINAL
    current = getattr(pydyf.PDF, "page_references", None)
    if _ORIGINAL is not None or not isinstance(current, property):
        return
    _ORIGINAL = current
    pydyf.PDF.page_references = property(_page_references)


def uninstall() -> None:
    """Put pydyf's own property back (tests compare the two)."""
    global _ORIGINAL
    if _ORIGINAL is not None:
        pydyf.PDF.page_references = _ORIGINAL
        _ORIGINAL = None
