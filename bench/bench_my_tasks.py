"""Answering "việc của tôi" among 2,000 officers and 50,000 tasks, and among 20,000 officers and
500,000 tasks, takes under 20 ms at p95, through the real worker path.

The scene is a Sở after some years of use, on SQLite: 50 units of 40 officers (a head and 39
members) and 3 leaders directing them, 50,000 published tasks of which one in twenty is still
open (50 per unit, most given to one member, some coordinated by another unit). Heads hand
work to their members: a third of the tasks were handed to one or two officers (one hand-over
in ten taken back since), and one open task in five has progress reports. Each answer
is timed through the real worker path: the event recorded as the webhook records it, then
`EventWorker.process_pending` claims it, finds the officer by Zalo id, runs the handlers, queues
the reply in the outbox and commits. The larger office is built in chunks of CHUNK tasks.
Members, heads and leaders are timed separately; each group must meet the target.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import select

from bench.common import migrated_engine, percentile, postgres_database, report, temp_settings, write_section
from bot import make_runtime
from storage.db import analyze, insert_ignoring_duplicate, session_scope
from storage.models import (
    InboundEvent,
    Notice,
    Officer,
    ProgressReport,
    Task,
    TaskAssignee,
    TaskCoordinator,
    TaskDelegate,
    Unit,
    utcnow,
)

SIZES = tuple(tuple(int(n) for n in size.split("/"))
              for size in os.environ.get("BENCH_OFFICES", "2000/50000,20000/500000").split(","))
CHUNK = 50_000
UNITS = 50
PER_UNIT = 40
LEADERS = 3
OPEN_EVERY = 20
HANDED = 1 / 3  # tasks handed to officers by their head
REPORTED = 1 / 5  # open tasks with progress reports
TARGET_MS = 20
ROUNDS = {"member": 300, "head": 150, "leader": 60}


def build(engine, zone, officer_count: int, task_count: int) -> None:
    """Fill the database with Core bulk inserts (the shape, not the speed, of real imports)."""
    rng = random.Random(7)
    now = utcnow()
    officers_per_unit = (officer_count - LEADERS) // UNITS + 1
    with engine.begin() as connection:
        connection.execute(insert(Unit), [{"id": 1, "code": "BGD", "name": "Ban Giám đốc", "aliases": [],
                                           "kind": "leadership"}] + [
            {"id": u + 2, "code": f"U{u}", "name": f"Phòng {u}", "aliases": [], "kind": "department"}
            for u in range(UNITS)])
        officers = [{"id": k + 1, "full_name": f"Lãnh đạo {k}", "title": "", "unit_id": 1, "role": "leader",
                     "phone": "", "zalo_user_id": f"leader-{k}", "active": True} for k in range(LEADERS)]
        for u in range(UNITS):
            for k in range(min(officers_per_unit, officer_count - len(officers))):
                officers.append({"id": len(officers) + 1, "full_name": f"Cán bộ {u}-{k}", "title": "",
                                 "unit_id": u + 2, "role": "head" if k == 0 else "member", "phone": "",
                                 "zalo_user_id": f"z{u}-{k}", "active": True})
        connection.execute(insert(Officer), officers)
        members = {}
        for o in officers:
            if o["role"] == "member":
                members.setdefault(o["unit_id"], []).append(o["id"])
        connection.execute(insert(Notice), [{"id": n + 1, "content_hash": f"bench-{n}", "source_name": "bench",
                                             "title": "", "week": n % 52 + 1, "year": 2024 + n // 52,
                                             "imported_at": now, "published_at": now, "warnings": []}
                                            for n in range(task_count // 50)])
    heads = {o["unit_id"]: o["id"] for o in officers if o["role"] == "head"}
    for start in range(0, task_count, CHUNK):
        with engine.begin() as connection:
            insert_tasks(connection, rng, range(start, min(start + CHUNK, task_count)), members, heads, now, zone)


def insert_tasks(connection, rng, numbers, members, heads, now, zone) -> None:
    tasks, assignees, coordinators = [], [], []
    for t in numbers:
        unit_id = t % UNITS + 2
        due = now + timedelta(days=rng.randint(-60, 60), hours=rng.randint(0, 8))
        is_open = (t // UNITS) % OPEN_EVERY == 0  # every unit keeps one in twenty open
        tasks.append({
            "id": t + 1, "notice_id": t // 50 + 1, "ref": f"{t % 50 + 1}", "unit_id": unit_id, "unit_raw": "",
            "assignees_raw": [], "coordinating_raw": [],
            "text": f"Nhiệm vụ {t + 1}: rà soát, tổng hợp và báo cáo kết quả triển khai kế hoạch khoa học",
            "deadline_raw": f"trong ngày {due.astimezone(zone):%d/%m/%Y}", "deadline_kind": "on",
            "deadline_date": due.astimezone(zone).date(), "deadline_time": None, "deadline_start": None,
            "due_at": due, "published": True, "status": "open" if is_open else "done",
            "closed_at": None if is_open else due,
        })
        if rng.random() < 0.7:
            assignees.append({"task_id": t + 1, "officer_id": rng.choice(members[unit_id])})
        if rng.random() < 0.2:
            coordinators.append({"task_id": t + 1, "unit_id": (unit_id - 2 + 1) % UNITS + 2})
    connection.execute(insert(Task), tasks)
    connection.execute(insert(TaskAssignee), assignees)
    if coordinators:
        connection.execute(insert(TaskCoordinator), coordinators)
    handed, reports = hand_over(rng, tasks, members, heads, now)
    connection.execute(insert(TaskDelegate), handed)
    if reports:
        connection.execute(insert(ProgressReport), reports)


def hand_over(rng, tasks: list[dict], members: dict[int, list[int]], heads: dict[int, int], now):
    """Tasks handed by the head to one or two members (some taken back), and progress reports."""
    handed, reports = [], []
    for task in tasks:
        unit_id = task["unit_id"]
        if rng.random() < HANDED:
            for officer_id in rng.sample(members[unit_id], rng.choice((1, 1, 2))):
                handed.append({"task_id": task["id"], "officer_id": officer_id, "unit_id": unit_id,
                               "delegated_by_id": heads[unit_id], "delegated_at": now - timedelta(days=30),
                               "revoked_at": now - timedelta(days=3) if rng.random() < 0.1 else None})
        if task["status"] == "open" and rng.random() < REPORTED:
            reports += [{"task_id": task["id"], "officer_id": rng.choice(members[unit_id]), "unit_id": unit_id,
                         "at": now - timedelta(days=d), "text": "đã hoàn thành dự thảo", "part_done": False,
                         "attachments": []} for d in (9, 2)]
    return handed, reports


def answer(runtime, zalo_user_id: str, index: int) -> float:
    """One "việc của tôi" recorded as the webhook does, then handled by the worker; milliseconds."""
    event = {"app_id": "bench", "event_name": "user_send_text", "timestamp": "0", "sender": {"id": zalo_user_id},
             "message": {"msg_id": f"bench-{index}", "text": "việc của tôi"}}
    insert_ignoring_duplicate(runtime.engine, InboundEvent.__table__,
                              dict(event_key=f"bench-{index}-{time.time_ns()}", event_name="user_send_text",
                                   zalo_user_id=zalo_user_id, payload=event, received_at=utcnow(), status="pending",
                                   handled_at=None, error=None), "event_key")
    started = time.perf_counter()
    assert runtime.worker.process_pending() == 1
    return (time.perf_counter() - started) * 1000


def office(officer_count: int, task_count: int, url: str | None, label: str) -> tuple[bool, list[str]]:
    settings = temp_settings(**({"database_url": url} if url else {}))
    engine = migrated_engine(settings)
    runtime = make_runtime(settings, engine=engine, zalo=object())
    built = time.perf_counter()
    build(engine, settings.zone, officer_count, task_count)
    analyze(engine)
    seconds = time.perf_counter() - built
    print(f"{label}: built {officer_count:,} officers, {task_count:,} tasks ({task_count // OPEN_EVERY:,} open) "
          f"in {seconds:.1f} s", flush=True)
    with session_scope(engine) as session:
        people = {role: list(session.exec(select(Officer.zalo_user_id).where(Officer.role == role)))
                  for role in ROUNDS}
    rng = random.Random(11)
    for n in range(20):  # warm the caches, as a running server has them
        answer(runtime, rng.choice(people["member"]), -1 - n)
    met, lines, index = True, [], 0
    for role, rounds in ROUNDS.items():
        samples = []
        for _ in range(rounds):
            index += 1
            samples.append(answer(runtime, rng.choice(people[role]), index))
        ok = report(f"  việc của tôi ({role})", samples, TARGET_MS, 95)
        met = met and ok
        lines.append(f"| {label} | {officer_count:,} / {task_count:,} | {role} | {statistics.median(samples):.1f} ms "
                     f"| {percentile(samples, 95):.1f} ms | {max(samples):.1f} ms | {'met' if ok else 'NOT met'} |")
    engine.dispose()
    return met, lines


def main() -> bool:
    lines = ["| database | officers / tasks | who asks | median | p95 | max | p95 < 20 ms |", "|---|---|---|---|---|---|---|"]
    met = True
    for officers, tasks in SIZES:
        ok, rows = office(officers, tasks, None, "SQLite")
        met, lines = met and ok, lines + rows
        url = postgres_database(f"my_tasks_{officers}")
        if url:
            ok, rows = office(officers, tasks, url, "PostgreSQL")
            met, lines = met and ok, lines + rows
        write_section("my_tasks", "«việc của tôi» through the worker (bench_my_tasks)", lines)
    write_section("my_tasks", "«việc của tôi» through the worker (bench_my_tasks)", lines)
    return met


if __name__ == "__main__":
    main()
