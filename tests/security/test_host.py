"""Absolute links come from configuration only (finding 2)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from sme_assess import create_app
from sme_assess.config import ConfigError
from sme_assess.urls import external_url
from tests.security.conftest import assessment_of


def _production(database_url: str, **config: Any) -> Any:
    return create_app(
        {
            "SECRET_KEY": "a-real-secret",
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "DEBUG": False,
            "TESTING": False,
            **config,
        }
    )


def test_production_refuses_to_start_without_a_public_base_url(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SME_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("SME_TRUSTED_HOSTS", raising=False)
    with pytest.raises(ConfigError, match="SME_PUBLIC_BASE_URL is not set"):
        _production(database_url, PUBLIC_BASE_URL="")
    with pytest.raises(ConfigError, match="absolute http"):
        _production(database_url, PUBLIC_BASE_URL="dbi.example.vn")


def test_trusted_hosts_fix_the_link_base_and_refuse_other_hosts(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SME_PUBLIC_BASE_URL", raising=False)
    app = _production(
        database_url,
        PUBLIC_BASE_URL="",
        TRUSTED_HOSTS="dbi.example.vn, www.dbi.example.vn",
        HTTPS=True,
    )
    with app.test_request_context("/", headers={"Host": "www.dbi.example.vn"}):
        assert external_url("reports.verify", code="AAAA") == "https://dbi.example.vn/verify/AAAA"
    resp = app.test_client().get("/healthz", headers={"Host": "evil.example"})
    assert resp.status_code == 400


def test_a_poisoned_host_header_changes_no_link(db: Any, submitted: Any, other_app: Any) -> None:
    results = submitted()
    a = assessment_of(db, results)
    # an app without SERVER_NAME answers any Host (as behind a proxy passing it through)
    other = other_app(PUBLIC_BASE_URL="https://sme.test").test_client()
    page = other.get(results, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in page
    pdf = other.get(results + "/report.pdf", headers={"Host": "evil.example"}).data
    link = f"https://sme.test/verify/{a.verification_code}"
    assert _pdf_links(pdf) == [link]  # the verification link is the configured one

    # the check can fail: a test run without a base falls back to the Host header (a report
    # not rendered yet: the English one)
    loose = other_app(PUBLIC_BASE_URL="").test_client()
    pdf = loose.get(results + "/report.pdf?lang=en", headers={"Host": "evil.example"}).data
    assert _pdf_links(pdf) == [f"http://evil.example/verify/{a.verification_code}"]


def _pdf_links(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/URI" in annot.get_object().get("/A", {})
    ]
