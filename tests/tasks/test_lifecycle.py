"""A task's life as the office sees it: each change in its history, its reminders planned,
dropped when it is closed, back when it is reopened, moved when it is given more time."""

from __future__ import annotations

from datetime import datetime, time

from sqlmodel import Session, select

from storage.db import session_scope
from storage.models import ExtensionRequest, Reminder, Task, TaskEvent, utcnow
from tasks import lifecycle, queries
from tasks.deadlines import due_moment
from tests.fixtures.db import both_databases
from tests.handlers import factories as f

pytestmark = both_databases

BINH, CHAU, LAM = "Phạm Thị Bình", "Hoàng Minh Châu", "Trần Ngọc Lâm"


def history(session, task_id: int) -> list[tuple[str, int | None, str | None, dict]]:
    """(action, actor id, note, data) of a task's history, oldest first."""
    events = session.exec(select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)).all()
    return [(e.action, e.actor_id, e.note, e.data) for e in events]


def pending(session, task_id: int) -> list[datetime]:
    rows = session.exec(select(Reminder).where(Reminder.task_id == task_id, Reminder.state == "pending"))
    return sorted(r.planned_at for r in rows)


def new_task(session, settings, *, days: int = 12, people: tuple[str, ...] = (CHAU,)) -> Task:
    """A QLCN task due in `days` days, created (not published) as the importer creates one."""
    day = f.days(days)
    task = Task(notice_id=f.notice(session).id, ref="1", unit_id=f.unit(session, "QLCN").id, unit_raw="QLCN",
                text="Hoàn thiện dự thảo đề án", deadline_raw=f"trong ngày {day:%d/%m/%Y}", deadline_kind="on",
                deadline_date=day, due_at=due_moment("on", day, None, settings))
    lifecycle.create(session, task, [f.officer(session, name).id for name in people], [], utcnow())
    return task


def live_task(session, settings, **options) -> Task:
    task = new_task(session, settings, **options)
    assert lifecycle.publish(session, task.id, settings, utcnow())
    return session.get(Task, task.id)


def test_a_created_task_waits_unpublished_with_its_people(runtime, settings, directory):
    with runtime.session() as session:
        task = new_task(session, settings)
        assert [o.full_name for o in queries.assignees(session, task.id)] == [CHAU]
        assert history(session, task.id) == [("created", None, None, {"notice_id": task.notice_id})]
        assert not task.published and pending(session, task.id) == []


def test_publishing_plans_the_reminders_once(runtime, settings, directory):
    with runtime.session() as session:
        task = live_task(session, settings)
        planned = pending(session, task.id)
        assert planned and task.published
        assert not lifecycle.publish(session, task.id, settings, utcnow())  # live already: nothing again
        assert pending(session, task.id) == planned
        assert [row[0] for row in history(session, task.id)] == ["created", "published"]


def test_closing_writes_history_and_drops_the_planned_reminders(runtime, settings, directory):
    with runtime.session() as session:
        task = live_task(session, settings)
        chau = f.officer(session, CHAU)
        assert pending(session, task.id)
        assert lifecycle.close(session, task, chau, "đã gửi Văn phòng", settings, utcnow())
        assert (task.status, task.closed_by_id, task.close_note) == ("done", chau.id, "đã gửi Văn phòng")
        assert history(session, task.id)[-1] == ("closed", chau.id, "đã gửi Văn phòng", {})
        assert pending(session, task.id) == []


def test_reopening_brings_the_reminders_back(runtime, settings, directory):
    with runtime.session() as session:
        task = live_task(session, settings)
        planned = pending(session, task.id)
        binh = f.officer(session, BINH)
        assert not lifecycle.reopen(session, task, binh, None, settings, utcnow())  # it is open
        lifecycle.close(session, task, binh, None, settings, utcnow())
        assert lifecycle.reopen(session, task, binh, "còn thiếu phụ lục", settings, utcnow())
        assert (task.status, task.closed_by_id, task.closed_at) == ("open", None, None)
        assert history(session, task.id)[-1] == ("reopened", binh.id, "còn thiếu phụ lục", {})
        assert pending(session, task.id) == [at for at in planned if at > utcnow()]


def test_of_two_closing_one_wins_and_the_other_learns_who(runtime, settings, engine, directory):
    """Bình read the task while it was open; Châu closed it before Bình's close reached the database."""
    with runtime.session() as session:
        task_id = live_task(session, settings).id
    with Session(engine, expire_on_commit=False) as late:
        seen = late.get(Task, task_id)
        binh = f.officer(late, BINH)
        late.commit()
        with session_scope(engine) as first:
            assert lifecycle.close(first, first.get(Task, task_id), f.officer(first, CHAU), None, settings, utcnow())
        assert seen.status == "open"
        assert not lifecycle.close(late, seen, binh, None, settings, utcnow())
        assert (seen.status, seen.closed_by_id) == ("done", f.officer(late, CHAU).id)
        assert [row[0] for row in history(late, task_id)].count("closed") == 1
        late.commit()


def asking_more_time(session, settings) -> tuple[Task, ExtensionRequest, list[datetime]]:
    """A live task due in 3 days for which Châu asks until 20 days from now; its reminders before."""
    task = live_task(session, settings, days=3)
    before = pending(session, task.id)
    request = lifecycle.ask_extension(session, task, f.officer(session, CHAU), f.days(20), "chờ số liệu", utcnow())
    return task, request, before


def test_an_approved_extension_moves_the_deadline_and_the_reminders(runtime, settings, directory):
    with runtime.session() as session:
        task, request, before = asking_more_time(session, settings)
        asked = {"to": f.days(20).isoformat(), "request_id": request.id}
        chau, lam = f.officer(session, CHAU), f.officer(session, LAM)
        assert history(session, task.id)[-1] == ("extension_requested", chau.id, "chờ số liệu", asked)
        assert task.deadline_date == f.days(3) and pending(session, task.id) == before  # not until approved
        assert lifecycle.extend(session, task, request, lam, "đồng ý", settings, utcnow())
        assert (task.deadline_kind, task.deadline_date, task.deadline_time) == ("on", f.days(20), None)
        assert task.due_at == datetime.combine(f.days(20), time(17, 0), settings.zone)
        assert history(session, task.id)[-1] == ("extension_approved", lam.id, "đồng ý", asked)
        after = pending(session, task.id)
        assert before and after and min(after) > max(before)  # all about the new day now
        # Decided once: refusing it afterwards changes nothing.
        binh = f.officer(session, BINH)
        assert not lifecycle.refuse_extension(session, task, request, binh, None, settings, utcnow())
        assert session.get(ExtensionRequest, request.id, populate_existing=True).status == "approved"


def test_a_refused_extension_keeps_the_deadline(runtime, settings, directory):
    with runtime.session() as session:
        task, request, before = asking_more_time(session, settings)
        lam = f.officer(session, LAM)
        assert lifecycle.refuse_extension(session, task, request, lam, "cần xong sớm", settings, utcnow())
        assert task.deadline_date == f.days(3) and pending(session, task.id) == before
        assert history(session, task.id)[-1][:3] == ("extension_refused", lam.id, "cần xong sớm")
