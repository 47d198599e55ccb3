"""The start page, the health check and the metrics."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, render_template

from bot.health import health
from bot.metrics import exposition, registry_for
from storage.db import database_answers
from zalo.runtime import current_runtime

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz():
    """200 when the database answers and nothing is wrong; 503 naming what is (bot/health.py)."""
    runtime = current_runtime()
    if not database_answers(runtime.engine):
        return jsonify({"status": "database unavailable", "problems": ["the database does not answer"]}), 503
    with runtime.session(read_only=True) as session:
        state = health(session)
    body = {"status": "problem" if state.problems else "ok", **asdict(state)}
    return jsonify(body), 503 if state.problems else 200


@bp.get("/metrics")
def metrics():
    registry = current_app.extensions.get("nhacviec.metrics")
    if registry is None:
        registry = current_app.extensions["nhacviec.metrics"] = registry_for(current_runtime())
    data, content_type = exposition(registry)
    return Response(data, content_type=content_type)


@bp.get("/")
def index():
    return render_template("index.html")
