"""The sweep's promises: closed tasks are not reminded, held messages arrive when the officer
writes again, two schedulers send once, late work is caught up for 12 hours and no longer,
nothing goes out outside office hours, a deadline change replans."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import select

from bot import make_runtime
from scheduler.sweep import run_due_work
from storage.db import make_engine
from storage.models import Officer, OutboxMessage, Reminder, Task, utcnow
from tasks.schedule import plan_task
from tests.fixtures.db import both_databases
from tests.fixtures.scheduler import SEED_NOTICE, ZONE, deliveries, local, publish_seed, task_id, tick

BINH = "Phạm Thị Bình"


def sent_to(runtime, fake_zalo, name: str) -> list[tuple[str, str, str]]:
    return [d for d in deliveries(runtime, fake_zalo.sent) if d[0] == name]


def reminders_sent(runtime, fake_zalo) -> list[tuple[str, str, str]]:
    """Deliveries that are reminders (this week's first tick also sends its summaries)."""
    return [d for d in deliveries(runtime, fake_zalo.sent) if d[2] not in ("summary", "image", "reply")]


def test_closing_a_task_stops_its_reminders(office, fake_zalo, chat):
    publish_seed(office)
    tick(office, local("02-17 15:00"))
    meeting = task_id(office, "2.1")
    assert (BINH, "2.1", "meeting") in sent_to(office, fake_zalo, BINH)
    chat.say(BINH, f"xong {meeting}")
    for when in ("02-17 16:30", "02-18 11:00", "02-18 15:00", "02-19 08:00", "02-19 11:00", "02-20 08:00", "02-24 08:00"):
        tick(office, local(when))
    refs = [ref for _, ref, kind in sent_to(office, fake_zalo, BINH) if kind in ("meeting", "overdue")]
    assert refs.count("2.1") == 1  # only the one before it was closed
    assert refs.count("2.3") == 4 and refs.count("2.2") == 4  # the others go on
    with office.session(read_only=True) as session:
        left = session.exec(select(Reminder.state).where(Reminder.task_id == meeting)).all()
    assert set(left) <= {"queued", "skipped"}


def test_a_closed_task_is_skipped_even_if_nobody_replanned_it(office, fake_zalo):
    publish_seed(office)
    with office.session() as session:
        task = session.get(Task, task_id(office, "2.3"))
        task.status, task.closed_at = "done", local("02-17 14:00")
        session.add(task)
    result = run_due_work(office, local("02-17 16:30"))
    assert (result.queued, result.skipped) == (1, 2)  # 2.1 at 15:00 caught up; 2.3 twice skipped
    assert [ref for _, ref, _ in reminders_sent(office, fake_zalo)] == ["2.1"]


def test_a_held_message_arrives_on_the_next_interaction(office, fake_zalo, chat, runner):
    with office.session() as session:
        binh = session.exec(select(Officer).where(Officer.full_name == BINH)).one()
        binh.last_interaction_at = utcnow() - timedelta(days=10)  # outside Zalo's 7-day window
        session.add(binh)
    publish_seed(office)
    tick(office, local("02-17 15:00"))
    assert fake_zalo.texts_to(binh.zalo_user_id) == []
    with office.session(read_only=True) as session:
        held = session.exec(select(OutboxMessage).where(OutboxMessage.officer_id == binh.id)).all()
    assert sorted((m.kind, m.status) for m in held) == [("reminder", "held"), ("reminder", "held"), ("summary", "held")]
    listed = runner.invoke(["unreachable"]).output
    assert f"{BINH} (Phòng Quản lý Công nghệ và Đổi mới sáng tạo): quá 7 ngày không nhắn cho OA" in listed
    tick(office, local("02-17 15:00"))  # held is not retried
    assert fake_zalo.texts_to(binh.zalo_user_id) == []

    replies = chat.say(BINH, "việc của tôi")  # on the real clock: the meetings of 2025 have long begun
    digest = [text for text in replies if text.startswith("Trong thời gian anh/chị chưa nhắn")]
    assert len(digest) == 1 and "Tổng hợp" in digest[0]  # the summary, rebuilt as things stand now
    with office.session(read_only=True) as session:
        released = {m.kind: m for m in session.exec(select(OutboxMessage).where(OutboxMessage.officer_id == binh.id,
                                                                                  OutboxMessage.kind != "reply"))}
    assert released["summary"].status == "folded"
    assert released["reminder"].status == "superseded" and "đã bắt đầu" in released["reminder"].last_error
    assert BINH not in runner.invoke(["unreachable"]).output


@both_databases
def test_two_schedulers_started_at_once_send_each_reminder_once(office, fake_zalo, settings):
    publish_seed(office)
    runtimes = [make_runtime(settings, engine=make_engine(settings.database_url), zalo=fake_zalo) for _ in range(2)]
    try:
        for when in ("02-17 15:00", "02-17 16:30", "02-19 08:00", "02-24 07:00", "02-24 08:00"):
            start = threading.Barrier(2)
            errors = []

            def run(runtime, at=local(when), start=start, errors=errors):  # noqa: B008 - bound per round
                start.wait()
                try:
                    run_due_work(runtime, at)
                except Exception as error:  # noqa: BLE001 - reported below
                    errors.append(error)

            threads = [threading.Thread(target=run, args=(r,)) for r in runtimes]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
        for runtime in runtimes:  # whoever stood aside delivers nothing twice either
            runtime.sender.deliver_due()
    finally:
        for runtime in runtimes:
            runtime.stop()
            runtime.engine.dispose()
    with office.session(read_only=True) as session:
        keys = [session.exec(select(OutboxMessage.idempotency_key)
                             .where(OutboxMessage.zalo_message_id == m.message_id)).one() for m in fake_zalo.sent]
    assert len(keys) == len(set(keys))
    kinds = [kind for _, _, kind in deliveries(office, fake_zalo.sent)]
    # 15:00: 2.1 and 2.3; 16:30: 2.3; 19/02: four; 24/02 08:00: six overdue.
    assert len(kinds) - kinds.count("summary") - kinds.count("image") == 13
    # Two weeks (the first tick of week 8, then 24/02 07:00): eleven readers, two leaders' charts.
    assert (kinds.count("summary"), kinds.count("image")) == (22, 4)


def test_late_work_is_caught_up_for_twelve_hours_then_summarised(office, fake_zalo):
    publish_seed(office)
    result = run_due_work(office, local("02-19 10:00"))  # the bot was down since Monday 10:00
    assert sorted(reminders_sent(office, fake_zalo)) == [
        ("Ngô Thị Mai", "7.1", "before_deadline"), (BINH, "2.1", "overdue"), (BINH, "2.3", "overdue"),
        ("Trần Thị Nhung", "1.5", "before_deadline")]
    assert result.missed == 5  # 17/02 15:00 (two), 16:30, 18/02 11:00 and 15:00: too old to send
    late = next(m.text for m in fake_zalo.sent if m.text.startswith(f"Việc #{task_id(office, '2.1')}"))
    assert "đã quá hạn 1 ngày" in late


def test_nothing_goes_out_outside_office_hours(office, fake_zalo):
    publish_seed(office)
    for when in ("02-18 11:30", "02-18 12:59", "02-18 17:00", "02-22 09:00"):
        tick(office, local(when))
    assert fake_zalo.sent == []
    result = run_due_work(office, local("02-18 13:30"))  # 17/02 15:00 and 16:30 are too old; 18/02 11:00
    assert reminders_sent(office, fake_zalo) == []  # is caught up, but its 13h30 meeting is beginning
    assert result.stale == 1


def test_a_holiday_from_the_file_moves_reminders_earlier(office, fake_zalo, tmp_path):
    holidays = tmp_path / "holidays.txt"
    holidays.write_text("2025-02-21 off  # a provincial day off\n", encoding="utf-8")
    runtime = make_runtime(office.settings.with_overrides(holiday_file=str(holidays)), engine=office.engine, zalo=fake_zalo)
    publish_seed(runtime)
    tick(runtime, local("02-19 08:00"))
    # "trong ngày 21/02" now ends on Thursday 20/02: reminded on Wednesday already.
    assert ("Trần Thị Nhung", "1.1", "before_deadline") in reminders_sent(runtime, fake_zalo)


def test_a_new_deadline_replans_pending_reminders(office):
    publish_seed(office)
    n = task_id(office, "1.1")
    with office.session() as session:
        task = session.get(Task, n)
        task.deadline_date = task.deadline_date + timedelta(days=7)  # extended to 28/02
        assert plan_task(session, task, office.settings, local("02-18 09:00")) > 0
        assert plan_task(session, task, office.settings, local("02-18 09:00")) == 0  # idempotent
        rows = session.exec(select(Reminder).where(Reminder.task_id == n).order_by(Reminder.planned_at)).all()
    assert [(f"{r.planned_at.astimezone(ZONE):%m-%d %H:%M}", r.kind) for r in rows] == [
        ("02-25 08:00", "before_deadline"), ("02-27 08:00", "before_deadline"),
        ("02-28 08:00", "before_deadline"), ("03-03 08:00", "overdue")]


def test_tick_refuses_a_bad_instant_and_reads_a_naive_one_on_the_wall_clock(office, runner):
    bad = runner.invoke(["tick", "--at", "next monday"])
    assert bad.exit_code != 0 and "ISO-8601" in bad.output
    publish_seed(office)
    good = runner.invoke(["tick", "--at", "2025-02-17T15:00"])
    assert good.exit_code == 0 and "2 reminder(s) queued" in good.output


def test_unreachable_lists_officers_without_zalo(office, runner):
    result = runner.invoke(["unreachable"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Hoàng Minh Châu (Phòng Quản lý Công nghệ và Đổi mới sáng tạo): chưa liên kết Zalo",
        "Lý Văn Nam (Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng): chưa liên kết Zalo",
        "2 officer(s) cannot be reached",
    ]


def test_a_notice_published_today_replays_its_own_weeks_with_tick(office, fake_zalo, runner):
    """The office imports the seed with the real clock (long after 2025), then replays its
    fortnight with `tick --at`: every reminder comes where the policy puts it."""
    published = runner.invoke(["import", str(SEED_NOTICE), "--publish"])
    assert published.exit_code == 0, published.output
    tick(office, local("02-17 15:00"))
    assert sorted(reminders_sent(office, fake_zalo)) == [(BINH, "2.1", "meeting"), (BINH, "2.3", "meeting")]
    tick(office, local("02-19 08:00"))
    assert len(reminders_sent(office, fake_zalo)) == 6


def test_reminders_due_before_publication_are_neither_sent_nor_missed(office, fake_zalo):
    """Published on Wednesday 19/02 at 10:00: Monday's and Tuesday's reminders, and 08:00 that
    morning, are not sent late, nor reported as missed in the next summary."""
    publish_seed(office, now=local("02-19 10:00"))
    result = run_due_work(office, local("02-19 10:01"))
    assert (result.queued, result.missed, result.early) == (0, 0, 10)
    assert reminders_sent(office, fake_zalo) == []
    tick(office, local("02-19 11:00"))
    assert reminders_sent(office, fake_zalo) == [(BINH, "2.2", "meeting")]
    for when in ("02-20 08:00", "02-21 08:00", "02-24 07:00"):
        tick(office, local(when))
    assert not any("chưa gửi kịp" in m.text for m in fake_zalo.sent)


def test_a_replay_with_a_gap_does_not_plan_the_gap_again(office, fake_zalo, runner):
    """Replaying the seed with `tick`, nothing between 19/02 and 31/03: the Mondays in between
    are missed once, and only the 31/03 reminders of the overdue series are planned anew."""
    assert runner.invoke(["import", str(SEED_NOTICE), "--publish"]).exit_code == 0
    run_due_work(office, local("02-19 08:00"))
    first = run_due_work(office, local("03-31 08:00"))
    again = run_due_work(office, local("03-31 08:01"))
    assert first.missed > 0 and again.missed == 0
    # 2.1 and 2.3, whose series was trimmed on 19/02: their head and the two leaders.
    assert again.queued == 2 * 3


def test_tick_does_not_count_held_messages_as_sent(office, fake_zalo):
    with office.session() as session:
        binh = session.exec(select(Officer).where(Officer.full_name == BINH)).one()
        binh.last_interaction_at = utcnow() - timedelta(days=8)
        session.add(binh)
    publish_seed(office)
    said = tick(office, local("02-17 15:00")).output
    # Week 8's first tick: eleven summaries and two charts, and Bình's two meeting reminders.
    assert said.rstrip().endswith("13 summary message(s); of these 15 message(s): 12 sent to Zalo, "
                                  "3 held until the officer writes (outside Zalo's 7-day window)")
    assert len(fake_zalo.sent) == 12


def test_a_leader_gets_one_message_for_all_the_overdue_work_escalated_at_once(office, fake_zalo):
    publish_seed(office)
    for day in ("02-18", "02-19", "02-20", "02-21", "02-24", "02-25", "02-26", "02-27", "02-28", "03-03"):
        tick(office, local(f"{day} 08:00"))  # on 03/03, seven working days after the 21/02 deadlines
    with office.session(read_only=True) as session:
        escalated = session.exec(select(Reminder).where(Reminder.kind == "escalation",
                                                        Reminder.state == "queued")).all()
        leaders = {o.zalo_user_id: o.full_name for o in session.exec(select(Officer).where(Officer.role == "leader"))}
    per_leader = {name: [m.text for m in fake_zalo.sent if m.user_id == uid and "đề nghị anh/chị đôn đốc" in m.text]
                  for uid, name in leaders.items()}
    tasks_escalated = {r.task_id for r in escalated}
    assert len(tasks_escalated) >= 2
    for name, texts in per_leader.items():
        assert len(texts) == 1, name
        assert texts[0].startswith(f"Có {len(tasks_escalated)} việc quá hạn")
        assert all(f"#{n} " in texts[0] for n in tasks_escalated)
    assert len({r.outbox_id for r in escalated}) == len(leaders)  # each reminder points at its leader's message


def test_a_catch_up_after_a_silent_morning_announces_no_meeting_already_begun(office, fake_zalo, runner):
    """`tick --at 2025-02-18T13:45+07:00`: the 11:00 call for the 13h30 meeting of 18/02 is late."""
    from datetime import date

    publish_seed(office)
    tick(office, local("02-17 16:30"))  # the afternoon of publication went as planned
    fake_zalo.sent.clear()
    result = runner.invoke(args=["tick", "--at", "2025-02-18T13:45+07:00"])
    assert result.exit_code == 0, result.output
    with office.session(read_only=True) as session:
        meeting = session.exec(select(Task).where(Task.deadline_kind == "meeting", Task.deadline_date == date(2025, 2, 18),
                                                  Task.deadline_time == "13:30")).one()
        states = session.exec(select(Reminder.state).where(Reminder.task_id == meeting.id,
                                                           Reminder.planned_at >= local("02-18 00:00"))).all()
    about_it = [m.text for m in fake_zalo.sent if f"#{meeting.id}" in m.text]
    assert not [t for t in about_it if "họp" in t and "quá hạn" not in t], about_it
    assert "stale" in states and "dropped (what they announced had begun)" in result.output


def test_the_monday_summary_reaches_everyone_inside_the_window_even_with_nothing_to_report(office, fake_zalo):
    with office.session() as session:
        away = session.exec(select(Officer).where(Officer.full_name == "Lê Hùng")).one()
        away.last_interaction_at = utcnow() - timedelta(days=8)  # already outside: a text cannot reach him
        session.add(away)
    run_due_work(office, local("02-17 07:00"))  # before any notice: nobody has anything open
    empty = [m for m in fake_zalo.sent if m.text == "Tổng hợp tuần 17/02–23/02/2025: anh/chị không có việc nào đang mở."]
    with office.session(read_only=True) as session:
        inside = {o.zalo_user_id for o in session.exec(select(Officer).where(Officer.zalo_user_id.is_not(None),
                                                                                Officer.active))} - {away.zalo_user_id}
    summarised = {m.user_id for m in fake_zalo.sent if m.text.startswith("Tổng hợp tuần 17/02–23/02/2025")}
    assert summarised == inside and len(empty) >= len(inside) - 1  # its button is a tap keeping them reachable
    assert all(m.buttons == [{"title": "Việc của tôi", "payload": "việc của tôi"}] for m in empty)
