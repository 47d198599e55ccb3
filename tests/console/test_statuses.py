"""The five statuses and the days late: the Python rule and its SQL twin give the same answers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlmodel import select

from console import statuses
from storage.models import Notice, Task, utcnow
from tasks import lists
from tests.fixtures.db import both_databases

NOW = datetime(2025, 2, 19, 3, 30, tzinfo=timezone.utc)  # 10:30 on Wednesday 19/02 in Hà Nội

task_specs = st.lists(st.tuples(
    st.sampled_from([None, "on", "before", "meeting", "period", "recurring"]),
    st.integers(-6, 6),  # the deadline's day, from today
    st.sampled_from([None, "", "08:00", "16:30"]),
    st.sampled_from(["open", "done", "cancelled"]),
    st.integers(-6, 2),  # the day it was closed, from today
    st.sampled_from([0, 1, 16, 17, 23]),  # the hour (UTC) it was closed: around local midnight too
), min_size=1, max_size=40)


@both_databases
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=task_specs)
def test_the_rule_is_the_same_in_python_and_in_sql(runtime, specs):
    zone = runtime.settings.zone
    today = NOW.astimezone(zone).date()
    with runtime.session() as session:
        session.execute(delete(Task))
        notice = session.exec(select(Notice)).first() or Notice(content_hash="statuses", imported_at=utcnow())
        session.add(notice)
        session.flush()
        for n, (kind, offset, clock, status, closed_offset, hour) in enumerate(specs):
            day = today + timedelta(days=offset)
            closed = datetime.combine(today + timedelta(days=closed_offset), time(hour), timezone.utc)
            session.add(Task(notice_id=notice.id, ref=str(n), text="việc", deadline_kind=kind,
                             deadline_date=day if kind else None, deadline_time=clock, status=status,
                             closed_at=closed if status == "done" else None, published=True))
    with runtime.session(read_only=True) as session:
        tasks = session.exec(select(Task)).all()
        expected = {t.id: statuses.status_of(t, NOW, zone) for t in tasks}
        for status in statuses.ALL_LABELS:
            found = set(session.exec(select(Task.id).where(statuses.status_filter(status, today, zone))))
            assert found == {i for i, s in expected.items() if s == status}, status
        case = statuses.status_case(today, zone)
        assert dict(session.exec(select(Task.id, case)).all()) == expected
        # "tuần này": the console's SQL and the chat's rule (tasks.lists) hold the same tasks.
        this_week = set(session.exec(select(Task.id).where(statuses.due_in_week(today))))
        assert this_week == {t.id for t in tasks if t.status == "open" and lists.due_this_week(t, today)}


def test_days_late_for_open_and_closed_tasks():
    zone = statuses.ZoneInfo("Asia/Ho_Chi_Minh")
    before = Task(notice_id=1, ref="1", text="x", deadline_kind="before", deadline_date=date(2025, 2, 21))
    last_evening = datetime(2025, 2, 20, 16, 0, tzinfo=timezone.utc)  # 23:00 on 20/02, its last day
    assert statuses.status_of(before, last_evening, zone) == statuses.ON_TIME
    after_midnight = datetime(2025, 2, 20, 17, 30, tzinfo=timezone.utc)  # 00:30 on 21/02
    assert (statuses.status_of(before, after_midnight, zone), statuses.days_late(before, after_midnight, zone)) == (
        statuses.LATE, 1)
    before.status, before.closed_at = "done", datetime(2025, 2, 19, 10, 0, tzinfo=timezone.utc)
    assert statuses.status_of(before, NOW, zone) == statuses.DONE_ON_TIME
    before.closed_at = datetime(2025, 2, 23, 1, 0, tzinfo=timezone.utc)
    assert (statuses.status_of(before, NOW, zone), statuses.days_late(before, NOW, zone)) == (statuses.DONE_LATE, 3)
    never = Task(notice_id=1, ref="2", text="x")
    assert statuses.status_of(never, NOW, zone) == statuses.DOING
