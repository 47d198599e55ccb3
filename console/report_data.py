"""What the reports hold: published tasks of a period or of one notice, one row each, and the
counts per unit (docs/console.md, reports).

A task belongs to a period when its notice's meeting day (else its publication day) falls in
it. The status is one of five (`console.statuses`); "số ngày trễ" is a number beside it.
The officers a task is handed to now (`TaskDelegate`) and its latest progress report
(`ProgressReport`, with how many came before) are read from what the conversation records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from console import statuses
from console.queries import NO_UNIT, delegate_names, label_of
from handlers.replies import attachments_said
from storage.models import (
    ExtensionRequest,
    Notice,
    Officer,
    ProgressReport,
    Task,
    TaskAssignee,
    TaskCoordinator,
    Unit,
)
from tasks.deadlines import last_day
from tasks.wording import say_date


@dataclass(frozen=True)
class Scope:
    """Which tasks a report covers: one notice, a period, or (neither) everything published."""

    notice_id: int | None = None
    start: date | None = None
    end: date | None = None

    def conditions(self) -> list:
        found = [Task.published == True]  # noqa: E712
        if self.notice_id:
            found.append(Task.notice_id == self.notice_id)
        day = func.coalesce(Notice.meeting_on, func.date(Notice.published_at))
        if self.start:
            found.append(Task.notice_id.in_(select(Notice.id).where(day >= self.start)))
        if self.end:
            found.append(Task.notice_id.in_(select(Notice.id).where(day <= self.end)))
        return found


@dataclass(frozen=True)
class ReportRow:
    number: int
    notice: str
    ref: str
    unit: str
    coordinating: list[str]
    people: list[str]
    text: str
    deadline_raw: str | None
    last_day: date | None
    status: str
    days_late: int
    extensions: list[str]
    closed_by: str | None
    closed_at: datetime | None
    note: str | None
    delegated: str = ""
    progress: str = ""


@dataclass
class UnitSummary:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(statuses.LABELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[statuses.DONE_ON_TIME] + self.counts[statuses.DONE_LATE]

    @property
    def completion(self) -> float | None:
        return self.done / self.total if self.total else None


def _names_by_task(session: Session, query) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for task_id, name in session.exec(query):
        found[task_id].append(name)
    return found


def _extensions(session: Session, within, zone: ZoneInfo) -> dict[int, list[str]]:
    """task id -> each extension granted: 'đến 28/02/2025 (Trần Ngọc Lâm duyệt 20/02/2025)'."""
    rows = session.exec(select(ExtensionRequest, Officer.full_name)
                        .join(Officer, Officer.id == ExtensionRequest.decided_by_id, isouter=True)
                        .where(ExtensionRequest.status == "approved", ExtensionRequest.task_id.in_(within))
                        .order_by(ExtensionRequest.id)).all()
    found: dict[int, list[str]] = defaultdict(list)
    for request, name in rows:
        decided = say_date(request.decided_at.astimezone(zone).date()) if request.decided_at else ""
        found[request.task_id].append(f"đến {say_date(request.requested_date)} ({name or 'không rõ'} duyệt {decided})")
    return found


def _progress(session: Session, within, zone: ZoneInfo) -> dict[int, str]:
    """task id -> its latest progress report: '02/12/2026 – Hoàng Minh Châu: đã xong dự thảo (1 ảnh)',
    and how many came before it."""
    rows = session.exec(select(ProgressReport, Officer.full_name)
                        .join(Officer, Officer.id == ProgressReport.officer_id)
                        .where(ProgressReport.task_id.in_(within))
                        .order_by(ProgressReport.task_id, ProgressReport.at.desc(), ProgressReport.id.desc())).all()
    by_task: dict[int, list] = defaultdict(list)
    for report, name in rows:
        by_task[report.task_id].append((report, name))
    found = {}
    for task_id, ((report, name), *earlier) in by_task.items():
        what = ": ".join(p for p in ("xong phần phối hợp" if report.part_done else "", report.text) if p)
        found[task_id] = (f"{say_date(report.at.astimezone(zone).date())} – {name}: {what or '(không ghi nội dung)'}"
                          f"{attachments_said(report.attachments)}"
                          + (f" (và {len(earlier)} báo cáo trước đó)" if earlier else ""))
    return found


def report_rows(session: Session, scope: Scope, now: datetime, zone: ZoneInfo) -> list[ReportRow]:
    where = scope.conditions()
    within = select(Task.id).where(*where)
    tasks = session.exec(select(Task).where(*where).order_by(Task.notice_id, Task.id)).all()
    units = {u.id: u.name for u in session.exec(select(Unit))}
    officers = dict(session.exec(select(Officer.id, Officer.full_name)).all())
    labels = {n.id: label_of(n) for n in session.exec(select(Notice).where(Notice.id.in_(select(Task.notice_id)
                                                                                          .where(*where))))}
    people = _names_by_task(session, select(TaskAssignee.task_id, Officer.full_name)
                            .join(Officer, Officer.id == TaskAssignee.officer_id)
                            .where(TaskAssignee.task_id.in_(within)).order_by(TaskAssignee.task_id, Officer.id))
    partners = _names_by_task(session, select(TaskCoordinator.task_id, Unit.name)
                              .join(Unit, Unit.id == TaskCoordinator.unit_id)
                              .where(TaskCoordinator.task_id.in_(within)).order_by(TaskCoordinator.task_id, Unit.id))
    extended = _extensions(session, within, zone)
    handed, progress = delegate_names(session, within), _progress(session, within, zone)
    return [ReportRow(
        number=t.id, notice=labels.get(t.notice_id, ""), ref=t.ref, unit=units.get(t.unit_id, NO_UNIT),
        coordinating=partners[t.id], people=people[t.id], text=t.text, deadline_raw=t.deadline_raw,
        last_day=last_day(t.deadline_kind, t.deadline_date, t.deadline_time),
        status=statuses.LABELS[statuses.status_of(t, now, zone)], days_late=statuses.days_late(t, now, zone),
        extensions=extended[t.id], closed_by=officers.get(t.closed_by_id), closed_at=t.closed_at, note=t.close_note,
        delegated=", ".join(handed[t.id]), progress=progress.get(t.id, ""),
    ) for t in tasks]


def unit_summaries(session: Session, rows: list[ReportRow]) -> tuple[list[UnitSummary], UnitSummary]:
    """Per unit (directory order, those with tasks in the report), and for the whole Sở."""
    by_label = {label: key for key, label in statuses.LABELS.items()}
    found = {name: UnitSummary(name) for name in session.exec(select(Unit.name).order_by(Unit.id))}
    total = UnitSummary("Toàn Sở")
    for row in rows:
        summary = found.setdefault(row.unit, UnitSummary(row.unit))
        for counted in (summary, total):
            counted.counts[by_label[row.status]] += 1
    return [s for s in found.values() if s.total], total
