"""Serving with gunicorn: migrations once in the master before any worker starts, and an
access log without secrets. Used by gunicorn.conf.py (`on_starting`, `logger_class`)."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

from .security import redact


def on_starting(server: Any) -> None:
    """gunicorn master, before forking workers: build the app once — which validates the
    configuration (a bad one stops gunicorn here) and brings the schema to the newest
    migration when AUTO_MIGRATE is on — then tell the workers not to migrate. Workers that each
    migrated raced for the database ("database is locked" on a fresh SQLite file)."""
    from . import create_app
    from .db import dispose_engines

    app = create_app()
    dispose_engines(app)  # no connection is inherited by the forked workers
    os.environ["SME_AUTO_MIGRATE"] = "0"


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with resume codes, results tokens and verification codes cut out of
    every access-log field (request line, path, query, referrer, Location…)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in list(atoms.items()):
            if isinstance(value, str):
                atoms[key] = redact(value)
        return atoms
