"""Blueprints and the few app-wide routes."""

from __future__ import annotations

from flask import Flask, Response


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL for links that leave the browser (QR codes, PDFs, copied links): on
    `SME_PUBLIC_BASE_URL` when set (behind a proxy the request's host may be internal), else on
    the request's own scheme and host."""
    from flask import current_app, url_for

    base = str(current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def init_web(app: Flask) -> None:
    from .reports.views import bp as reports_bp
    from .survey.views import bp as survey_bp

    app.register_blueprint(survey_bp)
    app.register_blueprint(reports_bp)

    @app.get("/healthz")
    def healthz() -> Response:
        """Liveness probe; also the trivial route benchmarks compare against."""
        return Response("ok", mimetype="text/plain")
