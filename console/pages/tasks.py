"""Việc: the task list (search, filters, sorting, pages) and the page of one task, from which the
office closes, reopens, extends, hands over or takes back, or adds a note on someone's behalf
(`console.actions`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console import actions, queries, statuses, task_queries
from console.pages.common import clerk_via, int_arg
from console.review import deadline_understood
from storage.models import Officer, Task, utcnow
from zalo.runtime import current_runtime

bp = Blueprint("tasks", __name__)

PER_PAGE = 50
ACTIONS = {"close": actions.close_for, "reopen": actions.reopen_for, "note": actions.note_for,
           "extend": actions.extend_for}


@bp.get("/tasks")
def page():
    runtime = current_runtime()
    flt = task_queries.TaskFilter.from_args(request.args)
    now, zone = utcnow(), runtime.settings.zone
    with runtime.session(read_only=True) as session:
        found = task_queries.task_list(session, flt, now, zone, per_page=PER_PAGE)
        units = queries.unit_names(session)
        notices = queries.published_notice_choices(session)
        delegates = task_queries.delegate_choices(session)
    return render_template("console/tasks.html", found=found, flt=flt, units=units, notices=notices, delegates=delegates,
                           labels=statuses.ALL_LABELS, due_filters=task_queries.DUE_FILTERS)


@bp.get("/tasks/<int:task_id>")
def detail(task_id: int):
    runtime = current_runtime()
    now, zone = utcnow(), runtime.settings.zone
    with runtime.session(read_only=True) as session:
        found = task_queries.task_page(session, task_id, now, zone)
        if found is None:
            abort(404)
        choices = actions.authorities(session, found.task)
        staff = actions.handable(session, found.task) if found.task.status == "open" else []
        units = queries.unit_names(session)
    understood = deadline_understood(found.task, zone)
    return render_template("console/task.html", t=found, choices=choices, understood=understood, staff=staff,
                           units=units,
                           labels=statuses.ALL_LABELS, today=now.astimezone(zone).date())


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise actions.ActionRefused("Anh/chị chọn ngày gia hạn.") from None


def _officer(session) -> Officer:
    """The officer the task is handed to (or taken back from), chosen in the form."""
    officer_id = int_arg("officer", source=request.form)
    officer = session.get(Officer, officer_id) if officer_id else None
    if officer is None:
        raise actions.ActionRefused("Anh/chị chọn cán bộ.")
    return officer


@bp.post("/tasks/<int:task_id>/<any(close, reopen, extend, note, delegate, revoke):action>")
def act(task_id: int, action: str):
    runtime = current_runtime()
    note = " ".join(request.form.get("note", "").split())[:2000] or None
    try:
        with runtime.session() as session:
            task = session.get(Task, task_id)
            if task is None:
                abort(404)
            authority_id = int_arg("authority", source=request.form)
            authority = session.get(Officer, authority_id) if authority_id else None
            if authority is None:
                raise actions.ActionRefused("Anh/chị chọn người quyết định (theo ý kiến của ai).")
            args = (session, task, authority)
            if action == "extend":
                said = actions.extend_for(*args, _day(request.form.get("day", "")), note, clerk_via(),
                                          runtime.settings, utcnow())
            elif action == "note":
                said = actions.note_for(*args, note or "", clerk_via(), runtime.settings, utcnow())
            elif action == "delegate":
                said = actions.delegate_for(*args, _officer(session), request.form.get("redo") == "1", clerk_via(),
                                            runtime.settings, utcnow())
            elif action == "revoke":
                said = actions.revoke_for(*args, _officer(session), clerk_via(), runtime.settings, utcnow())
            else:
                said = ACTIONS[action](*args, note, clerk_via(), runtime.settings, utcnow())
    except actions.ActionRefused as refused:
        flash(f"{refused} Không có gì thay đổi.", "error")
        return redirect(url_for(".detail", task_id=task_id))
    runtime.sender.wake.set()
    flash(said, "ok")
    return redirect(url_for(".detail", task_id=task_id))
