"""Asking for more time: "gia hạn N dd/mm lý do", decided by "duyệt gia hạn N" or
"từ chối gia hạn N lý do".

The request goes to those who may decide it (`tasks.permissions.deciders`), as messages to
their own Zalo accounts. The deadline changes only on approval (`tasks.lifecycle.extend`); the
asker is told either way; `ExtensionRequest` and the task's history keep both the request and
the decision.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlmodel import select

from handlers import closing, replies
from handlers.parsing import note_after, parse_day
from handlers.routing import DECIDERS, Context, Router
from storage.models import TASK_OPEN, ExtensionRequest, Officer, Task
from tasks import lifecycle, permissions, queries
from tasks.deadlines import last_day
from tasks.wording import say_deadline
from zalo.messages import Outgoing

router = Router()

# Words people put between the task number and the date: "gia hạn 7 đến ngày 28/02".
_BEFORE_DATE = {"den", "ngay", "toi", "han", "la"}
_TASK_BUTTONS = (replies.MY_TASKS,)


def _message_to(officer: Officer, text: str, n: int, buttons=()) -> Outgoing:
    """A message to someone other than the sender (they may be outside Zalo's 7-day window)."""
    return Outgoing(officer.zalo_user_id, text, tuple(buttons), task_id=n, officer_id=officer.id, kind="notice")


class Asked(NamedTuple):
    """What "gia hạn 7 28/02 lý do" asks, as written."""

    number: int
    written: str | None  # the date as written; None when no date follows the number
    day: date | None  # that date understood; None when it is not a day
    reason: str | None


def read_ask(ctx: Context) -> Asked | None:
    """The task, date and reason of the message (or of the quoted message's task); None
    when it names no task."""
    numbers, index = ctx.numbers()
    if not numbers:
        return None
    message = ctx.message
    tokens = message.tokens
    while index < len(tokens) and tokens[index].key in _BEFORE_DATE:
        index += 1
    reason_at = index + 1
    if message.words_from(reason_at)[:2] == ("ly", "do"):
        reason_at += 2
    written = tokens[index].text if index < len(tokens) and tokens[index].is_date else None
    day = parse_day(written, ctx.today) if written else None
    return Asked(numbers[0], written, day, note_after(message, reason_at))


def _unacceptable(ctx: Context, task: Task, asked: Asked) -> Outgoing | None:
    """Why this request cannot be kept, if it cannot: the task is closed or recurring, the
    date or reason is missing, the day is not later than the deadline, one is pending."""
    n, today = task.id, ctx.today
    if task.status != TASK_OPEN:
        return ctx.reply(replies.extension_closed(n), (replies.reopen_button(n), *_TASK_BUTTONS), n)
    if task.deadline_kind == "recurring":
        return ctx.reply(replies.extension_recurring(n), (replies.detail_button(n), *_TASK_BUTTONS), n)
    if asked.written is None:
        return ctx.reply(replies.extension_usage(n), (replies.detail_button(n), *_TASK_BUTTONS), n)
    if not asked.reason:
        return ctx.reply(replies.extension_no_reason(n, asked.written), _TASK_BUTTONS, n)
    if asked.day is None:
        return ctx.reply(replies.extension_bad_day(asked.written), _TASK_BUTTONS, n)
    current = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    if asked.day < today or (current is not None and asked.day <= current):
        return ctx.reply(replies.extension_too_early(n, current, today), _TASK_BUTTONS, n)
    pending = queries.pending_extension(ctx.session, n)
    if pending is not None:
        return ctx.reply(replies.extension_pending(n, pending.requested_date, today), _TASK_BUTTONS, n)
    return None


def _send(ctx: Context, task: Task, asked: Asked) -> list[Outgoing]:
    """Keep the request and send it to those who may decide it (the asker aside)."""
    n, session = task.id, ctx.session
    lifecycle.ask_extension(session, task, ctx.officer, asked.day, asked.reason, ctx.now)
    deciders = [o for o in permissions.deciders(session, task) if o.zalo_user_id and o.id != ctx.officer.id]
    unit = queries.unit_of(session, task)
    text = replies.extension_request(n, unit.name if unit else task.unit_raw, task.text,
                                     say_deadline(task, ctx.now, ctx.zone), asked.day, ctx.today,
                                     ctx.officer.full_name, asked.reason)
    told = [_message_to(o, text, n, replies.decision_buttons(n)) for o in deciders]
    sent = replies.extension_sent(n, asked.day, ctx.today, [o.full_name for o in deciders])
    return [ctx.reply(sent, (replies.detail_button(n), *_TASK_BUTTONS), n), *told]


@router.command("gia hạn", usage="gia hạn N ngày/tháng lý do", what="xin thêm thời gian cho việc #N")
def ask(ctx: Context) -> list[Outgoing]:
    """Asking more time ("gia hạn 7 28/02 lý do"): read, checked, kept as pending, sent to those who may decide."""
    asked = read_ask(ctx)
    if asked is None:
        return [ctx.reply(replies.extension_usage(None), _TASK_BUTTONS)]
    task = closing.permitted(ctx, asked.number, "xin gia hạn")
    if not isinstance(task, Task):
        return closing.answer(ctx, [task])
    refusal = _unacceptable(ctx, task, asked)
    return [refusal] if refusal is not None else _send(ctx, task, asked)


def _latest_decided(ctx: Context, n: int) -> ExtensionRequest | None:
    return ctx.session.exec(
        select(ExtensionRequest).where(ExtensionRequest.task_id == n, ExtensionRequest.status != lifecycle.PENDING)
        .order_by(ExtensionRequest.id.desc())
    ).first()


def _already_decided(ctx: Context, n: int) -> list[Outgoing]:
    done = _latest_decided(ctx, n)
    if done is None:
        return [ctx.reply(replies.no_pending_extension(n), (replies.detail_button(n), *_TASK_BUTTONS), n)]
    by = ctx.session.get(Officer, done.decided_by_id) if done.decided_by_id else None
    text = replies.already_decided(n, done.status == lifecycle.APPROVED, by.full_name if by else None)
    return [ctx.reply(text, (replies.detail_button(n), *_TASK_BUTTONS), n)]


def _decide(ctx: Context, approve: bool) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("duyệt gia hạn" if approve else "từ chối gia hạn"), _TASK_BUTTONS)]
    n = numbers[0]
    session = ctx.session
    task = queries.published_task(session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), _TASK_BUTTONS)]
    deciders = permissions.deciders(session, task)
    if not permissions.may_decide(ctx.officer, {o.id for o in deciders}):
        text = replies.cannot_decide(n, [o.full_name for o in deciders],
                                     other_leaders=permissions.others_may_decide(session, deciders))
        shown = (replies.detail_button(n),) if permissions.may_see(session, ctx.officer, task) else ()
        return [ctx.reply(text, (*shown, *_TASK_BUTTONS), n)]
    request = queries.pending_extension(session, n)
    note = note_after(ctx.message, end)
    decided = lifecycle.extend if approve else lifecycle.refuse_extension
    if request is None or not decided(session, task, request, ctx.officer, note, ctx.settings, ctx.now):
        return _already_decided(ctx, n)
    asker = session.get(Officer, request.requested_by_id)
    wanted = request.requested_date
    out = [ctx.reply(replies.decided_for_decider(n, approve, wanted, ctx.today, asker.full_name),
                     (replies.detail_button(n), *_TASK_BUTTONS), n)]
    if asker.zalo_user_id and asker.id != ctx.officer.id:
        text = replies.decided_for_asker(n, approve, wanted, ctx.today, ctx.officer.full_name, note)
        out.append(_message_to(asker, text, n, (replies.detail_button(n), *_TASK_BUTTONS)))
    return out


@router.command("duyệt gia hạn", usage="duyệt gia hạn N", what="đồng ý đề nghị gia hạn việc #N", audience=DECIDERS)
def approve(ctx: Context) -> list[Outgoing]:
    return _decide(ctx, True)


@router.command("từ chối gia hạn", usage="từ chối gia hạn N lý do", what="không đồng ý đề nghị gia hạn việc #N",
                audience=DECIDERS)
def refuse(ctx: Context) -> list[Outgoing]:
    return _decide(ctx, False)
