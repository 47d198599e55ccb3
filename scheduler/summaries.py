"""The weekly summaries (Monday 07:00, before the weekly briefing).

Leaders get the whole Sở (per unit: closed last week, open, overdue, due this week, the most
overdue named) and a chart of completion per unit; unit heads their unit; every officer with
open work of their own that work. The office admins (role `admin`, and the head of the
`office` unit) also read who could not be reached and since when. Empty summaries are not
sent. One idempotency key per recipient and week: a week is summarised once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from scheduler.messages import (
    SUMMARY_BUTTONS,
    leaders_section,
    missed_section,
    own_section,
    unit_section,
    unreachable_section,
)
from storage.models import TASK_OPEN, Lease, Officer, OutboxMessage, Reminder, Task, TaskAssignee, Unit
from tasks.calendar import Calendar
from tasks.deadlines import last_day, overdue_days
from zalo.messages import Outgoing
from zalo.outbox import enqueue_many

OUTSIDE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Week:
    monday: date
    start_at: datetime  # when its summaries are due

    @property
    def id(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def label(self) -> str:
        sunday = self.monday + timedelta(days=6)
        return f"tuần {self.monday:%d/%m}–{sunday:%d/%m/%Y}"

    @property
    def key_prefix(self) -> str:
        return f"summary:{self.id}:"

    @property
    def claim(self) -> str:
        """The `Lease` row that marks the week as summarised."""
        return f"summary:{self.id}"


def week_of(at: datetime, settings) -> Week:
    local = at.astimezone(settings.zone).date()
    monday = local - timedelta(days=local.weekday())
    cal = Calendar.from_settings(settings)
    return Week(monday, cal.at(monday + timedelta(days=settings.summary_weekday), settings.summary_time))


def short_name(unit: Unit, longest: int = 28) -> str:
    """The unit's name, or its shortest alias when the name is too long for a chart or a line."""
    return min([unit.name, *unit.aliases], key=len) if len(unit.name) > longest else unit.name


@dataclass
class UnitStats:
    name: str
    short: str = ""
    closed_last_week: int = 0
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0
    closed_ever: int = 0
    worst: Task | None = None
    worst_days: int = 0

    def count(self, task: Task, week: Week, at: datetime, zone) -> None:
        if task.status != TASK_OPEN:
            self.closed_last_week += 1
            return
        self.open += 1
        late = overdue_days(task, at, zone)
        if late:
            self.overdue += 1
            if late > self.worst_days:
                self.worst, self.worst_days = task, late
        end = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
        if end and week.monday <= end <= week.monday + timedelta(days=6):
            self.due_this_week += 1


@dataclass(frozen=True)
class Unreachable:
    officer_id: int
    name: str
    unit: str
    reason: str
    since: datetime | None


def unreachable_officers(session: Session, settings, now: datetime) -> list[Unreachable]:
    """Officers the bot cannot reach: not linked, blocked or gone, or outside Zalo's 7-day
    window with messages held (when no template message is configured)."""
    held_since = dict(session.exec(
        select(OutboxMessage.officer_id, func.min(OutboxMessage.created_at))
        .where(OutboxMessage.status == "held").group_by(OutboxMessage.officer_id)
    ).all())
    people = []
    rows = session.exec(select(Officer, Unit).join(Unit, Unit.id == Officer.unit_id)
                        .where(Officer.active).order_by(Unit.id, Officer.id)).all()
    for officer, unit in rows:
        if not officer.zalo_user_id:
            reason, since = "chưa liên kết Zalo", None
        elif officer.unreachable_since:
            reason, since = "đã chặn hoặc bỏ theo dõi OA", officer.unreachable_since
        elif officer.id in held_since and not settings.zalo_template_id:
            last = officer.last_interaction_at
            reason = "quá 7 ngày không nhắn cho OA, tin nhắn đang chờ"
            since = last + OUTSIDE_WINDOW if last else held_since[officer.id]
        else:
            continue
        people.append(Unreachable(officer.id, officer.full_name, unit.name, reason, since))
    return people


