"""Correcting a draft before it is published: edit, split, merge, add or delete a row; delete
the draft. Only drafts: a published notice changes through a corrected file
(`notices.corrections`) or task by task (`tasks.lifecycle`).

Every change goes through `tasks.lifecycle` (`amend`, `create`, `cancel`), so the task's history
says what changed and who changed it; nothing is deleted: a deleted row or draft is cancelled
(kept, never shown to officers).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from notices.importer import free_ref, record
from storage.models import TASK_OPEN, Notice, Officer, Task, TaskAssignee, TaskCoordinator, Unit
from tasks import lifecycle
from tasks.deadlines import due_moment

DEADLINE_KINDS = ("on", "before", "meeting", "period", "recurring")


class DraftRefused(ValueError):
    """A change a draft cannot take; the message is for the office. Nothing was changed."""


@dataclass(frozen=True)
class DeadlineInput:
    """A deadline as the office understands it; the notice's own words (`deadline_raw`) stay."""

    kind: str | None
    day: date | None = None
    time: str | None = None
    start: date | None = None

    def checked(self) -> DeadlineInput:
        if self.kind is None:
            return DeadlineInput(None)
        if self.kind not in DEADLINE_KINDS:
            raise DraftRefused("Loại thời hạn không hợp lệ.")
        if self.kind != "recurring" and self.day is None:
            raise DraftRefused("Anh/chị chọn ngày của thời hạn.")
        if self.kind == "period" and (self.start is None or self.start > self.day):
            raise DraftRefused("Khoảng thời gian cần ngày bắt đầu, không sau ngày kết thúc.")
        if self.time and not _clock(self.time):
            raise DraftRefused("Giờ viết dạng HH:MM, ví dụ 16:00.")
        return self

    def columns(self) -> dict:
        return {"deadline_kind": self.kind, "deadline_date": self.day, "deadline_time": self.time or None,
                "deadline_start": self.start if self.kind == "period" else None}


