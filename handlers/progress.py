"""Reporting progress: "tiến độ 26: đã xong dự thảo", a coordinating unit's "xong phần 26", and
the photo or file that comes with it.

A photo or file (Zalo's `user_send_image` / `user_send_file`: `message.attachments[]`, each
with its `payload.url`, docs/zalo.md) is kept by its Zalo URL on a progress report: the one the
officer made just before, or the one it answers ("tiến độ 26" asked for it), or, sent in reply
to a task's message ("Trả lời"), a new report on that task. The task itself does not change;
a part done is told to those answering for the task (`tasks.telling`).
"""

from __future__ import annotations

from datetime import timedelta

from handlers import replies, smalltalk, telling
from handlers import replies_changes as said
from handlers.parsing import Message, leads, note_after
from handlers.routing import Context, Router
from storage.models import TASK_OPEN, Task, Unit
from tasks import lifecycle, permissions, queries
from tasks.telling import PART_DONE
from zalo.messages import Outgoing

router = Router()

PROGRESS = "progress"
# A photo or file this soon after a report belongs to it.
ATTACH_WITHIN = timedelta(minutes=15)
# What is kept of an attachment's fields (a URL longer than this is not Zalo's).
_LIMIT = 2000
_KINDS = {"user_send_image": "image", "user_send_file": "file"}


def _number_or_leads(message: Message, start: int, after: int) -> bool:
    """"tiến độ 26 …" anywhere; "tiến độ" alone only leading its message (a reply to a task's message)."""
    following = [t for t in message.tokens[after:after + 3] if t.key not in ("viec", "so", "#")]
    return (bool(following) and following[0].is_number) or leads(message, start)


def _reportable(ctx: Context, n: int, doing: str) -> Task | list[Outgoing]:
    """Task #n when this officer may report on it (it is open), else what to tell them."""
    task = queries.published_task(ctx.session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), (replies.MY_TASKS,))]
    people = queries.people(ctx.session, task)
    helping = {u.id for u in queries.coordinators(ctx.session, task.id)}
    if not permissions.may_report(ctx.officer, task, {o.id for o in people}, helping):
        heads = [o.full_name for o in queries.unit_heads(ctx.session, task.unit_id)]
        return [ctx.reply(said.cannot_close(n, [o.full_name for o in people], heads, doing), (replies.MY_TASKS,), n)]
    if task.status != TASK_OPEN:
        return [ctx.reply(said.progress_closed(n), (replies.reopen_button(n), replies.detail_button(n)), n)]
    return task


def _unit_of_report(ctx: Context, task: Task) -> int:
    """The unit a report speaks for: the officer's, when it works on the task; else the task's."""
    helping = {u.id for u in queries.coordinators(ctx.session, task.id)}
    return ctx.officer.unit_id if ctx.officer.unit_id in (helping | {task.unit_id}) else task.unit_id


def _keep(ctx: Context, task: Task, text: str, attachments: list[dict]) -> list[Outgoing]:
    lifecycle.report_progress(ctx.session, task, ctx.officer, _unit_of_report(ctx, task), text, attachments, ctx.now)
    buttons = (replies.close_button(task.id), replies.detail_button(task.id), replies.MY_TASKS)
    if attachments:
        return [ctx.reply(said.attached(task.id, attachments[0]["type"]), buttons, task.id)]
    return [ctx.reply(said.progress_kept(task.id), buttons, task.id)]


@router.command("tiến độ", usage="tiến độ N: nội dung", what="báo tiến độ việc #N (kèm ảnh, tệp gửi ngay sau)",
                fits=_number_or_leads)
def report(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(said.progress_usage(None), (replies.MY_TASKS,))]
    task = _reportable(ctx, numbers[0], "báo tiến độ")
    if not isinstance(task, Task):
        return task
    text = note_after(ctx.message, end)
    if not text:  # the button "Báo tiến độ": ask, and take the next message (or photo) as the report
        ctx.asking = (PROGRESS, task.id)
        return [ctx.reply(said.progress_asked(task.id), (replies.detail_button(task.id),), task.id)]
    return _keep(ctx, task, text, [])


