"""The OpenAPI 3.1 description of the statistics API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from ..stats.tables import BREAKDOWNS, SIZES, TYPES


def spec() -> dict[str, Any]:
    nullable_int = {"type": ["integer", "null"]}
    nullable_num = {"type": ["number", "null"]}
    row = {
        "type": "object",
        "properties": {
            "key": {"type": ["string", "null"]},
            "label": {"type": ["string", "null"]},
            "n": nullable_int,
            "levels": {"type": "array", "items": nullable_int},
            "share_level2_percent": nullable_num,
            "pillar_mean_percent": {"type": "object", "additionalProperties": nullable_num},
            "suppressed": {"type": "boolean"},
        },
    }
    params = [
        {"name": "province", "in": "query", "schema": {"type": "string"},
         "description": "current province code (34 units); ignored for provincial accounts"},
        {"name": "section", "in": "query", "schema": {"type": "string"},
         "description": "VSIC 2018 section A–U"},
        {"name": "size", "in": "query", "schema": {"enum": list(SIZES)}},
        {"name": "type", "in": "query", "schema": {"enum": list(TYPES)}},
        {"name": "questionnaire", "in": "query", "schema": {"type": "string"},
         "description": "id@version, e.g. dbi-2021-sme@2021.1"},
        {"name": "period", "in": "query", "schema": {"type": "string"},
         "description": "2026, 2026-Q3 or 2026-07 (month of submission, Vietnam time)"},
        {"name": "by", "in": "query", "schema": {"enum": list(BREAKDOWNS), "default": "province"}},
        {"name": "lang", "in": "query", "schema": {"enum": ["vi", "en"]}},
    ]  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "sme-assess statistics API",
            "version": "1",
            "description": (
                "Aggregate figures of submitted digital-transformation self-assessments. "
                "Read-only. Cells built from fewer than `min_cell` businesses, or from which "
                "such a cell could be calculated, are null (`suppressed`)."
            ),
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Row": row},
        },
        "security": [{"token": []}],
        "paths": {
            "/api/v1/stats": {
                "get": {
                    "summary": "Figures for the filters, broken down by one dimension",
                    "parameters": params,
                    "responses": {
                        "200": {
                            "description": "the view",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "filters": {"type": "object"},
                                            "by": {"type": "string"},
                                            "synthetic": {"type": "boolean"},
                                            "min_cell": {"type": "integer"},
                                            "refused": {"type": "boolean"},
                                            "total": {"$ref": "#/components/schemas/Row"},
                                            "pillars": {"type": "array"},
                                            "rows": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Row"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": {"description": "unknown filter value"},
                        "401": {"description": "no valid token"},
                        "403": {"description": "the account may not read statistics"},
                    },
                }
            }
        },
    }
