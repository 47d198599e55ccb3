"""When a task is due, for every kind of deadline a notice writes."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from notices import parse_deadline
from tasks.deadlines import due_at

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
MEETING = date(2025, 2, 17)


@pytest.mark.parametrize("written, due", [
    ("trong ngày 21/02/2025", datetime(2025, 2, 21, 17, 0, tzinfo=ZONE)),
    ("chậm nhất ngày 21/02/2025", datetime(2025, 2, 21, 17, 0, tzinfo=ZONE)),
    ("trước ngày 21/02/2025", datetime(2025, 2, 21, 0, 0, tzinfo=ZONE)),
    ("trước 16h00 ngày 21/02/2025", datetime(2025, 2, 21, 16, 0, tzinfo=ZONE)),
    ("lúc 7h30 ngày 18/02/2025", datetime(2025, 2, 18, 7, 30, tzinfo=ZONE)),
    ("trong tháng 3/2025", datetime(2025, 3, 31, 17, 0, tzinfo=ZONE)),
    ("định kỳ hằng tháng", None),
])
def test_written_deadlines_fall_due(written, due):
    deadline = parse_deadline(written, MEETING)
    assert due_at(deadline.kind, deadline.date, deadline.time, ZONE) == due


def test_the_end_of_the_office_day_is_a_setting():
    assert due_at("on", date(2025, 2, 21), None, ZONE, end_of_day=time(16, 30)) == datetime(
        2025, 2, 21, 16, 30, tzinfo=ZONE
    )
    assert due_at("on", None, None, ZONE) is None
