"""Finding and summing up: "tìm techfest" among the tasks the sender may see, and "tổng hợp":
the weekly summary of the sender's scope (`tasks.summary`), now."""

from __future__ import annotations

import re

from sqlmodel import select

from handlers import replies
from handlers import replies_changes as said
from handlers.listing import marks
from handlers.parsing import leads
from handlers.routing import Context, Router
from storage.models import TASK_OPEN, Task, TaskCoordinator, Unit
from tasks import lists, permissions, queries
from tasks.summary import collect, summary_for, week_of
from tasks.text import fold
from zalo.messages import Outgoing

router = Router()

SHOWN = 20
# Words around what is looked for: "tìm giúp em việc techfest với".
_AROUND = {"giup", "em", "anh", "chi", "viec", "cac", "nhung", "ve", "voi", "a", "nhe", "cho", "toi"}


def _leading(message, start: int, _after: int) -> bool:
    return leads(message, start)


def visible(ctx: Context, tasks: list[Task]) -> list[Task]:
    """Those of `tasks` the sender may see (`tasks.permissions.may_view`), read in two queries."""
    if permissions.oversees_all(ctx.officer) or not tasks:
        return tasks
    ids = [t.id for t in tasks]
    mine = queries.assigned_among(ctx.session, ctx.officer.id, ids)
    helping: dict[int, set[int]] = {}
    for task_id, unit_id in ctx.session.exec(
            select(TaskCoordinator.task_id, TaskCoordinator.unit_id).where(TaskCoordinator.task_id.in_(ids))):
        helping.setdefault(task_id, set()).add(unit_id)
    return [t for t in tasks
            if permissions.may_view(ctx.officer, t, {ctx.officer.id} if t.id in mine else set(), helping.get(t.id, set()))]


@router.command("tìm", "tìm kiếm", usage="tìm TỪ", what="tìm việc có từ đó trong các việc anh/chị xem được",
                fits=_leading)
def search(ctx: Context) -> list[Outgoing]:
    words = [w for w in ctx.message.words_from(ctx.after) if w.isalnum() and w not in _AROUND]
    if not words:
        return [ctx.reply(said.SEARCH_USAGE, (replies.MY_TASKS,))]
    # The words in that order, each beginning a word of the text ("techfest" finds "Techfest2025").
    phrase = re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words))
    rows = ctx.session.exec(select(Task.id, Task.text).where(Task.published == True)).all()  # noqa: E712
    wanted = [task_id for task_id, text in rows if phrase.search(fold(text))]
    tasks = visible(ctx, list(ctx.session.exec(select(Task).where(Task.id.in_(wanted)))) if wanted else [])
    open_ = lists.soonest_first([t for t in tasks if t.status == TASK_OPEN])
    done = sorted((t for t in tasks if t.status != TASK_OPEN), key=lambda t: -t.id)
    shown = (open_ + done)[:SHOWN]
    text = said.found(ctx.message.text_from(ctx.after), shown, len(tasks) - len(shown), ctx.now, ctx.zone, marks(ctx, shown))
    return [ctx.reply(text, replies.task_buttons([t.id for t in shown if t.status == TASK_OPEN][:3], replies.MY_TASKS),
                      shown[0].id if len(shown) == 1 else None)]


@router.command("tổng hợp", "báo cáo tuần", usage="tổng hợp", what="bản tổng hợp tuần của anh/chị, ngay bây giờ",
                fits=_leading)
def summary(ctx: Context) -> list[Outgoing]:
    snapshot = collect(ctx.session, ctx.settings, week_of(ctx.now, ctx.settings), ctx.now)
    text = summary_for(ctx.officer, ctx.session.get(Unit, ctx.officer.unit_id), snapshot, ctx.zone)
    return [ctx.reply(text or said.NOTHING_TO_SUMMARISE, (replies.MY_TASKS, replies.OVERDUE, replies.THIS_WEEK))]
