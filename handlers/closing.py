"""Closing and reopening tasks: "xong N", "xong N, M: ghi chú", bare "xong", "chưa xong N".

A task is closed with a conditional UPDATE (`WHERE status = 'open'`): when two people close
it at once, one update wins and the other learns who closed it. Every change is appended to the
task's history and its reminders are replanned (a closed task has none).
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import update

from zalo.messages import Button, Outgoing
from handlers import replies
from tasks import queries
from handlers.parsing import note_after, task_numbers
from tasks.permissions import may_close
from handlers.routing import Context, Router
from handlers.tasks import may_see
from tasks.schedule import plan_task
from storage.models import TASK_DONE, TASK_OPEN, Officer, Task, TaskEvent

router = Router()


class Result(NamedTuple):
    text: str
    buttons: tuple[Button, ...]
    task_id: int | None = None  # the task it is about, when there is such a task


def _record(ctx: Context, task_id: int, action: str, note: str | None) -> None:
    ctx.session.add(TaskEvent(task_id=task_id, at=ctx.now, actor_id=ctx.officer.id, action=action, note=note))
    plan_task(ctx.session, queries.published_task(ctx.session, task_id), ctx.settings, ctx.now)


def _refusal(ctx: Context, task: Task, people: list[Officer], doing: str) -> Result:
    """Who may do it instead; "Chi tiết" only for those who may read the task."""
    heads = [o.full_name for o in queries.unit_heads(ctx.session, task.unit_id)]
    shown = (replies.detail_button(task.id),) if may_see(ctx, task, people) else ()
    return Result(replies.cannot_close(task.id, [o.full_name for o in people], heads, doing),
                  (*shown, replies.MY_TASKS), task.id)


def permitted(ctx: Context, n: int, doing: str) -> Task | Result:
    """Task #n when this officer may close, reopen or extend it, else what to tell them."""
    task = queries.published_task(ctx.session, n)
    if task is None:
        return Result(replies.not_found(n), (replies.MY_TASKS,))
    people = queries.assignees(ctx.session, n)
    if not may_close(ctx.officer, task, {o.id for o in people}):
        return _refusal(ctx, task, people, doing)
    return task


def _already_closed(ctx: Context, n: int) -> Result:
    task = queries.published_task(ctx.session, n)
    closer = ctx.session.get(Officer, task.closed_by_id) if task.closed_by_id else None
    if closer is not None and closer.id == ctx.officer.id:
        text = replies.already_closed_by_you(n, task.closed_at, ctx.now, ctx.zone)
    else:
        text = replies.already_closed(n, closer.full_name if closer else None, task.closed_at, ctx.now, ctx.zone)
    return Result(text, (replies.reopen_button(n), replies.MY_TASKS), n)


def close_task(ctx: Context, n: int, note: str | None) -> Result:
    task = permitted(ctx, n, "báo xong")
    if not isinstance(task, Task):
        return task
    won = ctx.session.execute(
        update(Task).where(Task.id == n, Task.status == TASK_OPEN)
        .values(status=TASK_DONE, closed_by_id=ctx.officer.id, closed_at=ctx.now, close_note=note)
    ).rowcount
    if not won:
        return _already_closed(ctx, n)
    _record(ctx, n, "closed", note)
    return Result(replies.closed(n, note), (replies.reopen_button(n), replies.MY_TASKS), n)


def reopen_task(ctx: Context, n: int, note: str | None) -> Result:
    task = permitted(ctx, n, "mở lại")
    if not isinstance(task, Task):
        return task
    won = ctx.session.execute(
        update(Task).where(Task.id == n, Task.status == TASK_DONE)
        .values(status=TASK_OPEN, closed_by_id=None, closed_at=None, close_note=None)
    ).rowcount
    if not won:
        return Result(replies.still_open(n), (replies.close_button(n), replies.MY_TASKS), n)
    _record(ctx, n, "reopened", note)
    return Result(replies.reopened(n), (replies.close_button(n), replies.detail_button(n), replies.MY_TASKS), n)


def answer(ctx: Context, results: list[Result]) -> list[Outgoing]:
    """One message for one or several tasks, with the buttons of each (at most five): those
    about a task first, then the lists."""
    text = "\n".join(r.text for r in results)
    shown = replies.buttons(*sorted((b for r in results for b in r.buttons), key=lambda b: b in replies.NAVIGATION))
    return [ctx.reply(text, shown, results[0].task_id if len(results) == 1 else None)]


def _only_task(ctx: Context) -> int | list[Outgoing]:
    """Bare "xong" without a quoted message: the officer's only open task, else the choice."""
    mine = queries.my_open(ctx.session, ctx.officer)
    if len(mine) == 1:
        return mine[0].id
    if not mine:
        return [ctx.reply(replies.NOTHING_OPEN, (replies.UNIT_TASKS, replies.HELP))]
    text = replies.which_to_close(mine, ctx.now, ctx.zone)
    return [ctx.reply(text, replies.buttons(*(replies.close_button(t.id) for t in mine)))]


@router.command("xong", usage="xong N", what="báo đã xong việc #N; «xong 7, 8» nhiều việc; «xong 7: ghi chú»")
def close(ctx: Context) -> list[Outgoing]:
    numbers, end = task_numbers(ctx.message, ctx.after)
    if numbers:
        note = note_after(ctx.message, end)
    else:
        # Bare "xong": words after it ("xong rồi ạ") are not a note; "xong: đã gửi" is.
        tokens = ctx.message.tokens
        note = note_after(ctx.message, end) if end < len(tokens) and tokens[end].key == ":" else None
        quoted = ctx.quoted_task_id()
        only = quoted or _only_task(ctx)
        if isinstance(only, list):
            return only
        numbers = [only]
    return answer(ctx, [close_task(ctx, n, note) for n in numbers])


@router.command("chưa xong", "mở lại", usage="chưa xong N", what="mở lại việc #N đã báo xong")
def reopen(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("mở lại"), (replies.MY_TASKS,))]
    note = note_after(ctx.message, end)
    return answer(ctx, [reopen_task(ctx, n, note) for n in numbers])
