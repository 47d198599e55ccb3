"""Closing and reopening tasks: "xong N", "xong N, M: ghi chú", bare "xong", "chưa xong N".

A task is closed with a conditional UPDATE (`WHERE status = 'open'`): when two people close
it at once, one update wins and the other learns who closed it. Every change is appended to the
task's history and its reminders are replanned (a closed task has none).
"""

from __future__ import annotations

from sqlalchemy import update

from bot.outbox import Button, Outgoing
from handlers import queries, replies
from handlers.parsing import note_after, task_numbers
from handlers.permissions import may_close
from handlers.routing import Context, Router
from scheduler.planning import plan_task
from storage.models import TASK_DONE, TASK_OPEN, Officer, Task, TaskEvent

router = Router()

Result = tuple[str, tuple[Button, ...]]


def _record(ctx: Context, task_id: int, action: str, note: str | None) -> None:
    ctx.session.add(TaskEvent(task_id=task_id, at=ctx.now, actor_id=ctx.officer.id, action=action, note=note))
    plan_task(ctx.session, queries.published_task(ctx.session, task_id), ctx.settings, ctx.now)


def _refusal(ctx: Context, task: Task, doing: str) -> Result:
    people = [o.full_name for o in queries.assignees(ctx.session, task.id)]
    heads = [o.full_name for o in queries.unit_heads(ctx.session, task.unit_id)]
    return replies.cannot_close(task.id, people, heads, doing), (replies.detail_button(task.id), replies.MY_TASKS)


def _permitted(ctx: Context, n: int, doing: str) -> Task | Result:
    """The task when this officer may act on it, else what to tell them."""
    task = queries.published_task(ctx.session, n)
    if task is None:
        return replies.not_found(n), (replies.MY_TASKS,)
    if not may_close(ctx.officer, task, {o.id for o in queries.assignees(ctx.session, n)}):
        return _refusal(ctx, task, doing)
    return task


def _already_closed(ctx: Context, n: int) -> Result:
    task = queries.published_task(ctx.session, n)
    closer = ctx.session.get(Officer, task.closed_by_id) if task.closed_by_id else None
    text = replies.already_closed(n, closer.full_name if closer else None, task.closed_at, ctx.now, ctx.zone)
    return text, (replies.reopen_button(n), replies.MY_TASKS)


def close_task(ctx: Context, n: int, note: str | None) -> Result:
    task = _permitted(ctx, n, "báo xong")
    if not isinstance(task, Task):
        return task
    won = ctx.session.execute(
        update(Task).where(Task.id == n, Task.status == TASK_OPEN)
        .values(status=TASK_DONE, closed_by_id=ctx.officer.id, closed_at=ctx.now, close_note=note)
    ).rowcount
    if not won:
        return _already_closed(ctx, n)
    _record(ctx, n, "closed", note)
    return replies.closed(n, note), (replies.reopen_button(n), replies.MY_TASKS)


def reopen_task(ctx: Context, n: int, note: str | None) -> Result:
    task = _permitted(ctx, n, "mở lại")
    if not isinstance(task, Task):
        return task
    won = ctx.session.execute(
        update(Task).where(Task.id == n, Task.status == TASK_DONE)
        .values(status=TASK_OPEN, closed_by_id=None, closed_at=None, close_note=None)
    ).rowcount
    if not won:
        return replies.still_open(n), (replies.close_button(n), replies.MY_TASKS)
    _record(ctx, n, "reopened", note)
    return replies.reopened(n), (replies.close_button(n), replies.detail_button(n), replies.MY_TASKS)


def _answer(ctx: Context, numbers: list[int], results: list[Result]) -> list[Outgoing]:
    """One message for one or several tasks; buttons of each, at most five."""
    text = "\n".join(text for text, _ in results)
    shown = replies.buttons(*(b for _, buttons in results for b in buttons))
    return [ctx.reply(text, shown, numbers[0] if len(numbers) == 1 else None)]


def _only_task(ctx: Context) -> int | list[Outgoing]:
    """Bare "xong" without a quoted message: the officer's only open task, else the choice."""
    mine = queries.my_open(ctx.session, ctx.officer)
    if len(mine) == 1:
        return mine[0].id
    if not mine:
        return [ctx.reply(replies.NOTHING_OPEN, (replies.UNIT_TASKS, replies.HELP))]
    texts = replies.which_to_close(mine, ctx.now, ctx.zone)
    return ctx.replies(texts, replies.buttons(*(replies.close_button(t.id) for t in mine)))


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
    return _answer(ctx, numbers, [close_task(ctx, n, note) for n in numbers])


@router.command("chưa xong", "mở lại", usage="chưa xong N", what="mở lại việc #N đã báo xong")
def reopen(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("mở lại"), (replies.MY_TASKS,))]
    note = note_after(ctx.message, end)
    return _answer(ctx, numbers, [reopen_task(ctx, n, note) for n in numbers])
