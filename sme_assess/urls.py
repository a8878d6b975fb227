"""Absolute links that leave the browser (QR codes, PDFs, copied resume links)."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL for links that leave the browser (QR codes, PDFs, copied links): on
    `SME_PUBLIC_BASE_URL` when set (behind a proxy the request's host may be internal), else on
    the request's own scheme and host."""
    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
