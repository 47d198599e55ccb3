"""The weekly summary of the work, for one reader's scope: what the Monday job sends and what
"tổng hợp" answers at any moment.

Leaders read the whole Sở (per unit: closed last week, open, overdue, due this week, the most
overdue named); unit heads their unit; every officer with open work of their own, given or
handed to them, that work. The office admins (role `admin`, and the head of the `office` unit)
also read who could not be reached and since when. A task with a progress report says when
the latest came ("có báo cáo tiến độ 2 ngày trước"). An empty summary is None.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import (
    TASK_OPEN,
    UNCERTAIN_STUCK_AFTER,
    Officer,
    OutboxMessage,
    Reminder,
    Task,
    TaskAssignee,
    TaskDelegate,
    Unit,
)
from tasks import queries
from tasks.calendar import Calendar, week_span
from tasks.deadlines import last_day, overdue_days
from tasks.lists import due_this_week
from tasks.wording import DEFAULT_ZONE, say_ago, say_day, say_lateness, say_week, task_line

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
        return say_week(self.monday)

    @property
    def key_prefix(self) -> str:
        return f"summary:{self.id}:"

    @property
    def claim(self) -> str:
        """The `Lease` row that marks the week as summarised."""
        return f"summary:{self.id}"


def week_of(at: datetime, settings) -> Week:
    monday, _ = week_span(at.astimezone(settings.zone).date())
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
        if due_this_week(task, week.monday):
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
    # Columns, not ORM objects: the console's directory reads this for thousands of officers.
    rows = session.exec(select(Officer.id, Officer.full_name, Officer.zalo_user_id, Officer.unreachable_since,
                               Officer.last_interaction_at, Unit.name).join(Unit, Unit.id == Officer.unit_id)
                        .where(Officer.active).order_by(Unit.id, Officer.id)).all()
    for officer_id, full_name, zalo_user_id, unreachable_since, last, unit_name in rows:
        if not zalo_user_id:
            reason, since = "chưa liên kết Zalo", None
        elif unreachable_since:
            reason, since = "đã chặn hoặc bỏ theo dõi OA", unreachable_since
        elif officer_id in held_since and not settings.zalo_template_id:
            reason = "quá 7 ngày không nhắn cho OA, tin nhắn đang chờ"
            since = last + OUTSIDE_WINDOW if last else held_since[officer_id]
        else:
            continue
        people.append(Unreachable(officer_id, full_name, unit_name, reason, since))
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
    stuck: int = 0  # messages whose arrival Zalo could not confirm for over an hour (office admins)
    progress: dict[int, datetime] = field(default_factory=dict)  # task id -> its latest progress report

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
    handed = select(TaskDelegate.task_id, TaskDelegate.officer_id).where(TaskDelegate.revoked_at.is_(None))
    for task_id, officer_id in {*session.exec(select(TaskAssignee.task_id, TaskAssignee.officer_id)).all(),
                                *session.exec(handed).all()}:
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
        Officer.active).order_by(Officer.id)).all()  # with no Zalo link too: a phone template may reach them
    return Snapshot(week, at, units, stats, total, open_by_unit, named_open, missed,
                    unreachable_officers(session, settings, at), list(recipients), stuck_messages(session, at),
                    queries.last_progress(session, list(open_ids)))


def stuck_messages(session: Session, now: datetime) -> int:
    """Messages Zalo's trouble has left uncertain for over an hour (the console offers «Gửi lại»)."""
    return session.exec(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == "uncertain", OutboxMessage.uncertain_since < now - UNCERTAIN_STUCK_AFTER)).one()


