"""Closing and reopening tasks: "xong N", "xong N, M: ghi chú", bare "xong", "chưa xong N".

The change itself is `tasks.lifecycle` (history, reminders, and two people closing at once:
one wins, the other is told who closed it); who else hears of it is `tasks.telling`; here is
what is asked and what is answered. One message acts on at most twenty tasks.
"""

from __future__ import annotations

from typing import NamedTuple

from handlers import replies, telling
from handlers import replies_changes as said
from handlers.parsing import at_most, note_after, task_numbers
from handlers.routing import Context, Router
from storage.models import Officer, Task
from tasks import lifecycle, lists, permissions, queries
from tasks.telling import CLOSED, REOPENED, Tell
from zalo.messages import Button, Outgoing

router = Router()


class Result(NamedTuple):
    text: str
    buttons: tuple[Button, ...]
    task_id: int | None = None  # the task it is about, when there is such a task
    told: tuple[tuple[int, Tell], ...] = ()  # who else hears of it


def _refusal(ctx: Context, task: Task, people: list[Officer], doing: str) -> Result:
    """Who may do it instead; "Chi tiết" only for those who may read the task."""
    heads = [o.full_name for o in queries.unit_heads(ctx.session, task.unit_id)]
    shown = (replies.detail_button(task.id),) if permissions.may_see(ctx.session, ctx.officer, task, people) else ()
    return Result(said.cannot_close(task.id, [o.full_name for o in people], heads, doing),
                  (*shown, replies.MY_TASKS), task.id)


def permitted(ctx: Context, n: int, doing: str) -> Task | Result:
    """Task #n when this officer may close, reopen or extend it, else what to tell them."""
    task = queries.published_task(ctx.session, n)
    if task is None:
        return Result(replies.not_found(n), (replies.MY_TASKS,))
    people = queries.people(ctx.session, task)
    if not permissions.may_close(ctx.officer, task, {o.id for o in people}):
        return _refusal(ctx, task, people, doing)
    return task


def _already_closed(ctx: Context, task: Task) -> Result:
    n = task.id
    closer = ctx.session.get(Officer, task.closed_by_id) if task.closed_by_id else None
    if closer is not None and closer.id == ctx.officer.id:
        text = said.already_closed_by_you(n, task.closed_at, ctx.now, ctx.zone)
    else:
        text = said.already_closed(n, closer.full_name if closer else None, task.closed_at, ctx.now, ctx.zone)
    return Result(text, (replies.reopen_button(n), replies.MY_TASKS), n)


def close_task(ctx: Context, n: int, note: str | None) -> Result:
    task = permitted(ctx, n, "báo xong")
    if not isinstance(task, Task):
        return task
    if not lifecycle.close(ctx.session, task, ctx.officer, note, ctx.settings, ctx.now):
        return _already_closed(ctx, task)
    told = tuple(telling.tell(ctx, task, telling.change(ctx, task, CLOSED, note=note)))
    return Result(said.closed(n, note), (replies.reopen_button(n), replies.MY_TASKS), n, told)


def reopen_task(ctx: Context, n: int, note: str | None) -> Result:
    task = permitted(ctx, n, "mở lại")
    if not isinstance(task, Task):
        return task
    if not lifecycle.reopen(ctx.session, task, ctx.officer, note, ctx.settings, ctx.now):
        return Result(said.still_open(n), (replies.close_button(n), replies.MY_TASKS), n)
    told = tuple(telling.tell(ctx, task, telling.change(ctx, task, REOPENED, note=note)))
    return Result(said.reopened(n), (replies.close_button(n), replies.detail_button(n), replies.MY_TASKS), n, told)


def answer(ctx: Context, results: list[Result], left: tuple[int, ...] | list[int] = ()) -> list[Outgoing]:
    """One message for one or several tasks, with the buttons of each (at most five): those
    about a task first, then the lists; the numbers `left` untouched are named; then what
    the others concerned are told."""
    text = "\n".join([*(r.text for r in results), *([replies.untouched(list(left), len(results))] if left else [])])
    shown = replies.buttons(*sorted((b for r in results for b in r.buttons), key=lambda b: b in replies.NAVIGATION))
    reply = ctx.reply(text, shown, results[0].task_id if len(results) == 1 else None)
    return [reply, *telling.messages(ctx.session, [line for r in results for line in r.told])]


def _only_task(ctx: Context) -> list[Outgoing]:
    """Bare "xong" without a quoted message: the officer's open tasks to choose from, as buttons
    (with one, the question whether it is that one)."""
    mine = queries.my_open(ctx.session, ctx.officer)
    if not mine:
        return [ctx.reply(replies.none_of_yours("đang mở"), (replies.UNIT_TASKS, replies.HELP))]
    if len(mine) == 1:
        text = said.close_this_one(mine[0], ctx.now, ctx.zone)
        return [ctx.reply(text, (replies.close_button(mine[0].id), replies.MY_TASKS), mine[0].id)]
    text = said.which_to_close(mine, ctx.now, ctx.zone)
    shown = lists.in_order(mine, ctx.now, ctx.zone)
    return [ctx.reply(text, replies.buttons(*(replies.close_button(t.id) for t in shown)))]


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
        if not quoted:
            return _only_task(ctx)
        numbers = [quoted]
    taken, left = at_most(numbers)
    return answer(ctx, [close_task(ctx, n, note) for n in taken], left)


@router.command("chưa xong", "mở lại", usage="chưa xong N", what="mở lại việc #N đã báo xong")
def reopen(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("mở lại"), (replies.MY_TASKS,))]
    note = note_after(ctx.message, end)
    taken, left = at_most(numbers)
    return answer(ctx, [reopen_task(ctx, n, note) for n in taken], left)
