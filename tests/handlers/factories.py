"""Notices and tasks made directly through the models, for the conversation's tests."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from storage.models import Notice, Officer, Task, TaskAssignee, TaskCoordinator, TaskEvent, Unit, utcnow
from tasks.deadlines import due_at

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    return utcnow().astimezone(ZONE).date()


def days(n: int) -> date:
    """The wall-clock date `n` days from today."""
    return today() + timedelta(days=n)


def officer(session: Session, full_name: str) -> Officer:
    return session.exec(select(Officer).where(Officer.full_name == full_name)).one()


def on_zalo(session: Session, *names: str, zalo_user_id: str | None = None) -> Officer:
    """These officers wrote to the OA just now (inside Zalo's 7-day window: what the bot sends them
    on its own reaches them); with `zalo_user_id`, the one named links that account first."""
    for name in names:
        found = officer(session, name)
        found.zalo_user_id = zalo_user_id or found.zalo_user_id
        found.last_interaction_at = utcnow()
        session.add(found)
    return found


def unit(session: Session, code: str) -> Unit:
    return session.exec(select(Unit).where(Unit.code == code)).one()


def notice(session: Session, **fields) -> Notice:
    values = dict(content_hash=f"test-{utcnow().timestamp()}-{id(fields)}", symbol="TB-SKHCN", number="12",
                  week=7, year=2025, meeting_on=date(2025, 2, 17), issued_on=date(2025, 2, 18),
                  title="Kết luận giao ban tuần 7", imported_at=utcnow(), published_at=utcnow())
    row = Notice(**{**values, **fields})
    session.add(row)
    session.flush()
    return row


def task(
    session: Session,
    unit_code: str,
    text: str,
    *,
    deadline: date | None = None,
    kind: str = "on",
    at: str | None = None,
    assignees: tuple[str, ...] = (),
    coordinators: tuple[str, ...] = (),
    published: bool = True,
    of_notice: Notice | None = None,
    raw: str | None = None,
) -> Task:
    """A task of `unit_code`, due on `deadline` (wall clock) as the importer would store it."""
    of_notice = of_notice or notice(session)
    row = Task(
        notice_id=of_notice.id,
        ref=f"{len(session.exec(select(Task.id)).all()) + 1}",
        unit_id=unit(session, unit_code).id,
        unit_raw=unit_code,
        assignees_raw=list(assignees),
        text=text,
        deadline_raw=raw or (f"trong ngày {deadline:%d/%m/%Y}" if deadline else None),
        deadline_kind=kind if deadline else None,
        deadline_date=deadline,
        deadline_time=at,
        due_at=due_at(kind, deadline, at, ZONE, end_of_day=time(17, 0)) if deadline else None,
        published=published,
    )
    session.add(row)
    session.flush()
    session.add_all(TaskAssignee(task_id=row.id, officer_id=officer(session, name).id) for name in assignees)
    session.add_all(TaskCoordinator(task_id=row.id, unit_id=unit(session, code).id) for code in coordinators)
    session.add(TaskEvent(task_id=row.id, at=utcnow() - timedelta(days=1), action="published"))
    session.flush()
    return row


def office_week(session: Session) -> dict[str, int]:
    """A small week of work; returns task numbers by name.

    QLCN (head Phạm Thị Bình): `late` 3 days overdue, `meeting` in 2 days at 13h30, `someday`
    without a deadline. VP (head Trần Thị Nhung): `report` for Lê Hùng in 5 days, coordinated by
    QLCN; `rooms` for the unit in 4 days; `draft` not published. QLKH: `survey` in 10 days.
    """
    rows = {
        "late": task(session, "QLCN", "Hoàn thiện dự thảo Chính sách đột phá phát triển khoa học, công nghệ, "
                     "đổi mới sáng tạo và chuyển đổi số của tỉnh", deadline=days(-3)),
        "meeting": task(session, "QLCN", "Xây dựng dự thảo đề cương kịch bản hội nghị", deadline=days(2),
                        kind="meeting", at="13:30"),
        "someday": task(session, "QLCN", "Theo dõi tiến độ các nhiệm vụ chuyển giao công nghệ"),
        "report": task(session, "VP", "Tổng hợp báo cáo kết quả thực hiện nhiệm vụ tháng", deadline=days(5),
                       assignees=("Lê Hùng",), coordinators=("QLCN",)),
        "rooms": task(session, "VP", "Sắp xếp, bố trí phòng làm việc cho các đơn vị", deadline=days(4)),
        "draft": task(session, "VP", "Việc chưa công bố", deadline=days(1), published=False),
        "survey": task(session, "QLKH", "Khảo sát nhu cầu đặt hàng nhiệm vụ khoa học", deadline=days(10)),
    }
    return {name: row.id for name, row in rows.items()}


def listed(texts: list[str]) -> list[int]:
    """The task numbers listed in these messages, in order (every task line begins with #N)."""
    return [int(m[1]) for text in texts for m in re.finditer(r"^#(\d+)", text, re.MULTILINE)]


def task_status(session: Session, task_id: int) -> str:
    return session.get(Task, task_id, populate_existing=True).status
