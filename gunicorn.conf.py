"""gunicorn settings used by `scripts/dev.sh run` and by bench/pages.py.

Sync workers, two per core (the usual starting point for a CPU-bound Flask app whose requests
are short); override with GUNICORN_WORKERS or gunicorn's own flags."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 60  # a first PDF render takes well under a second; leave room on a slow machine
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # off unless asked: it costs per request
# resume codes, results tokens and verification codes never reach the access log
logger_class = "sme_assess.serving.RedactingLogger"


def on_starting(server):
    """Validate the configuration and run the migrations once, in the master, before any
    worker starts; workers never migrate (see sme_assess/serving.py)."""
    from sme_assess.serving import on_starting as start

    start(server)
