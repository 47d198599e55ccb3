"""The reminder policy, line by line, as a table: who is reminded, when, and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tasks.calendar import Calendar, HolidayFileError, read_holiday_file
from tasks.planner import Policy, TaskFacts, period_months, plan

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = Calendar()
POLICY = Policy()
OWNER, HEAD, DIRECTOR, OFFICER = 11, 12, 1, 13


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZONE)


def facts(kind, written=None, clock=None, *, given="2025-02-17", start=None, raw=None, named=True):
    return TaskFacts(
        task_id=1, kind=kind, written=date.fromisoformat(written) if written else None,
        at=time.fromisoformat(clock) if clock else None, start=date.fromisoformat(start) if start else None,
        raw=raw, given_on=date.fromisoformat(given),
        responsible=(OWNER,) if named else (HEAD,), unit_heads=(HEAD,), directors=(DIRECTOR,),
    )


def planned(task: TaskFacts, now="2025-02-17 10:00", kinds=None) -> list[tuple[str, str, int]]:
    return [(f"{p.at:%Y-%m-%d %H:%M}", p.kind, p.officer_id) for p in plan(task, CAL, POLICY, at(now))
            if kinds is None or p.kind in kinds]


def before(*instants: str, who=OWNER) -> list[tuple[str, str, int]]:
    return [(i, "before_deadline", who) for i in instants]


DEADLINE_TABLE = [
    # "trong ngày 21/02" given on Monday 17/02: four working days ahead, so no three-days-before.
    ("on, given 4 working days ahead", facts("on", "2025-02-21"), before("2025-02-20 08:00", "2025-02-21 08:00")),
    ("on, given 9 working days ahead", facts("on", "2025-02-28"),
     before("2025-02-25 08:00", "2025-02-27 08:00", "2025-02-28 08:00")),
    # "trước ngày 21/02": the last day is Thursday 20/02.
    ("before: the day before", facts("before", "2025-02-21"), before("2025-02-19 08:00", "2025-02-20 08:00")),
    ("before 16h00: that very day", facts("before", "2025-02-21", "16:00"),
     before("2025-02-20 08:00", "2025-02-21 08:00")),
    # "trước ngày 03/03" (a Monday): last day Sunday 02/03, so Friday 28/02 and before.
    ("before a Monday: Friday", facts("before", "2025-03-03"),
     before("2025-02-25 08:00", "2025-02-27 08:00", "2025-02-28 08:00")),
    ("period: its last day", facts("period", "2025-02-28", start="2025-02-01"),
     before("2025-02-25 08:00", "2025-02-27 08:00", "2025-02-28 08:00")),
    ("the head when nobody is named", facts("on", "2025-02-21", named=False),
     before("2025-02-20 08:00", "2025-02-21 08:00", who=HEAD)),
    # Giỗ Tổ Hùng Vương, Monday 07/04/2025: the working day before a Tuesday deadline is Friday.
    ("day after Giỗ Tổ", facts("on", "2025-04-08", given="2025-03-24"),
     before("2025-04-02 08:00", "2025-04-04 08:00", "2025-04-08 08:00")),
    ("on Giỗ Tổ itself", facts("on", "2025-04-07", given="2025-03-24"),
     before("2025-04-01 08:00", "2025-04-03 08:00", "2025-04-04 08:00")),
    # Tết Ất Tỵ: 27/01–31/01/2025 off (with the weekends, 25/01–02/02).
    ("during Tết", facts("on", "2025-01-30", given="2025-01-06"),
     before("2025-01-21 08:00", "2025-01-23 08:00", "2025-01-24 08:00")),
    ("right after Tết", facts("on", "2025-02-03", given="2025-01-06"),
     before("2025-01-22 08:00", "2025-01-24 08:00", "2025-02-03 08:00")),
    # 30/4–1/5/2025, with Friday 02/05 off in exchange for Saturday 26/04, worked.
    ("30/4–1/5 and the swapped Friday", facts("on", "2025-05-02", given="2025-04-14"),
     before("2025-04-25 08:00", "2025-04-28 08:00", "2025-04-29 08:00")),
    ("the worked Saturday counts", facts("on", "2025-05-05", given="2025-04-14"),
     before("2025-04-26 08:00", "2025-04-29 08:00", "2025-05-05 08:00")),
]


@pytest.mark.parametrize("task, expected", [row[1:] for row in DEADLINE_TABLE], ids=[row[0] for row in DEADLINE_TABLE])
def test_deadline_reminders(task, expected):
    assert planned(task, now=f"{task.given_on} 07:00", kinds={"before_deadline"}) == expected


MEETING_TABLE = [
    ("13h30: the eve at 15:00 and 11:00 on the day", "2025-02-18", "13:30", ["2025-02-17 15:00", "2025-02-18 11:00"]),
    ("7h30: the eve at 15:00 and 16:30", "2025-02-18", "07:30", ["2025-02-17 15:00", "2025-02-17 16:30"]),
    ("16h00: two hours before, 14:00", "2025-02-19", "16:00", ["2025-02-18 15:00", "2025-02-19 14:00"]),
    ("15h00: 13:00 is lunch, so 11:00", "2025-02-19", "15:00", ["2025-02-18 15:00", "2025-02-19 11:00"]),
    ("9h00: 7:00, the office opening", "2025-02-19", "09:00", ["2025-02-18 15:00", "2025-02-19 07:00"]),
    ("Monday 7h30: Friday 15:00 and 16:30", "2025-02-24", "07:30", ["2025-02-21 15:00", "2025-02-21 16:30"]),
    ("after Giỗ Tổ, 8h00: Friday", "2025-04-08", "08:00", ["2025-04-04 15:00", "2025-04-04 16:30"]),
]


@pytest.mark.parametrize("day, clock, expected", [row[1:] for row in MEETING_TABLE], ids=[row[0] for row in MEETING_TABLE])
def test_meeting_reminders(day, clock, expected):
    task = facts("meeting", day, clock, given="2025-02-17")
    assert planned(task, now="2025-02-17 07:00", kinds={"meeting"}) == [(i, "meeting", OWNER) for i in expected]


def test_overdue_next_working_morning_then_mondays_then_the_director():
    task = facts("on", "2025-02-21")
    # Planned from the deadline up to the first reminder after `now`: the series grows as time passes.
    assert planned(task, now="2025-02-17 10:00", kinds={"overdue", "escalation"}) == [
        ("2025-02-24 08:00", "overdue", OWNER), ("2025-02-24 08:00", "overdue", HEAD),
    ]
    assert planned(task, now="2025-03-10 09:00", kinds={"overdue", "escalation"}) == [
        ("2025-02-24 08:00", "overdue", OWNER), ("2025-02-24 08:00", "overdue", HEAD),
        ("2025-03-03 08:00", "escalation", DIRECTOR),  # six working days late
        ("2025-03-03 08:00", "overdue", OWNER), ("2025-03-03 08:00", "overdue", HEAD),
        ("2025-03-10 08:00", "escalation", DIRECTOR),
        ("2025-03-10 08:00", "overdue", OWNER), ("2025-03-10 08:00", "overdue", HEAD),
        ("2025-03-17 08:00", "escalation", DIRECTOR),
        ("2025-03-17 08:00", "overdue", OWNER), ("2025-03-17 08:00", "overdue", HEAD),
    ]


def test_a_task_handed_to_an_officer_reminds_them_and_the_head_keeps_the_last_day():
    handed = replace(facts("on", "2025-02-28"), responsible=(OFFICER,), delegates=(OFFICER,))
    assert planned(handed, kinds={"before_deadline"}) == [
        ("2025-02-25 08:00", "before_deadline", OFFICER), ("2025-02-27 08:00", "before_deadline", OFFICER),
        ("2025-02-28 08:00", "before_deadline", HEAD), ("2025-02-28 08:00", "before_deadline", OFFICER),
    ]
    assert planned(handed, now="2025-03-10 09:00", kinds={"overdue", "escalation"})[:3] == [
        ("2025-03-03 08:00", "overdue", HEAD), ("2025-03-03 08:00", "overdue", OFFICER),
        ("2025-03-10 08:00", "escalation", DIRECTOR),
    ]
    meeting = replace(facts("meeting", "2025-02-19", "13:30"), responsible=(OFFICER,), delegates=(OFFICER,))
    assert planned(meeting, kinds={"meeting"}) == [
        ("2025-02-18 15:00", "meeting", OFFICER), ("2025-02-19 11:00", "meeting", HEAD),
        ("2025-02-19 11:00", "meeting", OFFICER)]
    # Not handed to anyone: the head is not added to the named person's last day.
    assert {who for _, _, who in planned(facts("on", "2025-02-28"), kinds={"before_deadline"})} == {OWNER}


def test_overdue_head_is_not_reminded_twice_when_responsible():
    task = facts("before", "2025-02-21", named=False)
    assert planned(task, kinds={"overdue"}) == [("2025-02-21 08:00", "overdue", HEAD)]


def test_overdue_monday_on_a_holiday_moves_to_the_next_working_day():
    task = facts("on", "2025-03-28", given="2025-03-03")  # a Friday; Monday 07/04 is Giỗ Tổ
    got = {i for i, kind, who in planned(task, now="2025-04-05 09:00", kinds={"overdue"}) if who == OWNER}
    assert got == {"2025-03-31 08:00", "2025-04-08 08:00"}


def test_meeting_left_open_is_overdue_next_working_morning():
    task = facts("meeting", "2025-02-21", "13:30")  # a Friday
    assert planned(task, kinds={"overdue"})[0] == ("2025-02-24 08:00", "overdue", OWNER)


def test_recurring_reminders_fall_inside_each_period():
    task = facts("recurring", raw="Định kỳ hằng tháng báo cáo", given="2025-02-17")
    march = planned(task, now="2025-03-05 09:00")
    assert march == [(i, "recurring", OWNER) for i in (
        "2025-02-25 08:00", "2025-02-27 08:00", "2025-02-28 08:00",
        "2025-03-26 08:00", "2025-03-28 08:00", "2025-03-31 08:00")]
    # "trước ngày 10 hằng quý": the 10th of the quarter's first month.
    quarterly = facts("recurring", "2025-01-10", raw="trước ngày 10 hằng quý", given="2025-02-17")
    assert [i for i, _, _ in planned(quarterly, now="2025-02-17 09:00")] == [
        "2025-04-04 08:00", "2025-04-09 08:00", "2025-04-10 08:00"]
    # "ngày 20 của tháng cuối quý": the 20th of each quarter's third month, not of every month.
    last_month = facts("recurring", "2025-03-20", raw="ngày 20 của tháng cuối quý", given="2025-02-17")
    assert [i for i, _, _ in planned(last_month, now="2025-04-01 09:00")] == [
        "2025-03-17 08:00", "2025-03-19 08:00", "2025-03-20 08:00",
        "2025-06-17 08:00", "2025-06-19 08:00", "2025-06-20 08:00"]


@pytest.mark.parametrize("raw, months", [("hằng tháng", 1), ("hàng quý", 3), ("6 tháng một lần", 6),
                                         ("HANG TUAN", 0), ("hằng năm", 12), ("định kỳ", 1),
                                         ("hằng tháng báo cáo UBND tỉnh Quảng Nam", 1), ("mỗi tuần", 0),
                                         ("ngày 20 của tháng cuối quý", 3)])
def test_period_of_a_recurring_task(raw, months):
    assert period_months(raw) == months


def test_no_deadline_no_reminders():
    assert planned(facts(None)) == []


def test_reminders_before_the_task_was_given_are_dropped():
    task = facts("on", "2025-02-18", given="2025-02-18")
    assert planned(task, kinds={"before_deadline"}) == before("2025-02-18 08:00")


def test_holiday_file_moves_reminders(tmp_path):
    path = tmp_path / "holidays.txt"
    path.write_text("# provincial day off\n2025-02-20 off\n2025-02-22 work  # a Saturday worked\n", encoding="utf-8")
    off, work = read_holiday_file(path)
    cal = Calendar(extra_off=off, extra_work=work)
    task = facts("on", "2025-02-21")
    got = [f"{p.at:%d/%m}" for p in plan(task, cal, POLICY, at("2025-02-17 07:00")) if p.kind == "before_deadline"]
    assert got == ["19/02", "21/02"]
    assert cal.next_working_day(date(2025, 2, 21)) == date(2025, 2, 22)


def test_a_bad_holiday_file_line_is_named(tmp_path):
    path = tmp_path / "holidays.txt"
    path.write_text("2025-02-20 off\n2025-02-31 off\n", encoding="utf-8")
    with pytest.raises(HolidayFileError, match=":2: "):
        read_holiday_file(path)


def test_the_shipped_2025_file_reads():
    from pathlib import Path

    off, work = read_holiday_file(Path(__file__).parents[2] / "scheduler" / "holidays-2025.txt")
    assert date(2025, 5, 2) in off and date(2025, 4, 26) in work


@pytest.mark.parametrize("instant, inside", [
    ("2025-02-17 06:59", False), ("2025-02-17 07:00", True), ("2025-02-17 11:29", True),
    ("2025-02-17 11:30", False), ("2025-02-17 13:30", True), ("2025-02-17 16:59", True),
    ("2025-02-17 17:00", False), ("2025-02-22 09:00", False), ("2025-04-07 09:00", False),
    ("2025-04-26 09:00", True),
])
def test_office_hours(instant, inside):
    assert CAL.in_office_hours(at(instant)) is inside


@pytest.mark.parametrize("instant, clamped", [
    ("2025-02-17 06:00", "2025-02-17 07:00"), ("2025-02-17 12:00", "2025-02-17 13:30"),
    ("2025-02-21 17:30", "2025-02-24 07:00"), ("2025-01-24 18:00", "2025-02-03 07:00"),
    ("2025-02-17 09:15", "2025-02-17 09:15"),
])
def test_clamp_to_office_hours(instant, clamped):
    assert CAL.clamp_to_office_hours(at(instant)) == at(clamped)


def test_working_days_between_and_around_tet():
    assert CAL.working_days_between(date(2025, 2, 17), date(2025, 2, 21)) == 4
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1
    assert CAL.previous_working_day(date(2025, 2, 3)) == date(2025, 1, 24)
    assert CAL.next_working_morning(date(2025, 1, 24), time(8)) == at("2025-02-03 08:00")
    assert CAL.working_days_before(date(2025, 2, 3), 3) == date(2025, 1, 22)
    assert CAL.latest_slot_at_or_before(at("2025-02-03 05:30"), timedelta(minutes=30)) == at("2025-01-24 16:30")
