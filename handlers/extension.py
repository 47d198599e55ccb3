"""Asking for more time: "gia hạn N dd/mm lý do", decided by "duyệt gia hạn N" or
"từ chối gia hạn N lý do".

The request goes to those who may decide it (`tasks.permissions.deciders`, and those who may
approve it: `tasks.permissions.deadline_approvers`), as messages to their own Zalo accounts.
The deadline changes only on approval (`tasks.lifecycle.extend`). A refusal without a reason
asks for one ("Lý do?"): the next message is the reason, unless it begins with a command. The
asker is told either way, with what to do next; the others asked are told who decided (their
buttons then answer that it is decided); on approval those answering for the task hear of it
(`tasks.telling`). `ExtensionRequest` and the task's history keep the request and the decision.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlmodel import select

from handlers import closing, replies, smalltalk, telling
from handlers import replies_changes as said
from handlers.parsing import note_after, parse_day
from handlers.routing import DECIDERS, Context, Router
from storage.models import TASK_OPEN, ExtensionRequest, Officer, Task
from tasks import lifecycle, permissions, queries
from tasks.deadlines import last_day
from tasks.telling import EXTENDED, REFUSED
from tasks.wording import say_deadline
from zalo.messages import Outgoing

router = Router()
REFUSAL_REASON = "refusal_reason"

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
        return ctx.reply(said.extension_closed(n), (replies.reopen_button(n), *_TASK_BUTTONS), n)
    if task.deadline_kind == "recurring":
        return ctx.reply(said.extension_recurring(n), (replies.detail_button(n), *_TASK_BUTTONS), n)
    if asked.written is None:
        return ctx.reply(said.extension_usage(n), (replies.detail_button(n), *_TASK_BUTTONS), n)
    if not asked.reason:
        return ctx.reply(said.extension_no_reason(n, asked.written), _TASK_BUTTONS, n)
    if asked.day is None:
        return ctx.reply(said.extension_bad_day(asked.written), _TASK_BUTTONS, n)
    current = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    if asked.day < today or (current is not None and asked.day <= current):
        return ctx.reply(said.extension_too_early(n, current, today), _TASK_BUTTONS, n)
    pending = queries.pending_extension(ctx.session, n)
    if pending is not None:
        return ctx.reply(said.extension_pending(n, pending.requested_date, today), _TASK_BUTTONS, n)
    return None


def asked_to_decide(ctx: Context, task: Task) -> tuple[list[Officer], set[int]]:
    """Those a request goes to (who decides and who follows it), and among them the ids of
    those who may approve it (`tasks.permissions.deadline_approvers`)."""
    approvers = permissions.deadline_approvers(ctx.session, task, ctx.settings)
    asked = {o.id: o for o in approvers + permissions.deciders(ctx.session, task)}
    return list(asked.values()), {o.id for o in approvers}


def _send(ctx: Context, task: Task, asked: Asked) -> list[Outgoing]:
    """Keep the request and send it to those who may decide it (the asker aside); only those who
    may approve get the button that approves."""
    n, session = task.id, ctx.session
    lifecycle.ask_extension(session, task, ctx.officer, asked.day, asked.reason, ctx.now)
    people, approving = asked_to_decide(ctx, task)
    deciders = [o for o in people if o.zalo_user_id and o.id != ctx.officer.id]
    unit = queries.unit_of(session, task)
    text = said.extension_request(n, unit.name if unit else task.unit_raw, task.text,
                                  say_deadline(task, ctx.now, ctx.zone), asked.day, ctx.today,
                                  ctx.officer.full_name, asked.reason)
    told = [_message_to(o, text, n, said.decision_buttons(n, o.id in approving)) for o in deciders]
    sent = said.extension_sent(n, asked.day, ctx.today, [o.full_name for o in deciders])
    return [ctx.reply(sent, (replies.detail_button(n), *_TASK_BUTTONS), n), *told]


@router.command("gia hạn", usage="gia hạn N ngày/tháng lý do", what="xin thêm thời gian cho việc #N")
def ask(ctx: Context) -> list[Outgoing]:
    """Asking more time ("gia hạn 7 28/02 lý do"): read, checked, kept as pending, sent to those who may decide."""
    asked = read_ask(ctx)
    if asked is None:
        return [ctx.reply(said.extension_usage(None), _TASK_BUTTONS)]
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
        return [ctx.reply(said.no_pending_extension(n), (replies.detail_button(n), *_TASK_BUTTONS), n)]
    by = ctx.session.get(Officer, done.decided_by_id) if done.decided_by_id else None
    text = said.already_decided(n, done.status == lifecycle.APPROVED, by.full_name if by else None)
    return [ctx.reply(text, (replies.detail_button(n), *_TASK_BUTTONS), n)]


def _may_not(ctx: Context, task: Task, approve: bool) -> list[Outgoing] | None:
    """Why this officer may not decide (approve, when `approve`) the task's request, if not."""
    n, session = task.id, ctx.session
    people, approving = asked_to_decide(ctx, task)
    if approve and ctx.officer.id not in approving and permissions.may_decide(ctx.officer, {o.id for o in people}):
        approvers = [o.full_name for o in people if o.id in approving]
        return [ctx.reply(said.cannot_approve(n, approvers), (replies.detail_button(n), *_TASK_BUTTONS), n)]
    if permissions.may_decide(ctx.officer, {o.id for o in people}):
        return None
    deciders = permissions.deciders(session, task)
    text = said.cannot_decide(n, [o.full_name for o in deciders],
                              other_leaders=permissions.others_may_decide(session, deciders))
    shown = (replies.detail_button(n),) if permissions.may_see(session, ctx.officer, task) else ()
    return [ctx.reply(text, (*shown, *_TASK_BUTTONS), n)]


