"""Seeing one's work: "việc của tôi", "việc phòng", "quá hạn", "tuần này", "việc hôm nay",
"chi tiết N".

An officer's own lists hold what the notice names them for and what was handed to them; with
nothing there, they are told so plainly, with what their unit has open. A head's lists add
their unit's tasks, a leader's the units they direct. Lists are grouped (`tasks.lists`).
"""

from __future__ import annotations

from sqlmodel import Session

from handlers import replies
from handlers.parsing import note_after, phrase_key
from handlers.routing import Context, Router
from storage.models import TASK_OPEN, Task, Unit
from tasks import lists, permissions, queries
from zalo.messages import Button, Outgoing

router = Router()


def _single(tasks: list[Task]) -> int | None:
    """A message about exactly one task names it, so that "Trả lời" + "xong" closes it."""
    return tasks[0].id if len(tasks) == 1 else None


def marks(ctx: Context, tasks: list[Task], units: dict[int, str] | None = None,
          coordinating: frozenset[int] = frozenset()) -> replies.Marks:
    """What the lines of a list show besides the task: when progress was last reported."""
    reported = queries.last_progress(ctx.session, [t.id for t in tasks])
    return replies.Marks(coordinating, units or {}, reported)


def _scope(ctx: Context) -> tuple[list[Task], dict[int, str] | None]:
    """What "quá hạn", "tuần này" and "việc hôm nay" look through: the officer's tasks, and a
    leader's units', where each line then names its unit (code by task id)."""
    tasks = queries.my_open(ctx.session, ctx.officer)
    if ctx.officer.role != "leader":
        return tasks, None
    directed = queries.directed_open(ctx.session, queries.directed_units(ctx.session, ctx.officer))
    tasks = lists.soonest_first(tasks + directed)
    codes = {u.id: u.code for u in queries.all_units(ctx.session)}
    return tasks, {t.id: codes[t.unit_id] for t in tasks if t.unit_id in codes}


def _none_of_yours(ctx: Context, what: str) -> list[Outgoing]:
    """Nothing of their own: said plainly, with their unit's open and overdue counts."""
    unit = ctx.session.get(Unit, ctx.officer.unit_id)
    counts = queries.open_counts(ctx.session, [unit.id], ctx.now).get(unit.id, (0, 0))
    text = replies.none_of_yours(what, unit.name if ctx.officer.role != "leader" else None, counts)
    return [ctx.reply(text, (replies.UNIT_TASKS, replies.HELP))]


def _listing(ctx: Context, text: str, tasks: list[Task], view: Button) -> list[Outgoing]:
    shown = lists.in_order(tasks, ctx.now, ctx.zone)
    closable = permissions.closable(ctx.session, ctx.officer, shown)  # they get "Xong" buttons, as listed
    return [ctx.reply(text, replies.task_buttons(closable, view), _single(tasks))]


@router.command("việc của tôi", "việc của em", "việc của mình", usage="việc của tôi",
                what="việc anh/chị đang phụ trách, theo hạn")
def my_tasks(ctx: Context) -> list[Outgoing]:
    officer, session = ctx.officer, ctx.session
    tasks = queries.my_open(session, officer)
    if officer.role != "leader":
        if not tasks:
            return _none_of_yours(ctx, "đang mở")
        text = replies.my_tasks(tasks, ctx.now, ctx.zone, marks(ctx, tasks))
        return _listing(ctx, text, tasks, replies.MY_TASKS)
    rows, busiest = _directed(ctx)
    text = replies.leader_tasks(tasks, rows, ctx.now, ctx.zone)
    own = [replies.close_button(t.id) for t in lists.in_order(tasks, ctx.now, ctx.zone)[:2]]
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
    tasks = lists.soonest_first(responsible + helping)
    text = replies.unit_tasks(unit.name, tasks, ctx.now, ctx.zone, marks(ctx, tasks, coordinating=coordinating))
    shown = lists.in_order([t for t in tasks if t.id not in coordinating], ctx.now, ctx.zone)
    closable = permissions.closable(session, officer, shown)
    return [ctx.reply(text, replies.task_buttons(closable, replies.UNIT_TASKS), _single(tasks))]


@router.command("quá hạn", "trễ hạn", usage="quá hạn", what="việc đã quá hạn")
def overdue(ctx: Context) -> list[Outgoing]:
    scope, units = _scope(ctx)
    tasks = [t for t in scope if lists.heading(t, ctx.now, ctx.zone) == lists.LATE]
    if not tasks:
        return _none_of_yours(ctx, "quá hạn")
    text = replies.overdue_tasks(tasks, ctx.now, ctx.zone, marks(ctx, tasks, units))
    return _listing(ctx, text, tasks, replies.OVERDUE)


@router.command("tuần này", usage="tuần này", what="việc đến hạn trong tuần này (thứ Hai đến Chủ nhật)")
def this_week(ctx: Context) -> list[Outgoing]:
    scope, units = _scope(ctx)
    tasks = [t for t in scope if lists.due_this_week(t, ctx.today)]
    if not tasks:
        return _none_of_yours(ctx, "đến hạn trong tuần này")
    text = replies.week_tasks(tasks, ctx.now, ctx.zone, marks(ctx, tasks, units))
    return _listing(ctx, text, tasks, replies.THIS_WEEK)


@router.command("việc hôm nay", "lịch hôm nay", usage="việc hôm nay",
                what="việc đến hạn và cuộc họp trong hôm nay")
def today(ctx: Context) -> list[Outgoing]:
    scope, units = _scope(ctx)
    tasks = [t for t in scope if lists.task_end(t) == ctx.today]
    if not tasks:
        return _none_of_yours(ctx, "đến hạn hay cuộc họp nào hôm nay")
    text = replies.today_tasks(tasks, ctx.now, ctx.zone, marks(ctx, tasks, units))
    return _listing(ctx, text, tasks, replies.MY_TASKS)


@router.command("chi tiết", usage="chi tiết N", what="toàn bộ thông tin, tiến độ và lịch sử của việc #N")
def detail(ctx: Context) -> list[Outgoing]:
    numbers, _ = ctx.numbers()
    if not numbers:
        return [ctx.reply(replies.which_task("chi tiết"), (replies.MY_TASKS,))]
    n = numbers[0]
    task = queries.published_task(ctx.session, n)
    if task is None:
        return [ctx.reply(replies.not_found(n), (replies.MY_TASKS,))]
    found = queries.task_detail(ctx.session, task)
    people = queries.people(ctx.session, task)
    if not permissions.may_see(ctx.session, ctx.officer, task, people):
        return [ctx.reply(replies.cannot_view(n), (replies.MY_TASKS, replies.UNIT_TASKS))]
    actions: list[Button] = []
    if permissions.may_close(ctx.officer, task, {o.id for o in people}):
        if task.status == TASK_OPEN:
            actions = [replies.close_button(n), replies.progress_button(n), replies.extend_button(n)]
        else:
            actions = [replies.reopen_button(n)]
    text = replies.task_detail(found, ctx.now, ctx.zone)
    return [ctx.reply(text, replies.buttons(*actions, replies.MY_TASKS, replies.UNIT_TASKS), n)]
