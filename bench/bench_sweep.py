"""One sweep over 100,000 open tasks on SQLite takes under 500 ms.

The scene is a steady state at its busiest minute: 100,000 open tasks of 50 units and 2,000
officers, deadlines spread over the next 250 working days (400 a day), every reminder before
the instant already handled, this week's summaries already sent. At 08:00 on that Tuesday the
sweep finds the reminders due for the last day, the day before and three days before (800:
tasks given fewer than five working days ahead get no three-days-before reminder) and must
queue them all. Handing them to Zalo is the sender's work, measured by
bench_summary_rate; here the sweep's own work is timed.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import insert

from bench.common import migrated_engine, temp_settings
from bot import make_runtime
from scheduler.sweep import run_due_work
from storage.models import Lease, Notice, Officer, OutboxMessage, Reminder, Task, TaskAssignee, Unit, utcnow
from tasks.calendar import Calendar
from tasks.planner import Policy, TaskFacts, plan
from tasks.summary import week_of

TASKS = 100_000
UNITS = 50
PER_UNIT = 40  # a head and 39 members
DAYS = 250
TARGET_MS = 500


class NoSending:
    """The sweep's delivery step, left to the sender's own benchmark."""

    def deliver_due(self, now=None) -> int:
        return 0


def officer_id(unit: int, k: int) -> int:
    """The id of the k-th officer of a unit (k = 0 is its head)."""
    return unit * PER_UNIT + k + 1


def insert_office(connection, *, units: int, today, now, leaders: int = 0) -> None:
    """Units of PER_UNIT officers (a head, then members), all on Zalo and inside its window,
    optionally a leadership unit of `leaders`, and one published notice (id 1)."""
    connection.execute(insert(Unit), [{"id": u + 1, "code": f"U{u}", "name": f"Phòng {u}", "aliases": [],
                                       "kind": "leadership" if u == units else "department"}
                                      for u in range(units + (1 if leaders else 0))])
    people = [(u, k, "head" if k == 0 else "member") for u in range(units) for k in range(PER_UNIT)]
    people += [(units, k, "leader") for k in range(leaders)]
    connection.execute(insert(Officer), [
        {"id": officer_id(u, k), "full_name": f"Cán bộ {u}-{k}", "title": "", "unit_id": u + 1, "role": role,
         "phone": "", "zalo_user_id": f"z{u}-{k}", "last_interaction_at": now, "active": True}
        for u, k, role in people])
    connection.execute(insert(Notice), [{"id": 1, "content_hash": "bench", "source_name": "bench", "title": "",
                                         "week": 1, "year": today.year, "meeting_on": today, "imported_at": now,
                                         "published_at": now, "warnings": []}])


def build(runtime, at: datetime) -> int:
    """Fill the database through Core bulk inserts; returns how many reminders are due at `at`."""
    settings = runtime.settings
    cal, policy = Calendar.from_settings(settings), Policy.from_settings(settings)
    now, today = utcnow(), at.astimezone(settings.zone).date()
    days = [today]
    while len(days) < DAYS:
        days.append(cal.next_working_day(days[-1]))
    with runtime.engine.begin() as connection:
        insert_office(connection, units=UNITS, today=today, now=now)
        tasks, assignees, reminders = [], [], []
        instants = {}
        for i in range(TASKS):
            unit, day = i % UNITS, days[i % DAYS]
            officer = officer_id(unit, 1 + i % (PER_UNIT - 1))
            tasks.append({"id": i + 1, "notice_id": 1, "ref": str(i), "unit_id": unit + 1, "unit_raw": "",
                          "assignees_raw": [], "coordinating_raw": [], "text": f"Nhiệm vụ số {i} của đơn vị",
                          "deadline_kind": "on", "deadline_date": day, "published": True, "status": "open"})
            assignees.append({"task_id": i + 1, "officer_id": officer})
            if day not in instants:
                facts = TaskFacts(0, "on", day, None, None, None, today, (0,))
                instants[day] = [(p.at, p.kind) for p in plan(facts, cal, policy, at) if p.kind == "before_deadline"]
            reminders += [{"task_id": i + 1, "officer_id": officer, "planned_at": when, "kind": kind,
                           "state": "pending" if when >= at else "queued"} for when, kind in instants[day]]
        connection.execute(insert(Task), tasks)
        connection.execute(insert(TaskAssignee), assignees)
        connection.execute(insert(Reminder), reminders)
        week = week_of(at, settings)
        connection.execute(insert(Lease), [{"name": week.claim, "holder": "bench", "expires_at": at + timedelta(days=7)}])
    return sum(1 for r in reminders if r["planned_at"] == at)


def main() -> bool:
    settings = temp_settings()
    runtime = make_runtime(settings, engine=migrated_engine(settings))
    runtime.sender = NoSending()
    cal = Calendar.from_settings(settings)
    day = cal.working_day_on_or_after(datetime(2025, 3, 4).date())  # a Tuesday
    at = cal.at(day, settings.reminder_time)
    started = time.perf_counter()
    due = build(runtime, at)
    print(f"scene: {TASKS:,} open tasks, {due:,} reminders due at {at:%a %d/%m %H:%M} "
          f"(built in {time.perf_counter() - started:.1f} s)")
    quiet = at - timedelta(minutes=1)
    timings = {}
    for label, instant in (("a quiet minute (07:59)", quiet), ("the busiest minute (08:00)", at)):
        started = time.perf_counter()
        result = run_due_work(runtime, instant)
        timings[label] = (time.perf_counter() - started) * 1000
        print(f"sweep at {label}: {timings[label]:.0f} ms; {result}")
    with runtime.session(read_only=True) as session:
        queued = session.query(OutboxMessage).count()
    met = queued == due and max(timings.values()) < TARGET_MS
    print(f"target: every sweep < {TARGET_MS} ms with all {due:,} reminders queued: {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    main()