def summary_for(officer: Officer, unit: Unit, snap: Snapshot, zone) -> str | None:
    """One officer's summary, or None when it would say nothing."""
    sections = []
    listed: set[int] = set()
    if officer.role == "leader" and snap.stats:
        sections.append(leaders_section(snap.week.label, snap.units_in_order(), snap.total))
    elif officer.role == "head" and unit.id in snap.stats:
        tasks = snap.open_by_unit.get(unit.id, [])
        sections.append(unit_section(snap.week.label, snap.stats[unit.id], tasks, snap.at, zone, snap.progress))
        listed = {t.id for t in tasks}
    own = [t for t in snap.named_open.get(officer.id, []) if t.id not in listed]
    if own:
        sections.append(own_section(own, snap.at, zone, snap.progress))
    if snap.missed.get(officer.id):
        sections.append(missed_section(snap.missed[officer.id]))
    is_admin = officer.role == "admin" or (officer.role == "head" and unit.kind == "office")
    if is_admin and snap.unreachable:
        sections.append(unreachable_section(snap.unreachable, snap.at, zone))
    if is_admin and snap.stuck:
        sections.append(stuck_section(snap.stuck))
    if not sections:
        return None
    if not sections[0].startswith("Tổng hợp"):
        sections.insert(0, f"Tổng hợp {snap.week.label}")
    return "\n\n".join(sections)


def _counts(stats) -> str:
    return (f"đang làm {stats.open} (quá hạn {stats.overdue}, đến hạn tuần này {stats.due_this_week}), "
            f"tuần trước xong {stats.closed_last_week}")


def leaders_section(week_label: str, units: list, total) -> str:
    """The leaders' view: one line per unit, the most overdue task of each named."""
    lines = [f"Tổng hợp {week_label} — toàn Sở", f"Toàn Sở: {_counts(total)}."]
    for stats in units:
        worst = f"; lâu nhất #{stats.worst.id} (quá hạn {say_lateness(stats.worst_days)})" if stats.worst else ""
        lines.append(f"• {stats.short or stats.name}: {_counts(stats)}{worst}.")
    return "\n".join(lines)


def _line(task, now: datetime, zone: ZoneInfo, progress: dict[int, datetime]) -> str:
    """A task's line, and when its latest progress report came, if one did."""
    reported = progress.get(task.id)
    said = f" · có báo cáo tiến độ {say_ago(reported, now, zone)}" if reported else ""
    return f"{task_line(task, now, zone)}{said}"


def unit_section(week_label: str, stats, tasks: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE,
                 progress: dict[int, datetime] | None = None) -> str:
    counts = _counts(stats)
    lines = [f"Tổng hợp {week_label} — {stats.name}", f"{counts[0].upper()}{counts[1:]}."]
    lines += [_line(t, now, zone, progress or {}) for t in tasks]
    return "\n".join(lines)


def own_section(tasks: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE,
                progress: dict[int, datetime] | None = None) -> str:
    return "\n".join([f"Việc anh/chị được giao ({len(tasks)}):"] + [_line(t, now, zone, progress or {}) for t in tasks])


def missed_section(task_ids: list[int]) -> str:
    listed = ", ".join(f"#{n}" for n in task_ids)
    return f"Nhắc việc chưa gửi kịp khi hệ thống tạm dừng: {listed}."


def stuck_section(count: int) -> str:
    return (f"Có {count} tin Zalo chưa xác nhận đã đến người nhận sau hơn 1 giờ. Anh/chị xem "
            "«Nhật ký gửi» trên trang quản trị, mục «Không chắc đã gửi», và bấm «Gửi lại» nếu cần.")


def unreachable_line(person, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """'Lý Văn Nam (Trung tâm Kỹ thuật TĐC): chưa liên kết Zalo'."""
    since = f", từ {say_day(person.since.astimezone(zone).date(), now.astimezone(zone).date())}" if person.since else ""
    return f"{person.name} ({person.unit}): {person.reason}{since}"


def unreachable_section(people: list, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return "\n".join([f"Chưa liên lạc được qua Zalo ({len(people)}):"]
                     + [f"• {unreachable_line(p, now, zone)}" for p in people])
