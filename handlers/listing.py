"""Seeing one's work: "việc của tôi", "việc phòng", "quá hạn", "tuần này", "chi tiết N"."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from handlers import replies
from handlers.parsing import note_after, phrase_key
from handlers.routing import Context, Router
from storage.models import TASK_OPEN, Task, Unit
from tasks import permissions, queries
from zalo.messages import Button, Outgoing

router = Router()
WEEK = timedelta(days=7)


def _single(tasks: list[Task]) -> int | None:
    """A message about exactly one task names it, so that "Trả lời" + "xong" closes it."""
    return tasks[0].id if len(tasks) == 1 else None


def _scope(ctx: Context) -> tuple[list[Task], dict[int, str] | None]:
    """What "quá hạn" and "tuần này" look through: the officer's tasks, and a leader's units',
    where each line then names its unit (code by task id)."""
    tasks = queries.my_open(ctx.session, ctx.officer)
    if ctx.officer.role != "leader":
        return tasks, None
    directed = queries.directed_open(ctx.session, queries.directed_units(ctx.session, ctx.officer))
    tasks = queries.by_urgency(tasks + directed)
    codes = {u.id: u.code for u in queries.all_units(ctx.session)}
    return tasks, {t.id: codes[t.unit_id] for t in tasks if t.unit_id in codes}


def _listing(ctx: Context, text: str, tasks: list[Task], view: Button) -> list[Outgoing]:
    closable = permissions.closable(ctx.session, ctx.officer, tasks)  # they get "Xong" buttons
    return [ctx.reply(text, replies.task_buttons(closable, view), _single(tasks))]


@router.command("việc của tôi", usage="việc của tôi", what="việc anh/chị đang phụ trách, việc gấp trước")
def my_tasks(ctx: Context) -> list[Outgoing]:
    officer, session = ctx.officer, ctx.session
    tasks = queries.my_open(session, officer)
    if officer.role != "leader":
        return _listing(ctx, replies.my_tasks(tasks, ctx.now, ctx.zone), tasks, replies.MY_TASKS)
    rows, busiest = _directed(ctx)
    text = replies.leader_tasks(tasks, rows, ctx.now, ctx.zone)
    own = [replies.close_button(t.id) for t in tasks[:2]]
    shown = replies.buttons(*own, *_unit_buttons(busiest), replies.OVERDUE, replies.THIS_WEEK)
    return [ctx.reply(text, shown, _single(tasks))]


def _directed(ctx: Context) -> tuple[list[tuple[str, int, int]], list[Unit]]:
    """(name, open, overdue) of each unit a leader directs; those with open work, most overdue first."""
    units = queries.directed_units(ctx.session, ctx.officer)
    counts = queries.open_counts(ctx.session, [u.id for u in units], ctx.now)
    rows = [(u.name, *counts.get(u.id, (0, 0))) for u in units]
    busiest = sorted((u for u in units if u.id in counts), key=lambda u: (-counts[u.id][1], -counts[u.id][0]))
    return rows, busiest


def _unit_buttons(units: list[Unit]) -> list[Button]:
    return [Button(f"Việc {u.code}", f"việc phòng {u.code}") for u in units[:3]]


def find_unit(session: Session, words: tuple[str, ...]) -> Unit | None:
    """The unit named by folded words ("qlcn", "phong quan ly khoa hoc"), by code, name or alias."""
    if not words:
        return None
    for unit in queries.all_units(session):
        keys = {phrase_key(n) for n in (unit.code, unit.name, *unit.aliases)}
        if words in keys or ("phong", *words) in keys:
            return unit
    return None


@router.command("việc phòng", "việc đơn vị", usage="việc phòng",
                what="toàn bộ việc đang mở của đơn vị, kể cả việc phối hợp")
def unit_tasks(ctx: Context) -> list[Outgoing]:
    officer, session = ctx.officer, ctx.session
    named = find_unit(session, ctx.message.words_from(ctx.after))
    written = note_after(ctx.message, ctx.after)  # "việc phòng ạ" names no unit
    own = session.get(Unit, officer.unit_id)
    # Those who may name any unit are told which names work.
    if named is None and written and permissions.oversees_all(officer):
        codes = [u.code for u in queries.all_units(session)]
        return [ctx.reply(replies.unknown_unit(written, codes), (replies.MY_TASKS, replies.OVERDUE))]
    if named is None and officer.role == "leader":  # their own unit is the Ban Giám đốc: their units instead
        rows, busiest = _directed(ctx)
        text = replies.directed_units(rows, (busiest or [own])[0].code)
        shown = replies.buttons(*_unit_buttons(busiest), *replies.NAVIGATION, skip=replies.UNIT_TASKS)
        return [ctx.reply(text, shown)]
    unit = named or own
    if not permissions.may_view_unit(officer, unit.id):
        return [ctx.reply(replies.cannot_view_unit(own.name), (replies.UNIT_TASKS, replies.MY_TASKS))]
    responsible = queries.unit_open(session, unit.id)
    helping = queries.coordinated_open(session, unit.id)
    coordinating = frozenset(t.id for t in helping) - {t.id for t in responsible}
    tasks = queries.by_urgency(responsible + helping)
    text = replies.unit_tasks(unit.name, tasks, coordinating, ctx.now, ctx.zone)
    closable = permissions.closable(session, officer, [t for t in tasks if t.id not in coordinating])
    return [ctx.reply(text, replies.task_buttons(closable, replies.UNIT_TASKS), _single(tasks))]


@router.command("quá hạn", usage="quá hạn", what="việc đã quá hạn")
def overdue(ctx: Context) -> list[Outgoing]:
    scope, units = _scope(ctx)
    tasks = [t for t in scope if t.due_at is not None and t.due_at < ctx.now]
    return _listing(ctx, replies.overdue_tasks(tasks, ctx.now, ctx.zone, units), tasks, replies.OVERDUE)


@router.command("tuần này", usage="tuần này", what="việc đến hạn trong 7 ngày tới")
def this_week(ctx: Context) -> list[Outgoing]:
    scope, units = _scope(ctx)
    tasks = [t for t in scope if t.due_at is not None and ctx.now <= t.due_at < ctx.now + WEEK]
    return _listing(ctx, replies.week_tasks(tasks, ctx.now, ctx.zone, units), tasks, replies.THIS_WEEK)


@router.command("chi tiết", usage="chi tiết N", what="toàn bộ thông tin và lịch sử của việc #N")
def detail(ctx: Context) -> list[Outgoing]:
    numbers, _ = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("chi tiết"), (replies.MY_TASKS,))]
    n = numbers[0]
    task = queries.published_task(ctx.session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), (replies.MY_TASKS,))]
    found = queries.task_detail(ctx.session, task)
    people = {o.id for o in found.assignees}
    if not permissions.may_see(ctx.session, ctx.officer, task, found.assignees):
        return [ctx.reply(replies.cannot_view(n), (replies.MY_TASKS, replies.UNIT_TASKS))]
    actions: list[Button] = []
    if permissions.may_close(ctx.officer, task, people):
        if task.status == TASK_OPEN:
            actions = [replies.close_button(n), replies.extend_button(n)]
        else:
            actions = [replies.reopen_button(n)]
    text = replies.task_detail(found, ctx.now, ctx.zone)
    return [ctx.reply(text, replies.buttons(*actions, replies.MY_TASKS, replies.UNIT_TASKS), n)]
