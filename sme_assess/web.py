"""Blueprints and the few app-wide routes."""

from __future__ import annotations

from flask import Flask, Response


def init_web(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .advisor.views import bp as advisor_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .business.consent import bp as consent_bp
    from .business.views import bp as business_bp
    from .reports.views import bp as reports_bp
    from .stats.views import bp as stats_bp
    from .survey.views import bp as survey_bp

    app.register_blueprint(survey_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(business_bp)
    app.register_blueprint(consent_bp)
    app.register_blueprint(advisor_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(stats_bp)
    app.register_blueprint(api_bp)

    @app.get("/healthz")
    def healthz() -> Response:
        """Liveness probe; also the trivial route benchmarks compare against."""
        return Response("ok", mimetype="text/plain")
