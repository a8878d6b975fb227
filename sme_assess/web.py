"""Blueprints and the few app-wide routes."""

from __future__ import annotations

from flask import Flask, Response


def init_web(app: Flask) -> None:
    from .reports.views import bp as reports_bp
    from .survey.views import bp as survey_bp

    app.register_blueprint(survey_bp)
    app.register_blueprint(reports_bp)

    @app.get("/healthz")
    def healthz() -> Response:
        """Liveness probe; also the trivial route benchmarks compare against."""
        return Response("ok", mimetype="text/plain")
