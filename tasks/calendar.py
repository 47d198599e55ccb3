"""The office calendar: working days and office hours, on the wall clock of the Sở.

Working days are Monday to Friday minus Vietnam's public holidays (the `holidays` package,
lunar Tết and the government's published swaps included), corrected by an optional file for
what the package does not know yet (a swap decided late, a provincial day off):

    # comment
    2025-05-02 off     # a day off
    2025-04-26 work    # a Saturday worked in exchange

Office hours are spans of the day (setting `office_hours`); an instant is "in office hours"
when it falls inside one of them on a working day (start included, end excluded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

DEFAULT_HOURS = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
# A holiday more than this far away means a bug, not a long Tết: stop instead of looping forever.
_MAX_SEARCH = 60


def week_span(day: date) -> tuple[date, date]:
    """The calendar week holding `day`, Monday to Sunday: what "tuần này" means everywhere
    (the chat's lists, the summaries, the console)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


class HolidayFileError(ValueError):
    """A holiday file line that is not `YYYY-MM-DD off|work`."""


@lru_cache(maxsize=64)
def _vietnam(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, weekend days worked as swaps) of one year, from the holidays package."""
    calendar = holidays.country_holidays("VN", years=year)
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return frozenset(calendar), worked


def read_holiday_file(path: str | Path) -> tuple[frozenset[date], frozenset[date]]:
    """(extra days off, extra working days) from a holiday file; a bad line names itself."""
    off, work = set(), set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        content = line.split("#", 1)[0].split()
        if not content:
            continue
        try:
            day = date.fromisoformat(content[0])
            what = content[1].lower() if len(content) == 2 else ""
        except ValueError:
            what = ""
        if what not in ("off", "work"):
            raise HolidayFileError(f"{path}:{number}: expected 'YYYY-MM-DD off' or 'YYYY-MM-DD work', got {line.strip()!r}")
        (off if what == "off" else work).add(day)
    return frozenset(off), frozenset(work)


@dataclass(frozen=True)
class Calendar:
    zone: ZoneInfo = ZoneInfo("Asia/Ho_Chi_Minh")
    office_hours: tuple[tuple[time, time], ...] = DEFAULT_HOURS
    extra_off: frozenset[date] = frozenset()
    extra_work: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, settings) -> Calendar:
        off, work = read_holiday_file(settings.holiday_file) if settings.holiday_file else (frozenset(), frozenset())
        return cls(settings.zone, tuple(settings.office_hours), off, work)

    # --- days -------------------------------------------------------------------------------
    def is_working_day(self, d: date) -> bool:
        if d in self.extra_work:
            return True
        if d in self.extra_off:
            return False
        public, worked = _vietnam(d.year)
        return d in worked or (d.weekday() < 5 and d not in public)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before `d`."""
        return self._step(d, -1)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self._step(d, 1)

    def working_day_on_or_before(self, d: date) -> date:
        return d if self.is_working_day(d) else self.previous_working_day(d)

    def working_day_on_or_after(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    def working_days_before(self, d: date, count: int) -> date:
        """The working day `count` working days before `d`."""
        for _ in range(count):
            d = self.previous_working_day(d)
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        return sum(self.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))

    def _step(self, d: date, direction: int) -> date:
        for _ in range(_MAX_SEARCH):
            d += timedelta(days=direction)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_SEARCH} days of {d}")

    # --- instants ---------------------------------------------------------------------------
    def at(self, d: date, t: time) -> datetime:
        """Wall-clock `t` on day `d`, as an aware datetime."""
        return datetime.combine(d, t, self.zone)

    def next_working_morning(self, d: date, t: time) -> datetime:
        """`t` on the first working day after `d`."""
        return self.at(self.next_working_day(d), t)

    def in_office_hours(self, dt: datetime) -> bool:
        local = dt.astimezone(self.zone)
        clock = local.time()
        return self.is_working_day(local.date()) and any(start <= clock < end for start, end in self.office_hours)

    def clamp_to_office_hours(self, dt: datetime) -> datetime:
        """The first instant at or after `dt` inside office hours."""
        local = dt.astimezone(self.zone)
        day, clock = local.date(), local.time()
        for _ in range(_MAX_SEARCH):
            if self.is_working_day(day):
                for start, end in self.office_hours:
                    if clock < end:
                        return self.at(day, max(start, clock))
            day, clock = day + timedelta(days=1), time(0, 0)
        raise ValueError(f"no office hours within {_MAX_SEARCH} days of {dt}")

    def latest_slot_at_or_before(self, dt: datetime, margin: timedelta) -> datetime:
        """The latest instant at or before `dt` that leaves `margin` before the end of an office span.

        With a 30-minute margin: 11:30 -> 11:00, 13:00 -> 11:00, 05:30 -> 16:30 the working day before.
        """
        local = dt.astimezone(self.zone)
        day, clock = local.date(), local.time()
        for _ in range(_MAX_SEARCH):
            if self.is_working_day(day):
                for start, end in reversed(self.office_hours):
                    last = (datetime.combine(day, end) - margin).time()
                    if clock >= start and last >= start:
                        return self.at(day, min(clock, last))
            day, clock = day - timedelta(days=1), time.max
        raise ValueError(f"no office hours within {_MAX_SEARCH} days of {dt}")
