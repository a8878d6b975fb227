"""The trivial baseline of the HTTP benchmarks: a minimal Flask app with one route.

Served by the same gunicorn configuration as sme-assess, in the same run (bench/_common.py), so
the ratio "app / trivial" compares the app with Flask and gunicorn doing nothing: a slowdown
added to the app's request path (a hook, a middleware, a sleep) lowers the ratio instead of
being hidden in the baseline, as it was when the baseline was the app's own /healthz route.
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)


@app.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
