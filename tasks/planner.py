"""The reminder policy, as a pure function: task facts + calendar + policy -> who is reminded when.

- Deadline tasks (`on`, `before`, `period`): at `reminder_time` (08:00) three working days
  before the last day (only when the task was given at least five working days ahead), the
  working day before, and the morning of the last day. For `before` the last day is the day
  before the written date. A last day that is not a working day moves to the working day
  before it, and so do the others.
- Meetings: the working day before at 15:00, and on the day at least two hours before the
  meeting inside office hours (11:00 for 13h30); when the day leaves no such moment (a 7h30
  meeting), the last moment of the working day before (16:30).
- Overdue: the next working morning after the last day to the responsible people and the unit
  head, then every Monday (the next working day when Monday is a holiday) until closed; after
  `escalate_after_days` working days also to the leader who directs the unit.
- Recurring tasks: the deadline reminders inside each period's window.
- No deadline: no reminders (summaries only).
- A task handed to officers ("giao 9 cho Châu") reminds them, and the unit head keeps the
  reminder of the last day (the meeting's last call, each period's last) and the overdue ones.

Overdue and recurring reminders never end, so `plan` lists them only up to the first one after
`now`; planning again later (the sweep does it when it sends one) extends the series.
"""

from __future__ import annotations

import calendar as monthly
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from tasks.calendar import Calendar, week_span
from tasks.deadlines import last_day
from tasks.text import fold

BEFORE_DEADLINE = "before_deadline"
MEETING = "meeting"
OVERDUE = "overdue"
ESCALATION = "escalation"
RECURRING = "recurring"
# Kinds whose series `plan` lists only up to the first instant after `now`.
SERIES_KINDS = (OVERDUE, ESCALATION, RECURRING)


@dataclass(frozen=True)
class Policy:
    reminder_time: time = time(8, 0)
    days_before: int = 3
    min_lead_days: int = 5
    meeting_eve_time: time = time(15, 0)
    meeting_lead: timedelta = timedelta(hours=2)
    end_margin: timedelta = timedelta(minutes=30)
    escalate_after_days: int = 5

    @classmethod
    def from_settings(cls, settings) -> Policy:
        return cls(
            reminder_time=settings.reminder_time,
            days_before=settings.reminder_days_before,
            min_lead_days=settings.reminder_min_lead_days,
            meeting_eve_time=settings.meeting_eve_time,
            meeting_lead=timedelta(minutes=settings.meeting_lead_minutes),
            end_margin=timedelta(minutes=settings.reminder_end_margin_minutes),
            escalate_after_days=settings.escalate_after_days,
        )


@dataclass(frozen=True)
class TaskFacts:
    """What the policy needs to know about one task (no database in sight)."""

    task_id: int
    kind: str | None
    written: date | None  # the date as written (deadline_date)
    at: time | None  # deadline_time
    start: date | None  # deadline_start (periods)
    raw: str | None  # deadline_raw (recurring: "định kỳ hằng tháng")
    given_on: date  # the day the task was given (the meeting of the notice)
    responsible: tuple[int, ...]  # the named people and those handed the task, else the head(s) of the unit
    unit_heads: tuple[int, ...] = ()
    directors: tuple[int, ...] = ()  # Unit.director_id, else every leader
    delegates: tuple[int, ...] = ()  # those handed the task (among `responsible`)

    def on_last_day(self) -> tuple[int, ...]:
        """Who gets the reminder of the last day: the responsible, and the head when the task
        was handed to someone."""
        return tuple(dict.fromkeys(self.responsible + (self.unit_heads if self.delegates else ())))


class Planned(NamedTuple):
    at: datetime
    kind: str
    officer_id: int


def plan(facts: TaskFacts, cal: Calendar, policy: Policy, now: datetime) -> list[Planned]:
    """Every reminder of the task, sorted by instant (series up to the first after `now`)."""
    if facts.kind == RECURRING:
        planned = _recurring(facts, cal, policy, now)
    elif facts.kind == MEETING and facts.written:
        planned = _meeting(facts, cal, policy) + _overdue(facts, facts.written, cal, policy, now)
    elif facts.kind in ("on", "before", "period") and facts.written:
        end = last_day(facts.kind, facts.written, facts.at)
        planned = _each(facts, _deadline_instants(end, facts.given_on, cal, policy), BEFORE_DEADLINE)
        planned += _overdue(facts, end, cal, policy, now)
    else:
        planned = []
    return sorted(set(planned))


def _each(facts: TaskFacts, instants: list[datetime], kind: str) -> list[Planned]:
    """The responsible at each instant; the last one (the last day) to `on_last_day` too."""
    last = max(instants, default=None)
    return [Planned(at, kind, who) for at in instants
            for who in (facts.on_last_day() if at == last else facts.responsible)]


def _deadline_instants(end: date, given_on: date, cal: Calendar, policy: Policy) -> list[datetime]:
    """Three working days before (given far enough ahead), the working day before, the last day."""
    last = cal.working_day_on_or_before(end)
    days = [last, cal.previous_working_day(last)]
    if cal.working_days_between(given_on, last) >= policy.min_lead_days:
        days.append(cal.working_days_before(last, policy.days_before))
    return [cal.at(d, policy.reminder_time) for d in sorted(set(days)) if d >= given_on]


