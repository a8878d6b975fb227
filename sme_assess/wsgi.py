"""WSGI entry point: `gunicorn sme_assess.wsgi:app`."""

from sme_assess import create_app

app = create_app()
