"""Telling people of a change made in chat: `tasks.telling` decides who and what; here the lines
become messages, one per reader (several changes in one message make one message each).
"""

from __future__ import annotations

from sqlmodel import Session, select

from handlers import replies
from handlers.routing import Context
from storage.models import Officer, Task
from tasks import telling
from tasks.telling import Change, Tell
from tasks.wording import gist
from zalo.messages import Outgoing


def change(ctx: Context, task: Task, action: str, **details) -> Change:
    """A change the sender made to `task`, as `tasks.telling` reads it."""
    return Change(action, task.id, gist(task.text), ctx.officer.full_name, ctx.officer.id, **details)


def tell(ctx: Context, task: Task, made: Change, told_already: frozenset[int] = frozenset(),
         deciders: list[Officer] | None = None) -> list[tuple[int, Tell]]:
    """Who hears of `made`, read now (call it after the change is stored)."""
    people = telling.concerned(ctx.session, task, deciders)
    return [(task.id, line) for line in telling.told(made, people, ctx.today, told_already)]


def _buttons(n: int, handed: bool):
    if handed:
        return (replies.close_button(n), replies.progress_button(n), replies.detail_button(n), replies.extend_button(n))
    return (replies.detail_button(n),)


def messages(session: Session, lines: list[tuple[int, Tell]]) -> list[Outgoing]:
    """One message to each reader with a Zalo account, their lines in order, about the task when
    there is one (the console tells of its changes the same way)."""
    by_reader: dict[int, list[tuple[int, Tell]]] = {}
    for task_id, line in lines:
        by_reader.setdefault(line.officer_id, []).append((task_id, line))
    if not by_reader:
        return []
    officers = {o.id: o for o in session.exec(select(Officer).where(Officer.id.in_(by_reader)))}
    out = []
    for officer_id, own in by_reader.items():
        officer = officers.get(officer_id)
        if officer is None or not officer.active or not officer.zalo_user_id:
            continue
        tasks = list(dict.fromkeys(task_id for task_id, _ in own))
        shown = replies.buttons(*(b for task_id, line in own for b in _buttons(task_id, line.handed)))
        out.append(Outgoing(officer.zalo_user_id, "\n".join(line.text for _, line in own), shown,
                            task_id=tasks[0] if len(tasks) == 1 else None, officer_id=officer.id, kind="notice"))
    return out
