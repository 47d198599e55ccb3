"""The start page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from storage.db import database_answers
from zalo.runtime import current_runtime

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz():
    if database_answers(current_runtime().engine):
        return jsonify({"status": "ok"})
    return jsonify({"status": "database unavailable"}), 503


@bp.get("/")
def index():
    return render_template("index.html")
