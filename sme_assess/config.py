"""Configuration: defaults in code → instance file (`instance/config.py`) → `SME_*` environment
variables → the override passed to `create_app`. Validated once at start-up."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from flask import Flask

from .paths import QUESTIONNAIRES_DIR

INSECURE_SECRET = "dev-insecure-change-me"


class ConfigError(RuntimeError):
    """The configuration cannot be used (message says which setting and why)."""


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": INSECURE_SECRET,
        "DATABASE_URL": "sqlite:///" + str(Path(instance_path) / "sme_assess.sqlite3"),
        "QUESTIONNAIRE_DIR": str(QUESTIONNAIRES_DIR),
        "DEFAULT_QUESTIONNAIRE": "dbi-2021-sme",
        "CATALOG_FILE": str(Path(__file__).parent / "data" / "platforms.yaml"),
        "DRAFT_TTL_DAYS": 90,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # a draft can stay open for hours on a phone
        # our validation messages are our own translated strings (survey/messages.py); WTForms'
        # built-in catalog would only be looked up per field, for nothing
        "WTF_I18N_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 90 * 24 * 3600,
        # re-signing the cookie on every request costs more than rendering a page; the cookie
        # is refreshed whenever it changes (drafts opened, language chosen)
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PUBLIC_BASE_URL": "",
        "AUTO_MIGRATE": True,
        "SQL_ECHO": False,
        # PostgreSQL: answer saves wait for the write-ahead log to reach disk (synchronous
        # commit). Off by default: see db.autocommit_pool_options and decision 0035
        "ANSWER_SAVES_SYNCHRONOUS": False,
        # outgoing email (sme_assess/mail.py): smtp | console | file
        "MAIL_BACKEND": "console",
        "MAIL_FROM": "sme-assess <no-reply@localhost>",
        "MAIL_FILE_DIR": str(Path(instance_path) / "mail"),
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT": 10,
    }


_INT_KEYS = {
    "DRAFT_TTL_DAYS",
    "MAX_CONTENT_LENGTH",
    "PERMANENT_SESSION_LIFETIME",
    "SMTP_PORT",
    "SMTP_TIMEOUT",
}
_BOOL_KEYS = {"AUTO_MIGRATE", "SQL_ECHO", "SESSION_COOKIE_SECURE", "TESTING", "DEBUG", "HTTPS"}
_BOOL_KEYS.add("RATELIMIT_ENABLED")
_BOOL_KEYS.add("ANSWER_SAVES_SYNCHRONOUS")
_INT_KEYS.add("TRUSTED_PROXIES")


def load_config(app: Flask, override: dict[str, Any] | None) -> None:
    app.config.update(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    for key, raw in os.environ.items():
        if not key.startswith("SME_"):
            continue
        name = key[4:]
        value: Any = raw
        if name in _INT_KEYS:
            try:
                value = int(raw)
            except ValueError as exc:
                raise ConfigError(f"{key} must be a whole number, got {raw!r}") from exc
        elif name in _BOOL_KEYS:
            value = raw.strip().lower() in ("1", "true", "yes", "on")
        app.config[name] = value
    if override:
        app.config.update(override)
    _derive(app)
    validate(app)


def _derive(app: Flask) -> None:
    """Settings implied by others: SME_HTTPS=1 makes the session cookie Secure (HSTS is sent by
    security.py); SME_TRUSTED_HOSTS is a comma-separated list (Flask then answers 400 to any
    other Host header)."""
    cfg = app.config
    hosts = cfg.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        cfg["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()] or None
    if cfg.get("HTTPS"):
        cfg["SESSION_COOKIE_SECURE"] = True
        cfg["PREFERRED_URL_SCHEME"] = "https"


def write_instance_config(path: str | Path) -> bool:
    """Create the per-install instance config with a random secret key, readable by its owner
    only (0600). An existing file keeps its content, but loses any group or world access;
    returns whether a file was written."""
    import secrets

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if target.stat().st_mode & 0o077:
            os.chmod(target, 0o600)
        return False
    with os.fdopen(fd, "w") as f:
        f.write(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
    os.chmod(target, 0o600)  # whatever the umask
    return True


def validate(app: Flask) -> None:
    cfg = app.config
    insecure = cfg["SECRET_KEY"] == INSECURE_SECRET
    if insecure and not (cfg.get("DEBUG") or cfg.get("TESTING")):
        raise ConfigError(
            "SME_SECRET_KEY is left at its insecure default; set SME_SECRET_KEY "
            "(or run with SME_DEBUG=1 for local development)"
        )
    base = str(cfg.get("PUBLIC_BASE_URL") or "")
    if base and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", base):
        raise ConfigError(
            f"SME_PUBLIC_BASE_URL must be an absolute http(s) address such as "
            f"https://dbi.example.vn, got {base!r}"
        )
    if not (base or cfg.get("TRUSTED_HOSTS") or cfg.get("DEBUG") or cfg.get("TESTING")):
        raise ConfigError(
            "SME_PUBLIC_BASE_URL is not set: links in QR codes, PDFs and emails would be built "
            "from the request's Host header. Set SME_PUBLIC_BASE_URL (e.g. "
            "https://dbi.example.vn) or SME_TRUSTED_HOSTS (or run with SME_DEBUG=1 locally)"
        )
    if int(cfg["DRAFT_TTL_DAYS"]) < 1:
        raise ConfigError("SME_DRAFT_TTL_DAYS must be at least 1")
    if not Path(cfg["QUESTIONNAIRE_DIR"]).is_dir():
        raise ConfigError(f"SME_QUESTIONNAIRE_DIR {cfg['QUESTIONNAIRE_DIR']!r} is not a directory")
    from .mail import validate_config as mail_problems

    problems = mail_problems(cfg)
    if problems:
        raise ConfigError("; ".join(problems))
