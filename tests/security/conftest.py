"""Fixtures of the security tests: a submitted assessment, and other apps (own configuration)
sharing the test's database transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from sme_assess import create_app
from sme_assess.db import dispose_engines
from sme_assess.limits import DEFAULT_LIMITS
from sme_assess.models import Assessment
from sme_assess.security import hash_token
from tests.conftest import csrf_token


@pytest.fixture()
def submitted(client: Any, start_draft: Any, answer_all: Any) -> Callable[..., str]:
    """Submit a whole assessment in `client`'s session; returns the results path."""

    def submit(**profile: Any) -> str:
        pid, _ = start_draft(**profile)
        answer_all(pid)
        token = csrf_token(client, f"/a/{pid}/check")
        resp = client.post(f"/a/{pid}/submit", data={"csrf_token": token})
        assert resp.status_code == 302, resp.status_code
        return urlsplit(resp.location).path

    return submit


def assessment_of(db: Any, results_path: str) -> Assessment:
    token = results_path.split("/r/", 1)[1].split("/", 1)[0]
    a = db.scalar(select(Assessment).where(Assessment.results_hash == hash_token(token)))
    assert a is not None
    return a


@pytest.fixture()
def other_app(app: Any, db: Any, database_url: str) -> Iterator[Callable[..., Any]]:
    """`other_app(**config)`: an app built with its own configuration (on top of the test
    app's) whose database sessions join the test's rolled-back transaction."""
    made: list[Any] = []

    def make(**config: Any) -> Any:
        other = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE_URL": database_url,
                "AUTO_MIGRATE": False,
                "PUBLIC_BASE_URL": "https://sme.test",
                **{key: "100000 per minute" for key in DEFAULT_LIMITS},
                **config,
            }
        )
        other.extensions["sme_sessionmaker"] = app.extensions["sme_sessionmaker"]
        other.extensions["sme_connect"] = app.extensions["sme_connect"]
        other.extensions["sme_write"] = app.extensions["sme_write"]
        made.append(other)
        return other

    yield make
    for other in made:
        dispose_engines(other)
