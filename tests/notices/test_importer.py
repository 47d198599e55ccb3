"""Importing the sample notice: tasks land with the units and people a clerk would give them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from notices import read_notice, read_notice_text
from notices.importer import ImportRefused, import_file, import_notice, publish_notice
from storage.models import Notice, Officer, Task, TaskAssignee, TaskCoordinator, TaskEvent, Unit, utcnow
from tests.conftest import SAMPLES
from tests.fixtures.db import both_databases

pytestmark = both_databases

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def row_counts(runtime) -> dict[str, int]:
    with runtime.session() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def imported(runtime, settings, path=SEED):
    with runtime.session() as session:
        return import_file(session, path, settings=settings)


def tasks_by_ref(runtime) -> dict[str, list[tuple[Task, str | None]]]:
    with runtime.session() as session:
        query = select(Task, Unit.code).join(Unit, Unit.id == Task.unit_id, isouter=True).order_by(Task.id)
        rows = session.exec(query).all()
    found: dict[str, list] = {}
    for task, code in rows:
        found.setdefault(task.ref, []).append((task, code))
    return found


def test_every_task_goes_to_the_unit_a_clerk_would_choose(runtime, settings, directory):
    report = imported(runtime, settings)
    assert report.created
    units = {ref: sorted(code for _, code in rows) for ref, rows in tasks_by_ref(runtime).items()}
    expected_first_digit = {"1": "VP", "2": "QLCN", "3": "QLKH", "4": "TDC", "5": "KHTC", "6": "TTRA", "8": "CDTN"}
    for ref, codes in units.items():
        if ref == "7.1":
            assert codes == ["TTCGCN", "TTKT"]  # "Các đơn vị thuộc Sở": one task per centre
        else:
            assert codes == [expected_first_digit[ref.split(".")[0]]], ref
    assert len(units) == 19 and sum(map(len, units.values())) == 20 == len(report.task_ids)
    with runtime.session() as session:
        notice = session.get(Notice, report.notice_id)
        assert notice.published_at is None and notice.week == 7 and notice.year == 2025
        assert not any(t.published for t in session.exec(select(Task)))
        created = session.exec(select(TaskEvent.task_id).where(TaskEvent.action == "created")).all()
    assert sorted(created) == sorted(report.task_ids)


def test_named_people_and_coordinating_units_are_linked(runtime, settings, directory):
    imported(runtime, settings)
    with runtime.session() as session:
        people = {
            (task.ref, name)
            for task, name in session.exec(
                select(Task, Officer.full_name)
                .join(TaskAssignee, TaskAssignee.task_id == Task.id)
                .join(Officer, Officer.id == TaskAssignee.officer_id)
            )
        }
        coordinators = {}
        for task, code in session.exec(
            select(Task, Unit.code)
            .join(TaskCoordinator, TaskCoordinator.task_id == Task.id)
            .join(Unit, Unit.id == TaskCoordinator.unit_id)
        ):
            coordinators.setdefault((task.ref, task.unit_id), set()).add(code)
    assert people == {("1.2", "Lê Hùng"), ("1.3", "Nguyễn Hữu Thắng")}
    by_ref = {ref: sorted(codes) for (ref, _), codes in coordinators.items() if ref in ("6.2", "8.2")}
    assert by_ref == {"6.2": ["QLCN", "QLKH", "VP"], "8.2": ["QLCN", "TTCGCN"]}
    assert [codes for (ref, _), codes in coordinators.items() if ref == "7.1"] == [{"KHTC"}, {"KHTC"}]


def test_deadlines_become_the_moment_work_is_due(runtime, settings, directory):
    imported(runtime, settings)
    due = {ref: rows[0][0].due_at for ref, rows in tasks_by_ref(runtime).items()}
    assert due["1.1"] == datetime(2025, 2, 21, 17, 0, tzinfo=ZONE)  # "trong ngày 21/02"
    assert due["1.5"] == datetime(2025, 2, 21, 0, 0, tzinfo=ZONE)  # "trước ngày 21/02": by the 20th
    assert due["2.1"] == datetime(2025, 2, 18, 13, 30, tzinfo=ZONE)  # meeting at 13h30
    assert due["3.1"] == datetime(2025, 3, 10, 17, 0, tzinfo=ZONE)  # "đầu tháng 3"
    assert due["1.2"] is None
    task = tasks_by_ref(runtime)["2.3"][0][0]
    assert (task.deadline_kind, task.deadline_date, task.deadline_time) == ("meeting", date(2025, 2, 18), "07:30")


def test_importing_the_same_notice_again_changes_nothing(runtime, settings, directory, tmp_path):
    first = imported(runtime, settings)
    before = row_counts(runtime)
    again = imported(runtime, settings)
    # The same notice saved again by another editor: Windows line ends, a byte-order mark.
    resaved = tmp_path / "thong-bao (ban sao).txt"
    resaved.write_bytes(b"\xef\xbb\xbf" + SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    copy = imported(runtime, settings, resaved)
    assert (again.created, copy.created) == (False, False)
    assert again.notice_id == copy.notice_id == first.notice_id
    assert again.task_ids == first.task_ids
    assert row_counts(runtime) == before


def test_publishing_makes_tasks_live_once(runtime, settings, directory):
    report = imported(runtime, settings)
    now = utcnow()
    with runtime.session() as session:
        assert publish_notice(session, report.notice_id, settings, now) == 20
    after_first = row_counts(runtime)
    with runtime.session() as session:
        assert publish_notice(session, report.notice_id, settings, utcnow()) == 0
        assert all(t.published for t in session.exec(select(Task)))
        assert session.get(Notice, report.notice_id).published_at == now
        published = session.exec(select(TaskEvent.task_id).where(TaskEvent.action == "published")).all()
    assert sorted(published) == sorted(report.task_ids)
    assert after_first["reminder"] > 0
    assert row_counts(runtime) == after_first


def test_what_cannot_be_resolved_is_stored_and_reported(runtime, settings, directory):
    text = (
        SEED.read_text(encoding="utf-8")
        .replace("8. Chi đoàn Thanh niên", "8. Phòng Tổ chức cán bộ")
        .replace("Giao đồng chí Lê Hùng", "Giao đồng chí Lê Văn Tèo")
    )
    with runtime.session() as session:
        report = import_notice(session, read_notice_text(text), source_name="sửa.txt", settings=settings)
    rows = tasks_by_ref(runtime)
    assert [code for _, code in rows["8.1"]] == [None]
    assert rows["8.1"][0][0].unit_raw == "Phòng Tổ chức cán bộ"
    assert rows["1.2"][0][0].assignees_raw == ["Lê Văn Tèo"]
    with runtime.session() as session:
        warnings = session.get(Notice, report.notice_id).warnings
        assert session.exec(select(TaskAssignee).where(TaskAssignee.task_id == rows["1.2"][0][0].id)).all() == []
    assert warnings == report.warnings
    assert not any("đã có thông báo" in w for w in warnings)
    assert any("8.1" in w and "Phòng Tổ chức cán bộ" in w for w in warnings)
    assert any("1.2" in w and "Lê Văn Tèo" in w for w in warnings)


def test_a_different_text_for_the_same_meeting_is_stored_with_a_warning(runtime, settings, directory):
    first = imported(runtime, settings)
    edited = SEED.read_text(encoding="utf-8").replace("rà soát, hệ thống", "rà soát kỹ, hệ thống")
    with runtime.session() as session:
        second = import_notice(session, read_notice_text(edited), source_name="sửa.txt", settings=settings)
    assert second.created and second.notice_id != first.notice_id
    assert f"đã có thông báo số {first.notice_id} của cuộc họp ngày 17/02/2025" in second.warnings[-1]


def test_without_a_directory_nothing_is_stored(runtime, settings):
    before = row_counts(runtime)
    with pytest.raises(ImportRefused, match="directory load"):
        imported(runtime, settings)
    assert row_counts(runtime) == before


def test_the_review_plan_matches_what_is_stored(runtime, settings, directory):
    parsed = read_notice(SEED)
    with runtime.session() as session:
        report = import_notice(session, parsed, source_name=SEED.name, settings=settings)
        stored = [session.get(Task, task_id) for task_id in report.task_ids]
    assert [(p.ref, p.unit.id if p.unit else None, p.due_at) for p in report.tasks] == [
        (t.ref, t.unit_id, t.due_at) for t in stored
    ]
