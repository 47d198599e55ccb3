"""Asking for more time: "gia hạn N dd/mm lý do", decided by "duyệt gia hạn N" or
"từ chối gia hạn N lý do".

The request goes to the leader who directs the task's unit (else every leader) and to the
office admins (else the head of the office), as messages to their own Zalo accounts. The
deadline changes only on approval; the asker is told either way; `ExtensionRequest` and the
task's history keep both the request and the decision.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select

from zalo.messages import Outgoing
from handlers import closing, replies
from tasks import queries
from handlers.parsing import note_after, parse_day
from tasks.permissions import may_decide
from handlers.routing import DECIDERS, Context, Router
from handlers.tasks import may_see
from tasks.deadlines import due_at
from tasks.schedule import plan_task
from tasks.deadlines import last_day
from tasks.wording import say_deadline
from storage.models import TASK_OPEN, ExtensionRequest, Officer, Task, TaskEvent, Unit

router = Router()

# Words people put between the task number and the date: "gia hạn 7 đến ngày 28/02".
_BEFORE_DATE = {"den", "ngay", "toi", "han", "la"}
_TASK_BUTTONS = (replies.MY_TASKS,)


def _message_to(officer: Officer, text: str, n: int, buttons=()) -> Outgoing:
    """A message to someone other than the sender (they may be outside Zalo's 7-day window)."""
    return Outgoing(officer.zalo_user_id, text, tuple(buttons), task_id=n, officer_id=officer.id, kind="notice")


def _event(ctx: Context, n: int, action: str, note: str | None, request: ExtensionRequest) -> None:
    data = {"to": request.requested_date.isoformat(), "request_id": request.id}
    ctx.session.add(TaskEvent(task_id=n, at=ctx.now, actor_id=ctx.officer.id, action=action, note=note, data=data))


@router.command("gia hạn", usage="gia hạn N ngày/tháng lý do", what="xin thêm thời gian cho việc #N")
def ask(ctx: Context) -> list[Outgoing]:
    """Asking more time ("gia hạn 7 28/02 lý do"): checked, kept as pending, sent to those who may decide."""
    numbers, index = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.extension_usage(None), _TASK_BUTTONS)]
    n = numbers[0]
    session, message = ctx.session, ctx.message
    task = closing.permitted(ctx, n, "xin gia hạn")
    if not isinstance(task, Task):
        return closing.answer(ctx, [task])
    if task.status != TASK_OPEN:
        return [ctx.reply(replies.extension_closed(n), (replies.reopen_button(n), *_TASK_BUTTONS), n)]
    if task.deadline_kind == "recurring":
        return [ctx.reply(replies.extension_recurring(n), (replies.detail_button(n), *_TASK_BUTTONS), n)]

    tokens = message.tokens
    while index < len(tokens) and tokens[index].key in _BEFORE_DATE:
        index += 1
    reason_at = index + 1
    if message.words_from(reason_at)[:2] == ("ly", "do"):
        reason_at += 2
    reason = note_after(message, reason_at)
    if index >= len(tokens) or not tokens[index].is_date:
        return [ctx.reply(replies.extension_usage(n), (replies.detail_button(n), *_TASK_BUTTONS), n)]
    if not reason:
        return [ctx.reply(replies.extension_no_reason(n, tokens[index].text), _TASK_BUTTONS, n)]
    wanted = parse_day(tokens[index].text, ctx.today)
    if wanted is None:
        return [ctx.reply(replies.extension_bad_day(tokens[index].text), _TASK_BUTTONS, n)]
    current = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    if wanted < ctx.today or (current is not None and wanted <= current):
        return [ctx.reply(replies.extension_too_early(n, current, ctx.today), _TASK_BUTTONS, n)]
    pending = queries.pending_extension(session, n)
    if pending is not None:
        return [ctx.reply(replies.extension_pending(n, pending.requested_date, ctx.today), _TASK_BUTTONS, n)]

    request = ExtensionRequest(task_id=n, requested_by_id=ctx.officer.id, requested_date=wanted, reason=reason,
                               created_at=ctx.now)
    session.add(request)
    session.flush()
    _event(ctx, n, "extension_requested", reason, request)
    unit = session.get(Unit, task.unit_id) if task.unit_id else None
    deciders = [o for o in queries.approvers(session, unit) if o.zalo_user_id and o.id != ctx.officer.id]
    text = replies.extension_request(n, unit.name if unit else task.unit_raw, task.text,
                                     say_deadline(task, ctx.now, ctx.zone), wanted, ctx.today,
                                     ctx.officer.full_name, reason)
    told = [_message_to(o, text, n, replies.decision_buttons(n)) for o in deciders]
    sent = replies.extension_sent(n, wanted, ctx.today, [o.full_name for o in deciders])
    return [ctx.reply(sent, (replies.detail_button(n), *_TASK_BUTTONS), n), *told]


def _latest_decided(ctx: Context, n: int) -> ExtensionRequest | None:
    return ctx.session.exec(
        select(ExtensionRequest).where(ExtensionRequest.task_id == n, ExtensionRequest.status != "pending")
        .order_by(ExtensionRequest.id.desc())
    ).first()


def _already_decided(ctx: Context, n: int) -> list[Outgoing]:
    done = _latest_decided(ctx, n)
    if done is None:
        return [ctx.reply(replies.no_pending_extension(n), (replies.detail_button(n), *_TASK_BUTTONS), n)]
    by = ctx.session.get(Officer, done.decided_by_id) if done.decided_by_id else None
    text = replies.already_decided(n, done.status == "approved", by.full_name if by else None)
    return [ctx.reply(text, (replies.detail_button(n), *_TASK_BUTTONS), n)]


def _extend(ctx: Context, task: Task, request: ExtensionRequest) -> None:
    """The new deadline: the end of the office day granted."""
    task.deadline_kind, task.deadline_date = "on", request.requested_date
    task.deadline_time, task.deadline_start = None, None
    task.due_at = due_at("on", request.requested_date, None, ctx.zone, end_of_day=ctx.settings.office_hours[-1][1])
    ctx.session.add(task)
    ctx.session.flush()
    plan_task(ctx.session, task, ctx.settings, ctx.now)


def _decide(ctx: Context, approve: bool) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("duyệt gia hạn" if approve else "từ chối gia hạn"), _TASK_BUTTONS)]
    n = numbers[0]
    session = ctx.session
    task = queries.published_task(session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), _TASK_BUTTONS)]
    unit = session.get(Unit, task.unit_id) if task.unit_id else None
    deciders = queries.approvers(session, unit)
    if not may_decide(ctx.officer, {o.id for o in deciders}):
        # Every leader may decide: say so unless they are all named already.
        others = {o.id for o in queries.approvers(session, None)} - {o.id for o in deciders}
        text = replies.cannot_decide(n, [o.full_name for o in deciders], other_leaders=bool(others))
        shown = (replies.detail_button(n),) if may_see(ctx, task) else ()
        return [ctx.reply(text, (*shown, *_TASK_BUTTONS), n)]
    request = queries.pending_extension(session, n)
    note = note_after(ctx.message, end)
    status = "approved" if approve else "refused"
    won = request is not None and session.execute(
        update(ExtensionRequest).where(ExtensionRequest.id == request.id, ExtensionRequest.status == "pending")
        .values(status=status, decided_by_id=ctx.officer.id, decided_at=ctx.now, decision_note=note)
    ).rowcount
    if not won:
        return _already_decided(ctx, n)
    if approve:
        _extend(ctx, task, request)
    _event(ctx, n, f"extension_{status}", note, request)
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
