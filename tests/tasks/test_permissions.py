"""Who may close, read and decide on a task: the rules alone, then as they read the directory."""

from __future__ import annotations

from storage.models import Officer, Task
from tasks import permissions
from tests.handlers import factories as f

QLCN, VP, BGD = 3, 2, 1


def officer(id: int, role: str, unit_id: int) -> Officer:
    return Officer(id=id, full_name=f"#{id}", role=role, unit_id=unit_id)


TASK = Task(id=7, notice_id=1, ref="1", unit_id=QLCN, unit_raw="QLCN", text="Rà soát quy chế")
GIVEN_TO = {10}  # a member of QLCN


def test_those_who_answer_for_a_task_may_close_it_and_no_one_else():
    assert permissions.may_close(officer(10, "member", QLCN), TASK, GIVEN_TO)  # given the task
    assert permissions.may_close(officer(11, "head", QLCN), TASK, GIVEN_TO)  # the head of its unit
    assert permissions.may_close(officer(1, "leader", BGD), TASK, GIVEN_TO)
    assert permissions.may_close(officer(2, "admin", VP), TASK, GIVEN_TO)
    assert not permissions.may_close(officer(12, "member", QLCN), TASK, GIVEN_TO)  # a colleague not given it
    assert not permissions.may_close(officer(20, "head", VP), TASK, GIVEN_TO)  # the head of another unit
    assert not permissions.may_close(officer(21, "member", VP), TASK, GIVEN_TO)


def test_a_coordinating_unit_may_read_the_task_but_not_close_it():
    helper = officer(21, "member", VP)
    assert permissions.may_view(helper, TASK, GIVEN_TO, {VP})
    assert not permissions.may_view(helper, TASK, GIVEN_TO, set())
    assert not permissions.may_close(helper, TASK, GIVEN_TO)


def test_units_are_seen_by_their_own_people_leaders_and_admins():
    assert permissions.may_view_unit(officer(12, "member", QLCN), QLCN)
    assert not permissions.may_view_unit(officer(12, "member", QLCN), VP)
    assert permissions.may_view_unit(officer(1, "leader", BGD), VP)


def test_extensions_are_decided_by_those_asked_and_by_any_leader():
    assert permissions.may_decide(officer(20, "head", VP), {20})
    assert permissions.may_decide(officer(1, "leader", BGD), set())
    assert not permissions.may_decide(officer(11, "head", QLCN), {20})


def test_the_office_head_decides_and_so_may_read_any_task(runtime, directory):
    """The sample directory has no admin: the head of the Văn phòng decides extensions."""
    with runtime.session() as session:
        task = f.task(session, "QLKH", "Khảo sát nhu cầu đặt hàng", deadline=f.days(5))
        nhung, binh = f.officer(session, "Trần Thị Nhung"), f.officer(session, "Phạm Thị Bình")
        assert "Trần Thị Nhung" in [o.full_name for o in permissions.deciders(session, task)]
        assert permissions.is_decider(session, nhung) and not permissions.is_decider(session, binh)
        assert permissions.may_see(session, nhung, task)
        assert not permissions.may_see(session, binh, task)  # another unit, not coordinating


def test_listed_tasks_offer_closing_only_where_it_is_allowed(runtime, directory):
    with runtime.session() as session:
        own = f.task(session, "VP", "Tổng hợp báo cáo tháng", deadline=f.days(5), assignees=("Lê Hùng",))
        unit = f.task(session, "VP", "Bố trí phòng làm việc", deadline=f.days(4))
        other = f.task(session, "QLCN", "Dự thảo đề cương", deadline=f.days(2), coordinators=("VP",))
        hung, nhung = f.officer(session, "Lê Hùng"), f.officer(session, "Trần Thị Nhung")
        assert permissions.closable(session, hung, [own, unit, other]) == [own.id]
        assert permissions.closable(session, nhung, [own, unit, other]) == [own.id, unit.id]


def test_who_may_hand_a_task_out_and_which_part():
    head = officer(11, "head", QLCN)
    assert permissions.delegable_units(head, TASK, set()) == {QLCN}
    assert permissions.delegable_units(officer(20, "head", VP), TASK, {VP}) == {VP}  # a coordinating unit's share
    assert permissions.delegable_units(officer(20, "head", VP), TASK, set()) == set()
    assert permissions.delegable_units(officer(1, "leader", BGD), TASK, {VP}) == {QLCN, VP}
    assert permissions.delegable_units(officer(10, "member", QLCN), TASK, set()) == set()


def test_progress_is_reported_by_those_who_may_close_and_by_coordinating_units():
    assert permissions.may_report(officer(10, "member", QLCN), TASK, GIVEN_TO, set())
    assert permissions.may_report(officer(21, "member", VP), TASK, GIVEN_TO, {VP})
    assert not permissions.may_report(officer(12, "member", QLCN), TASK, GIVEN_TO, {VP})


def test_a_deadline_the_giam_doc_set_is_moved_only_by_the_director_or_one_the_settings_name(runtime, directory):
    with runtime.session() as session:
        task = f.task(session, "QLKH", "Khảo sát nhu cầu đặt hàng", deadline=f.days(5))
        unit = f.unit(session, "QLKH")
        unit.director_id = f.officer(session, "Nguyễn Hữu Thắng").id
        session.add(unit)
        session.flush()
        approvers = permissions.deadline_approvers(session, task, runtime.settings)
        assert [o.full_name for o in approvers] == ["Nguyễn Hữu Thắng"]
        named = runtime.settings.with_overrides(extension_approvers="Trần Ngọc Lâm, Không Có Ai")
        assert [o.full_name for o in permissions.deadline_approvers(session, task, named)] == [
            "Nguyễn Hữu Thắng", "Trần Ngọc Lâm"]
        assert not permissions.may_approve(f.officer(session, "Trần Thị Nhung"), {o.id for o in approvers})
