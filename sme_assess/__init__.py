"""sme-assess: digital-transformation self-assessment for Vietnamese SMEs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the pure cores import this package; it must not load Flask
    from flask import Flask

__version__ = "0.1.0"


def create_app(config_override: dict[str, Any] | None = None) -> Flask:
    """Build the app: a readable list of init_* steps."""
    from flask import Flask

    from . import auth, cli, db, errors, i18n, limits, registry, security, web
    from .config import load_config
    from .paths import TEMPLATES_DIR

    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    load_config(app, config_override)
    registry.init_questionnaires(app)  # refuses to start on a broken questionnaire file
    registry.init_catalog(app)  # likewise for the platform catalogue
    db.init_db(app)
    db.init_schema(app)
    i18n.init_i18n(app)
    security.init_security(app)
    limits.init_limits(app)
    auth.init_auth(app)  # accounts: Flask-Login, the user of each request
    errors.init_errors(app)
    web.init_web(app)
    cli.init_cli(app)
    return app
