"""WSGI entry point at the project root: `gunicorn wsgi:app`."""

from sme_assess.wsgi import app

__all__ = ["app"]