def _clock(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60 and len(minutes) == 2


@dataclass(frozen=True)
class RowInput:
    """One row as the office writes it in the draft's form."""

    text: str
    unit_id: int | None
    assignee_ids: tuple[int, ...] = ()
    coordinator_ids: tuple[int, ...] = ()
    deadline: DeadlineInput | None = None  # None: leave the deadline as it is


def draft(session: Session, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    if notice is None or notice.discarded_at is not None:
        raise DraftRefused("Không có bản nháp này (có thể đã bị xóa).")
    if notice.published_at is not None:
        raise DraftRefused("Thông báo đã công bố: không sửa như bản nháp được. Anh/chị sửa từng việc ở trang của việc, "
                           "hoặc nhập bản sửa của thông báo.")
    return notice


def _row(session: Session, notice_id: int, task_id: int) -> Task:
    draft(session, notice_id)
    task = session.get(Task, task_id)
    if task is None or task.notice_id != notice_id or task.status != TASK_OPEN:
        raise DraftRefused("Không có dòng này trong bản nháp (có thể đã bị xóa).")
    return task


def _checked_row(session: Session, row: RowInput) -> RowInput:
    text = " ".join(row.text.split())
    if not text:
        raise DraftRefused("Nội dung việc không được để trống.")
    if row.unit_id is not None and session.get(Unit, row.unit_id) is None:
        raise DraftRefused("Đơn vị đã chọn không có trong danh bạ.")
    people = set(session.exec(select(Officer.id).where(Officer.id.in_(row.assignee_ids), Officer.active == True)))  # noqa: E712
    if people != set(row.assignee_ids):
        raise DraftRefused("Có người được giao không có trong danh bạ (hoặc đã nghỉ).")
    units = set(session.exec(select(Unit.id).where(Unit.id.in_(row.coordinator_ids))))
    if units != set(row.coordinator_ids):
        raise DraftRefused("Có đơn vị phối hợp không có trong danh bạ.")
    deadline = row.deadline.checked() if row.deadline is not None else None
    return RowInput(text, row.unit_id, tuple(row.assignee_ids), tuple(u for u in row.coordinator_ids if u != row.unit_id),
                    deadline)


def _changes(row: RowInput) -> dict:
    changes = {"text": row.text, "unit_id": row.unit_id, "assignee_ids": list(row.assignee_ids),
               "coordinator_ids": list(row.coordinator_ids)}
    if row.deadline is not None:
        changes.update(row.deadline.columns())
    return changes


def edit_row(session: Session, notice_id: int, task_id: int, row: RowInput, actor: Officer | None, via: dict,
             settings, now: datetime) -> dict:
    """Change one row; returns what changed ({} when nothing did)."""
    task = _row(session, notice_id, task_id)
    return lifecycle.amend(session, task, _changes(_checked_row(session, row)), actor, None, settings, now, via=via)


def _new_row(session: Session, notice_id: int, ref: str, row: RowInput, settings, now: datetime, **written) -> Task:
    """A row stored as a task; `written`: what the notice said (unit_raw, deadline_raw, …)."""
    deadline = (row.deadline or DeadlineInput(None)).columns()
    task = Task(notice_id=notice_id, ref=ref[:16], unit_id=row.unit_id, text=row.text, **written, **deadline,
                due_at=due_moment(deadline["deadline_kind"], deadline["deadline_date"], deadline["deadline_time"],
                                  settings))
    lifecycle.create(session, task, list(row.assignee_ids), list(row.coordinator_ids), now)
    return task


def split_row(session: Session, notice_id: int, task_id: int, first: str, second: str, actor: Officer | None,
              via: dict, settings, now: datetime) -> int:
    """One row becomes two (same unit, people, deadline): the second text is a new row; its id."""
    task = _row(session, notice_id, task_id)
    if not " ".join(first.split()) or not " ".join(second.split()):
        raise DraftRefused("Sau khi tách, mỗi phần cần có nội dung.")
    people = list(session.exec(select(TaskAssignee.officer_id).where(TaskAssignee.task_id == task.id)))
    partners = list(session.exec(select(TaskCoordinator.unit_id).where(TaskCoordinator.task_id == task.id)))
    lifecycle.amend(session, task, {"text": " ".join(first.split())}, actor, "Tách thành hai việc", settings, now,
                    via=via)
    same_deadline = DeadlineInput(task.deadline_kind, task.deadline_date, task.deadline_time, task.deadline_start)
    row = RowInput(" ".join(second.split()), task.unit_id, tuple(people), tuple(partners), same_deadline)
    new = _new_row(session, notice_id, free_ref(session, notice_id, task.ref + "b", task.unit_id), row, settings, now,
                   unit_raw=task.unit_raw, deadline_raw=task.deadline_raw, assignees_raw=list(task.assignees_raw),
                   coordinating_raw=list(task.coordinating_raw), unread_deadlines=list(task.unread_deadlines))
    lifecycle.add_note(session, new, actor, f"Tách từ việc #{task.id}", now, via=via)
    return new.id


def merge_rows(session: Session, notice_id: int, task_ids: list[int], actor: Officer | None, via: dict,
               settings, now: datetime) -> int:
    """Several rows become the first of them: texts joined, people and partners together; the
    others are cancelled with a note. Returns the id kept."""
    if len(set(task_ids)) < 2:
        raise DraftRefused("Anh/chị chọn ít nhất hai dòng để gộp.")
    rows = [_row(session, notice_id, task_id) for task_id in dict.fromkeys(task_ids)]
    kept, others = rows[0], rows[1:]
    people = list(session.exec(select(TaskAssignee.officer_id).where(TaskAssignee.task_id.in_([r.id for r in rows]))))
    partners = list(session.exec(select(TaskCoordinator.unit_id).where(TaskCoordinator.task_id.in_([r.id for r in rows]))))
    unread = list(dict.fromkeys(s for r in rows for s in r.unread_deadlines))
    lifecycle.amend(session, kept, {"text": " ".join(r.text for r in rows), "assignee_ids": people,
                                    "coordinator_ids": [u for u in partners if u != kept.unit_id],
                                    "unread_deadlines": unread},
                    actor, f"Gộp với {', '.join(f'#{r.id}' for r in others)}", settings, now, via=via)
    for other in others:
        lifecycle.cancel(session, other, actor, f"Gộp vào việc #{kept.id}", settings, now, via=via)
    return kept.id


def add_row(session: Session, notice_id: int, ref: str, row: RowInput, actor: Officer | None, via: dict, settings,
            now: datetime) -> int:
    """A row the reader missed, written by the office."""
    draft(session, notice_id)
    row = _checked_row(session, row)
    ref = " ".join(ref.split())[:16]
    if not ref:
        raise DraftRefused("Anh/chị ghi mục của việc (ví dụ 2.4).")
    unit = session.get(Unit, row.unit_id) if row.unit_id else None
    if session.exec(select(Task.id).where(Task.notice_id == notice_id, Task.ref == ref,
                                          Task.unit_id == row.unit_id)).first() is not None:
        raise DraftRefused(f"Mục {ref} của đơn vị này đã có trong bản nháp.")
    task = _new_row(session, notice_id, ref, row, settings, now, unit_raw=unit.name if unit else "")
    lifecycle.add_note(session, task, actor, "Văn phòng thêm dòng này vào bản nháp", now, via=via)
    return task.id


def delete_row(session: Session, notice_id: int, task_id: int, actor: Officer | None, via: dict, settings,
               now: datetime) -> None:
    lifecycle.cancel(session, _row(session, notice_id, task_id), actor, "Xóa khỏi bản nháp", settings, now, via=via)


def discard(session: Session, notice_id: int, actor: Officer | None, via: dict, settings, now: datetime) -> None:
    """Delete a draft: kept with its tasks (cancelled), no longer listed. Its file may be imported
    again (the notice gives up its fingerprint; the history keeps it)."""
    notice = draft(session, notice_id)
    for task in session.exec(select(Task).where(Task.notice_id == notice_id, Task.status == TASK_OPEN)).all():
        lifecycle.cancel(session, task, actor, "Xóa bản nháp", settings, now, via=via)
    record(session, notice, "discarded", now, actor.id if actor else None,
           {"content_hash": notice.content_hash, **via})
    notice.content_hash = hashlib.sha256(f"discarded:{notice.id}:{notice.content_hash}".encode()).hexdigest()
    notice.discarded_at = now
    session.add(notice)
    session.flush()
