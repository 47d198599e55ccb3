"""One sweep over 100,000 and over 1,000,000 open tasks takes under 500 ms (SQLite; PostgreSQL too
when it is on 127.0.0.1:5432). The 1,000,000 scene is built in chunks of CHUNK tasks.

The scene is a steady state at its busiest minute: 100,000 open tasks of 50 units and 2,000
officers, deadlines spread over the next 250 working days (400 a day), every reminder before
the instant already handled, this week's summaries already sent. At 08:00 on that Tuesday the
sweep finds the reminders due for the last day, the day before and three days before (800:
tasks given fewer than five working days ahead get no three-days-before reminder) and must
queue them all. Handing them to Zalo is the sender's work, measured by
bench_summary_rate; here the sweep's own work is timed.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

from sqlalchemy import insert

from bench.common import migrated_engine, postgres_database, temp_settings, write_section
from bot import make_runtime
from scheduler.sweep import run_due_work
from storage.db import analyze
from storage.models import Lease, Notice, Officer, OutboxMessage, Reminder, Task, TaskAssignee, Unit, utcnow
from tasks.calendar import Calendar
from tasks.planner import Policy, TaskFacts, plan
from tasks.summary import week_of

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SWEEP_SIZES", "100000,1000000").split(","))
CHUNK = 50_000
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


def build(runtime, at: datetime, tasks_count: int) -> int:
    """Fill the database through Core bulk inserts, CHUNK tasks per transaction; returns how many
    reminders are due at `at`."""
    settings = runtime.settings
    cal, policy = Calendar.from_settings(settings), Policy.from_settings(settings)
    now, today = utcnow(), at.astimezone(settings.zone).date()
    days = [today]
    while len(days) < DAYS:
        days.append(cal.next_working_day(days[-1]))
    instants = {}
    for day in days:
        facts = TaskFacts(0, "on", day, None, None, None, today, (0,))
        instants[day] = [(p.at, p.kind) for p in plan(facts, cal, policy, at) if p.kind == "before_deadline"]
    with runtime.engine.begin() as connection:
        insert_office(connection, units=UNITS, today=today, now=now)
        week = week_of(at, settings)
        connection.execute(insert(Lease), [{"name": week.claim, "holder": "bench", "expires_at": at + timedelta(days=7)}])
    due = 0
    for start in range(0, tasks_count, CHUNK):
        tasks, assignees, reminders = [], [], []
        for i in range(start, min(start + CHUNK, tasks_count)):
            unit, day = i % UNITS, days[i % DAYS]
            officer = officer_id(unit, 1 + i % (PER_UNIT - 1))
            tasks.append({"id": i + 1, "notice_id": 1, "ref": str(i), "unit_id": unit + 1, "unit_raw": "",
                          "assignees_raw": [], "coordinating_raw": [], "text": f"Nhiệm vụ số {i} của đơn vị",
                          "deadline_kind": "on", "deadline_date": day, "published": True, "status": "open"})
            assignees.append({"task_id": i + 1, "officer_id": officer})
            reminders += [{"task_id": i + 1, "officer_id": officer, "planned_at": when, "kind": kind,
                           "state": "pending" if when >= at else "queued"} for when, kind in instants[day]]
        due += sum(1 for r in reminders if r["planned_at"] == at)
        with runtime.engine.begin() as connection:
            connection.execute(insert(Task), tasks)
            connection.execute(insert(TaskAssignee), assignees)
            connection.execute(insert(Reminder), reminders)
    analyze(runtime.engine)  # as `nhacviec init-db` does
    return due


def sweep_at(label: str, settings, tasks_count: int) -> tuple[bool, str]:
    """Build the scene in a fresh database of `settings`, time a quiet and the busiest minute."""
    runtime = make_runtime(settings, engine=migrated_engine(settings))
    runtime.sender = NoSending()
    cal = Calendar.from_settings(settings)
    day = cal.working_day_on_or_after(datetime(2025, 3, 4).date())  # a Tuesday
    at = cal.at(day, settings.reminder_time)
    started = time.perf_counter()
    due = build(runtime, at, tasks_count)
    print(f"{label}: {tasks_count:,} open tasks, {due:,} reminders due at {at:%a %d/%m %H:%M} "
          f"(built in {time.perf_counter() - started:.1f} s)", flush=True)
    timings = {}
    for moment, instant in (("a quiet minute (07:59)", at - timedelta(minutes=1)), ("the busiest minute (08:00)", at)):
        started = time.perf_counter()
        result = run_due_work(runtime, instant)
        timings[moment] = (time.perf_counter() - started) * 1000
        print(f"  sweep at {moment}: {timings[moment]:.0f} ms; {result}", flush=True)
    with runtime.session(read_only=True) as session:
        queued = session.query(OutboxMessage).count()
    runtime.engine.dispose()
    met = queued == due and max(timings.values()) < TARGET_MS
    line = (f"| {label} | {tasks_count:,} | {due:,} | {timings['a quiet minute (07:59)']:.0f} ms "
            f"| {timings['the busiest minute (08:00)']:.0f} ms | {'met' if met else 'NOT met'} |")
    return met, line


def main() -> bool:
    lines = ["| database | open tasks | due at 08:00 | sweep 07:59 | sweep 08:00 | < 500 ms |", "|---|---|---|---|---|---|"]
    met = True
    for size in SIZES:
        ok, line = sweep_at("SQLite", temp_settings(), size)
        met, lines = met and ok, lines + [line]
        url = postgres_database(f"sweep{size}")
        if url:
            ok, line = sweep_at("PostgreSQL", temp_settings(database_url=url), size)
            met, lines = met and ok, lines + [line]
    print(f"target: every sweep < {TARGET_MS} ms with all due reminders queued: {'met' if met else 'NOT met'}")
    write_section("sweep", "The sweep", lines)
    return met


if __name__ == "__main__":
    main()
