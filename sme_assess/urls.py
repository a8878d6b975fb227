"""Absolute links that leave the browser (QR codes, PDFs, copied resume links)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for links that leave the browser (QR codes, PDFs, copied links), built
    from configuration only (`public_base_url`), never from the request's Host header — except
    in a debug or test run with no base configured (production refuses to start then)."""
    base = public_base_url(current_app.config)
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def public_base_url(config: Any) -> str:
    """`SME_PUBLIC_BASE_URL`, else the first of `SME_TRUSTED_HOSTS` (https with SME_HTTPS=1);
    "" when neither is set."""
    base = str(config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base
    for host in config.get("TRUSTED_HOSTS") or ():
        if host and not host.startswith("."):  # ".example.vn" stands for its subdomains
            return ("https" if config.get("HTTPS") else "http") + "://" + str(host)
    return ""
