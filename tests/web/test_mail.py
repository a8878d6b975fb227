"""Outgoing email through each backend; the SMTP backend against a real local server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sme_assess.config import ConfigError
from sme_assess.mail import MailError, send_mail


def test_smtp_backend_delivers_text_and_html(app: Any, smtp_server: list[Any]) -> None:
    with app.app_context():
        send_mail(
            "chu@cafe.example",
            "Mã tiếp tục của bạn",
            "Xin chào, đây là liên kết.",
            "<p>Xin chào, đây là <b>liên kết</b>.</p>",
        )
    assert len(smtp_server) == 1
    msg = smtp_server[0]
    assert msg.envelope_to == ["chu@cafe.example"]
    assert msg["To"] == "chu@cafe.example"
    assert msg["Subject"] == "Mã tiếp tục của bạn"
    assert msg.get_body(("plain",)).get_content().strip() == "Xin chào, đây là liên kết."
    assert "<b>liên kết</b>" in msg.get_body(("html",)).get_content()


def test_smtp_server_down_raises_mail_error(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 9)  # discard port: nothing listens
    with app.app_context(), pytest.raises(MailError):
        send_mail("chu@cafe.example", "x", "y")


def test_newline_in_subject_is_refused(app: Any, smtp_server: list[Any]) -> None:
    with app.app_context(), pytest.raises(MailError):
        send_mail("chu@cafe.example", "Hi\nBcc: victim@example.com", "body")
    assert smtp_server == []


def test_file_backend_writes_an_eml(
    app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    with app.app_context():
        send_mail("chu@cafe.example", "Kết quả", "Liên kết kết quả")
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    text = files[0].read_bytes().decode()
    assert "To: chu@cafe.example" in text


def test_console_backend_writes_to_stderr(
    app: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    with app.app_context():
        send_mail("chu@cafe.example", "Subject here", "Body here")
    err = capsys.readouterr().err
    assert "To: chu@cafe.example" in err
    assert "Subject: Subject here" in err


def test_unknown_backend_stops_start_up() -> None:
    from sme_assess import create_app

    with pytest.raises(ConfigError, match="SME_MAIL_BACKEND must be one of smtp, console, file"):
        create_app({"TESTING": True, "MAIL_BACKEND": "pigeon", "AUTO_MIGRATE": False})


def test_smtp_backend_without_host_stops_start_up() -> None:
    from sme_assess import create_app

    with pytest.raises(ConfigError, match="needs SME_SMTP_HOST"):
        create_app({"TESTING": True, "MAIL_BACKEND": "smtp", "AUTO_MIGRATE": False})
