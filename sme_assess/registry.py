"""Questionnaires and the platform catalogue, loaded and validated once at start-up."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, current_app

from .questionnaire import Questionnaire, load_directory

if TYPE_CHECKING:
    from .recommend.catalog import Catalog

log = logging.getLogger(__name__)


def init_questionnaires(app: Flask) -> None:
    """Load every questionnaire file; a broken one raises `QuestionnaireError` and the app does
    not start."""
    qs = load_directory(app.config["QUESTIONNAIRE_DIR"])
    if app.config["DEFAULT_QUESTIONNAIRE"] not in qs:
        from .config import ConfigError

        raise ConfigError(
            f"SME_DEFAULT_QUESTIONNAIRE {app.config['DEFAULT_QUESTIONNAIRE']!r} is not among the "
            f"questionnaires in {app.config['QUESTIONNAIRE_DIR']} "
            f"({', '.join(sorted(qs)) or 'none'})"
        )
    app.extensions["sme_questionnaires"] = qs
    log.info("loaded %d questionnaire(s): %s", len(qs), ", ".join(q.key for q in qs.values()))


def init_catalog(app: Flask) -> None:
    """Load the platform catalogue; a broken file stops the app (`CatalogError`)."""
    from .recommend.catalog import load_catalog

    criteria = {c.id for q in app.extensions["sme_questionnaires"].values() for c in q.criteria}
    app.extensions["sme_catalog"] = load_catalog(app.config["CATALOG_FILE"], criteria)


def questionnaires() -> dict[str, Questionnaire]:
    return current_app.extensions["sme_questionnaires"]  # type: ignore[no-any-return]


def get_questionnaire(qid: str, version: str | None = None) -> Questionnaire | None:
    q = questionnaires().get(qid)
    if q is None or (version is not None and q.version != version):
        return None
    return q


def default_questionnaire() -> Questionnaire:
    return questionnaires()[current_app.config["DEFAULT_QUESTIONNAIRE"]]


def catalog() -> Catalog:
    catalog: Catalog = current_app.extensions["sme_catalog"]
    return catalog
