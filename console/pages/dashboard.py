"""The dashboard: this week's tasks at a glance."""

from __future__ import annotations

from flask import Blueprint, render_template

from console import queries
from storage.models import utcnow
from zalo.runtime import current_runtime

bp = Blueprint("dashboard", __name__)


def with_dashboard(template: str, **more) -> str:
    """`template` rendered with the dashboard's figures (the report page shows them too)."""
    runtime = current_runtime()
    with runtime.session(read_only=True) as session:
        data = queries.dashboard(session, utcnow(), runtime.settings.zone)
    return render_template(template, data=data, **more)


@bp.get("/")
def page():
    return with_dashboard("console/dashboard.html")