@router.answer(PROGRESS)
def report_given(ctx: Context, n: int | None) -> list[Outgoing]:
    """The answer to "gõ nội dung tiến độ": the whole message is the report (small talk is not one)."""
    waiting = smalltalk.chatter(ctx, (PROGRESS, n))
    if waiting is not None:
        return waiting
    task = _reportable(ctx, n, "báo tiến độ")
    return task if not isinstance(task, Task) else _keep(ctx, task, ctx.message.text.strip(), [])


@router.command("xong phần", usage="xong phần N", what="đơn vị phối hợp báo đã xong phần việc của mình trong việc #N",
                fits=_number_or_leads)
def part_done(ctx: Context) -> list[Outgoing]:
    numbers, end = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("xong phần"), (replies.MY_TASKS,))]
    task = _reportable(ctx, numbers[0], "báo xong phần")
    if not isinstance(task, Task):
        return task
    helping = {u.id for u in queries.coordinators(ctx.session, task.id)}
    if ctx.officer.unit_id not in helping:
        return [ctx.reply(said.not_coordinating(task.id), (replies.close_button(task.id),), task.id)]
    note = note_after(ctx.message, end)
    lifecycle.report_progress(ctx.session, task, ctx.officer, ctx.officer.unit_id, note or "", [], ctx.now,
                              part_done=True)
    unit = ctx.session.get(Unit, ctx.officer.unit_id).name
    made = telling.change(ctx, task, PART_DONE, unit=unit, note=note)
    reply = ctx.reply(said.part_done_kept(task.id, unit), (replies.detail_button(task.id), replies.MY_TASKS), task.id)
    return [reply, *telling.messages(ctx.session, telling.tell(ctx, task, made))]


def attachments_of(event: dict, kind: str) -> list[dict]:
    """What Zalo sent, as kept: {"type", "url", "name"} for each attachment with a URL."""
    kept = []
    for item in (event.get("message") or {}).get("attachments") or []:
        payload = item.get("payload") if isinstance(item, dict) else None
        url = payload.get("url") if isinstance(payload, dict) else None
        if isinstance(url, str) and url.strip():
            name = payload.get("name") if isinstance(payload.get("name"), str) else ""
            kept.append({"type": kind, "url": url.strip()[:_LIMIT], "name": name[:255]})
    return kept


def media(ctx: Context) -> list[Outgoing]:
    """A photo or file: kept on the report it goes with (see the module doc), else asked about."""
    if ctx.officer is None:
        return [ctx.reply(replies.NOT_LINKED, (replies.HELP,))]
    kind = _KINDS[ctx.event["event_name"]]
    files = attachments_of(ctx.event, kind)
    if not files:
        return [ctx.reply(said.attachment_for_which_task(kind), (replies.MY_TASKS,))]
    caption = ((ctx.event.get("message") or {}).get("text") or "").strip()
    awaited = ctx.awaited()
    task_id = ctx.quoted_task_id() or (awaited[1] if awaited and awaited[0] == PROGRESS else None)
    recent = queries.latest_report_by(ctx.session, ctx.officer.id, ctx.now - ATTACH_WITHIN, task_id)
    if task_id is None and recent is None:
        return [ctx.reply(said.attachment_for_which_task(kind), (replies.MY_TASKS,))]
    task = _reportable(ctx, task_id or recent.task_id, "báo tiến độ")
    if not isinstance(task, Task):
        return task
    if recent is None or caption:
        return _keep(ctx, task, caption, files)
    for attachment in files:
        lifecycle.attach(ctx.session, task, recent, ctx.officer, attachment, ctx.now)
    return [ctx.reply(said.attached(task.id, kind), (replies.close_button(task.id), replies.detail_button(task.id)),
                      task.id)]


for _name in _KINDS:
    router.event(_name)(media)