@dataclass
class Snapshot:
    """Everything the week's summaries say, read in one go."""

    week: Week
    at: datetime
    units: dict[int, Unit]
    stats: dict[int | None, UnitStats]
    total: UnitStats
    open_by_unit: dict[int | None, list[Task]]
    named_open: dict[int, list[Task]]
    missed: dict[int, list[int]]
    unreachable: list[Unreachable]
    recipients: list[tuple[Officer, Unit]] = field(default_factory=list)

    def units_in_order(self) -> list[UnitStats]:
        """Per-unit figures in directory order, tasks of no known unit last."""
        return [s for _, s in sorted(self.stats.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]


def _sort_key(task: Task, at: datetime, zone):
    end = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    return (-overdue_days(task, at, zone), end is None, end or date.max, task.id)


def collect(session: Session, settings, week: Week, at: datetime) -> Snapshot:
    zone = settings.zone
    last_monday = datetime.combine(week.monday - timedelta(days=7), datetime.min.time(), zone)
    this_monday = last_monday + timedelta(days=7)
    tasks = session.exec(select(Task).where(
        Task.published, (Task.status == TASK_OPEN) | ((Task.closed_at >= last_monday) & (Task.closed_at < this_monday))
    ).order_by(Task.id)).all()
    units = {u.id: u for u in session.exec(select(Unit).order_by(Unit.id))}
    stats: dict[int | None, UnitStats] = {}
    total = UnitStats("toàn Sở")
    open_by_unit: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        unit = units.get(task.unit_id)
        stats.setdefault(task.unit_id, UnitStats(unit.name, short_name(unit)) if unit else UnitStats("Chưa rõ đơn vị"))
        stats[task.unit_id].count(task, week, at, zone)
        total.count(task, week, at, zone)
        if task.status == TASK_OPEN:
            open_by_unit[task.unit_id].append(task)
    for unit_id, closed in session.exec(select(Task.unit_id, func.count()).where(
            Task.published, Task.status != TASK_OPEN).group_by(Task.unit_id)).all():
        if unit_id in stats:
            stats[unit_id].closed_ever = closed
    open_ids = {t.id: t for t in tasks if t.status == TASK_OPEN}
    named_open: dict[int, list[Task]] = defaultdict(list)
    for task_id, officer_id in session.exec(select(TaskAssignee.task_id, TaskAssignee.officer_id)).all():
        if task_id in open_ids:
            named_open[officer_id].append(open_ids[task_id])
    missed: dict[int, list[int]] = defaultdict(list)
    for officer_id, task_id in session.exec(select(Reminder.officer_id, Reminder.task_id).where(
            Reminder.state == "missed", Reminder.planned_at >= week.start_at - timedelta(days=7),
            Reminder.planned_at < week.start_at).order_by(Reminder.planned_at)).all():
        if task_id in open_ids and task_id not in missed[officer_id]:
            missed[officer_id].append(task_id)
    for group in (*open_by_unit.values(), *named_open.values()):
        group.sort(key=lambda t: _sort_key(t, at, zone))
    recipients = session.exec(select(Officer, Unit).join(Unit, Unit.id == Officer.unit_id).where(
        Officer.active, Officer.zalo_user_id.is_not(None)).order_by(Officer.id)).all()
    return Snapshot(week, at, units, stats, total, open_by_unit, named_open, missed,
                    unreachable_officers(session, settings, at), list(recipients))


def summary_for(officer: Officer, unit: Unit, snap: Snapshot, zone) -> str | None:
    """One officer's summary, or None when it would say nothing."""
    sections = []
    listed: set[int] = set()
    if officer.role == "leader" and snap.stats:
        sections.append(leaders_section(snap.week.label, snap.units_in_order(), snap.total))
    elif officer.role == "head" and unit.id in snap.stats:
        tasks = snap.open_by_unit.get(unit.id, [])
        sections.append(unit_section(snap.week.label, snap.stats[unit.id], tasks, snap.at, zone))
        listed = {t.id for t in tasks}
    own = [t for t in snap.named_open.get(officer.id, []) if t.id not in listed]
    if own:
        sections.append(own_section(own, snap.at, zone))
    if snap.missed.get(officer.id):
        sections.append(missed_section(snap.missed[officer.id]))
    is_admin = officer.role == "admin" or (officer.role == "head" and unit.kind == "office")
    if is_admin and snap.unreachable:
        sections.append(unreachable_section(snap.unreachable, snap.at, zone))
    if not sections:
        return None
    if not sections[0].startswith("Tổng hợp"):
        sections.insert(0, f"Tổng hợp {snap.week.label}")
    return "\n\n".join(sections)


def draw_chart(snap: Snapshot, path: Path) -> Path:
    """Completion per unit as a PNG: done, open on time and overdue tasks, stacked."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    rows = snap.units_in_order()[::-1]  # barh draws bottom-up: the first unit on top
    names = [s.short or s.name for s in rows]
    done = [s.closed_ever for s in rows]
    late = [s.overdue for s in rows]
    on_time = [s.open - s.overdue for s in rows]
    figure, axes = pyplot.subplots(figsize=(9, 0.45 * len(rows) + 1.6), dpi=100)
    axes.barh(names, done, color="#2e7d32", label="Đã xong")
    axes.barh(names, on_time, left=done, color="#90caf9", label="Đang làm, trong hạn")
    axes.barh(names, late, left=[d + o for d, o in zip(done, on_time, strict=True)], color="#e53935", label="Quá hạn")
    for y, stats in enumerate(rows):
        whole = stats.closed_ever + stats.open
        if whole:
            axes.text(whole + 0.1, y, f"xong {round(100 * stats.closed_ever / whole)}%", va="center", fontsize=8)
    axes.set_title(f"Tiến độ theo đơn vị, {snap.week.label}")
    axes.set_xlabel("Số việc")
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    pyplot.close(figure)
    return path


def queue_weekly_summaries(runtime, at: datetime, holder: str = "") -> int:
    """How many summary messages `summary_messages` queued."""
    return len(summary_messages(runtime, at, holder))


def summary_messages(runtime, at: datetime, holder: str = "") -> list[int]:
    """Queue this week's summaries when their moment has come and the week is not claimed yet;
    returns their outbox ids.

    The claim is a `Lease` row named after the week, written in the same transaction as the
    messages: a week is summarised once, even when it had nothing to say at that moment.
    """
    settings = runtime.settings
    week = week_of(at, settings)
    if at < week.start_at:
        return []
    with runtime.session(read_only=True) as session:
        if session.get(Lease, week.claim) is not None:
            return []
        snap = collect(session, settings, week, at)
    messages: list[tuple[str, Outgoing]] = []
    chart: Path | None = None
    for officer, unit in snap.recipients:
        text = summary_for(officer, unit, snap, settings.zone)
        if text is None:
            continue
        key = f"{week.key_prefix}{officer.id}"
        messages.append((key, Outgoing(officer.zalo_user_id, text, SUMMARY_BUTTONS, officer_id=officer.id, kind="summary")))
        if officer.role == "leader" and snap.stats:
            chart = chart or draw_chart(snap, Path(settings.chart_dir) / f"tong-hop-{week.id}.png")
            caption = f"Biểu đồ tiến độ theo đơn vị, {week.label}"
            messages.append((f"{key}:chart", Outgoing(officer.zalo_user_id, caption, officer_id=officer.id,
                                                       kind="image", image_path=str(chart))))
    try:
        with runtime.session(write_lock=True) as session:
            if session.get(Lease, week.claim) is not None:
                return []
            session.add(Lease(name=week.claim, holder=holder[:64] or "summary", expires_at=week.start_at + timedelta(days=7)))
            return list(enqueue_many(session, messages).values())
    except IntegrityError:  # another process claimed the week at the same moment
        return []