def _decide(ctx: Context, approve: bool, n: int, note: str | None) -> list[Outgoing]:
    """Approve or refuse task #n's pending request; the asker, the others asked and (on approval)
    those answering for the task are told."""
    session = ctx.session
    task = queries.published_task(session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), _TASK_BUTTONS)]
    refused = _may_not(ctx, task, approve)
    if refused is not None:
        return refused
    request = queries.pending_extension(session, n)
    if request is not None and not approve and note is None:  # a refusal asks why, once
        ctx.asking = (REFUSAL_REASON, n)
        asker = session.get(Officer, request.requested_by_id)
        return [ctx.reply(said.refusal_reason_asked(n, asker.full_name), (said.refuse_without_reason(n),), n)]
    note = None if note == said.NO_REASON else note
    decided = lifecycle.extend if approve else lifecycle.refuse_extension
    if request is None or not decided(session, task, request, ctx.officer, note, ctx.settings, ctx.now):
        return _already_decided(ctx, n)
    asker = session.get(Officer, request.requested_by_id)
    wanted = request.requested_date
    out = [ctx.reply(said.decided_for_decider(n, approve, wanted, ctx.today, asker.full_name),
                     (replies.detail_button(n), *_TASK_BUTTONS), n)]
    if asker.zalo_user_id and asker.id != ctx.officer.id:
        text = said.decided_for_asker(n, approve, wanted, ctx.today, ctx.officer.full_name, note,
                                      say_deadline(task, ctx.now, ctx.zone))
        out.append(_message_to(asker, text, n, (replies.detail_button(n), *_TASK_BUTTONS)))
    made = telling.change(ctx, task, EXTENDED if approve else REFUSED, day=wanted)
    people, _ = asked_to_decide(ctx, task)
    return out + telling.messages(ctx.session, telling.tell(ctx, task, made, frozenset({asker.id}), people))


def _decision(ctx: Context, approve: bool) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("duyệt gia hạn" if approve else "từ chối gia hạn"), _TASK_BUTTONS)]
    return _decide(ctx, approve, numbers[0], note_after(ctx.message, end))


@router.command("duyệt gia hạn", usage="duyệt gia hạn N", what="đồng ý đề nghị gia hạn việc #N", audience=DECIDERS)
def approve(ctx: Context) -> list[Outgoing]:
    return _decision(ctx, True)


@router.command("từ chối gia hạn", usage="từ chối gia hạn N lý do", what="không đồng ý đề nghị gia hạn việc #N",
                audience=DECIDERS)
def refuse(ctx: Context) -> list[Outgoing]:
    return _decision(ctx, False)


@router.answer(REFUSAL_REASON)
def reason_given(ctx: Context, n: int | None) -> list[Outgoing]:
    """The answer to "Lý do?": the whole message is the reason (small talk is not one)."""
    waiting = smalltalk.chatter(ctx, (REFUSAL_REASON, n))
    return waiting if waiting is not None else _decide(ctx, False, n, ctx.message.text.strip() or None)