def _meeting(facts: TaskFacts, cal: Calendar, policy: Policy) -> list[Planned]:
    # A meeting without a time is treated as one at the opening of the office.
    meeting = cal.at(facts.written, facts.at or cal.office_hours[0][0])
    eve = cal.at(cal.previous_working_day(facts.written), policy.meeting_eve_time)
    last_call = cal.latest_slot_at_or_before(meeting - policy.meeting_lead, policy.end_margin)
    instants = sorted({at for at in (eve, last_call) if at.date() >= facts.given_on})
    return _each(facts, instants, MEETING)


def _overdue(facts: TaskFacts, end: date, cal: Calendar, policy: Policy, now: datetime) -> list[Planned]:
    """The next working morning after `end`, then each Monday, up to the first after `now`."""
    at = cal.next_working_morning(end, policy.reminder_time)
    planned = []
    while True:
        people = dict.fromkeys(facts.responsible + facts.unit_heads)
        planned += [Planned(at, OVERDUE, who) for who in people]
        if cal.working_days_between(end, at.date()) >= policy.escalate_after_days:
            planned += [Planned(at, ESCALATION, who) for who in facts.directors if who not in people]
        if at > now:
            return planned
        monday = week_span(at.date())[1] + timedelta(days=1)
        at = cal.at(cal.working_day_on_or_after(monday), policy.reminder_time)


# --- recurring tasks ---------------------------------------------------------------------------

_EVERY = re.compile(r"\b(?:hang|moi)\s+(tuan|thang|quy|nam)\b")
_HALF_YEAR = re.compile(r"\b(?:6|sau)\s+thang\b|\bnua\s+nam\b")
_QUARTER = re.compile(r"\bquy\b")
_MONTHS = {"tuan": 0, "thang": 1, "quy": 3, "nam": 12}


def period_months(raw: str | None) -> int:
    """Length of a recurring task's period in months (0 = weekly), from its wording
    ("hằng tuần", "hàng quý", "6 tháng một lần"…); monthly when it does not say."""
    folded = fold(raw or "")
    if _HALF_YEAR.search(folded):
        return 6
    every = _EVERY.search(folded)
    if every:
        return _MONTHS[every.group(1)]
    return 3 if _QUARTER.search(folded) else 1  # "ngày 20 của tháng cuối quý"


def periods(months: int, first: date):
    """(start, end) of each period from the one holding `first` on, aligned on calendar periods."""
    if months == 0:  # weekly, the calendar week
        start, end = week_span(first)
        while True:
            yield start, end
            start, end = start + timedelta(days=7), end + timedelta(days=7)
    else:
        year, month0 = first.year, (first.month - 1) // months * months  # month0: 0-based first month
        while True:
            last = month0 + months - 1
            end_year, end_month = year + last // 12, last % 12 + 1
            yield date(year, month0 + 1, 1), date(end_year, end_month, monthly.monthrange(end_year, end_month)[1])
            year, month0 = year + (month0 + months) // 12, (month0 + months) % 12


def _same_day_of_period(written: date, start: date, months: int) -> date:
    """The written day in the period starting at `start`, in the month the written date holds within its period."""
    month0 = start.month - 1 + (written.month - 1) % months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(written.day, monthly.monthrange(year, month)[1]))


def _recurring(facts: TaskFacts, cal: Calendar, policy: Policy, now: datetime) -> list[Planned]:
    """The deadline reminders of each period, up to the first period whose reminders lie after `now`.

    The due day is the written day, in the same month of each period as the written date
    ("trước ngày 25 hằng tháng"; "ngày 20 của tháng cuối quý": the quarter's third month), else
    the period's last day.
    """
    months = period_months(facts.raw)
    planned = []
    for start, end in periods(months, facts.given_on):
        due = end
        if facts.written and months:
            due = min(end, _same_day_of_period(facts.written, start, months))
        instants = _deadline_instants(due, max(start, facts.given_on), cal, policy)
        planned += _each(facts, instants, RECURRING)
        if (instants and instants[-1] > now) or start > now.date():
            return planned


# --- a reminder whose moment has passed its purpose ----------------------------------------------

PASSED_DROP = "drop"  # nothing left to announce: not sent
PASSED_OVERDUE = "overdue"  # the last day is over: it is told as the overdue notice instead


def passed_purpose(kind: str, task, at: datetime) -> str | None:
    """What becomes of a reminder sent at `at` (a catch-up after downtime, a retry, a held message
    released) when its moment has passed its purpose: None while what it announces is ahead; a
    meeting already begun is dropped (there is nothing left to get ready for); a deadline reminder
    after the task's due moment becomes the overdue notice. `task.due_at` is the due moment."""
    due = getattr(task, "due_at", None)
    if due is None or at < due:
        return None
    if kind == MEETING:
        return PASSED_DROP
    if kind == BEFORE_DEADLINE:
        return PASSED_OVERDUE
    return None
