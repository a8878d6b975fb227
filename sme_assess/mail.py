"""Outgoing email: one call, `send_mail(to, subject, body_text, body_html=None)`.

The backend is chosen by configuration (`SME_MAIL_BACKEND`):

- ``smtp``: a real SMTP server (`SME_SMTP_HOST`, `SME_SMTP_PORT`, `SME_SMTP_USER`,
  `SME_SMTP_PASSWORD`, `SME_SMTP_SECURITY` = none | starttls | ssl, `SME_SMTP_TIMEOUT`);
- ``console``: the message is written to standard error (development; nothing leaves the
  machine);
- ``file``: each message is written as an ``.eml`` file in `SME_MAIL_FILE_DIR` (development,
  and for looking at what would be sent).

`SME_MAIL_FROM` is the sender. A message that cannot be sent raises `MailError`; callers
decide whether that is fatal (the owner's journey never loses answers over an email: it says
the email could not be sent). Logs never name the recipient or carry the body.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

BACKENDS = ("smtp", "console", "file")
SECURITY = ("none", "starttls", "ssl")


class MailError(RuntimeError):
    """The message could not be handed to the mail backend."""


def build_message(
    to: str, subject: str, body_text: str, body_html: str | None = None, *, sender: str
) -> EmailMessage:
    """A UTF-8 message (plain text, plus an HTML alternative when given)."""
    if "\n" in to or "\r" in to or "\n" in subject or "\r" in subject:
        raise MailError("header injection refused: a newline in the recipient or subject")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    msg.set_content(body_text)
    if body_html is not None:
        msg.add_alternative(body_html, subtype="html")
    return msg


def send_mail(to: str, subject: str, body_text: str, body_html: str | None = None) -> None:
    """Send one message to `to` with the configured backend. Raises `MailError` on failure."""
    cfg = current_app.config
    msg = build_message(to, subject, body_text, body_html, sender=cfg["MAIL_FROM"])
    backend = cfg["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(msg, cfg)
    elif backend == "file":
        _send_file(msg, Path(cfg["MAIL_FILE_DIR"]))
    else:
        _send_console(msg)
    log.info("mail sent via %s backend", backend)


def _send_smtp(msg: EmailMessage, cfg: Any) -> None:
    host, port = cfg["SMTP_HOST"], int(cfg["SMTP_PORT"])
    timeout = float(cfg["SMTP_TIMEOUT"])
    security = cfg["SMTP_SECURITY"]
    try:
        smtp: smtplib.SMTP
        if security == "ssl":
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if cfg["SMTP_USER"]:
                smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail could not be sent via SMTP %s:%d: %s", host, port, type(exc).__name__)
        raise MailError(str(exc)) from exc


def _send_console(msg: EmailMessage) -> None:
    sys.stderr.write("----- mail (console backend) -----\n")
    sys.stderr.write(msg.as_string())
    sys.stderr.write("\n----- end of mail -----\n")


def _send_file(msg: EmailMessage, folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        msgid = str(msg["Message-ID"]).strip("<>").split("@")[0]
        (folder / f"{stamp}-{msgid}.eml").write_bytes(msg.as_bytes())
    except OSError as exc:
        raise MailError(str(exc)) from exc


def validate_config(cfg: Any) -> list[str]:
    """Problems with the mail settings (empty when usable)."""
    problems = []
    if cfg["MAIL_BACKEND"] not in BACKENDS:
        problems.append(f"SME_MAIL_BACKEND must be one of {', '.join(BACKENDS)}")
    if cfg["MAIL_BACKEND"] == "smtp" and not cfg["SMTP_HOST"]:
        problems.append("SME_MAIL_BACKEND=smtp needs SME_SMTP_HOST")
    if cfg["SMTP_SECURITY"] not in SECURITY:
        problems.append(f"SME_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
    if cfg["MAIL_BACKEND"] == "file" and not cfg["MAIL_FILE_DIR"]:
        problems.append("SME_MAIL_BACKEND=file needs SME_MAIL_FILE_DIR")
    return problems
