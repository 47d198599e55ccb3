"""Who is told of a change to a task, and the one line each reads: the rule alone."""

from __future__ import annotations

from datetime import date

from tasks.telling import CLOSED, DELEGATED, EXTENDED, PART_DONE, REFUSED, REOPENED, REVOKED, Change, Concerned, told

TODAY = date(2025, 2, 18)
HEAD, NAMED, HANDED, DELEGATOR, LEADER, OFFICE = 5, 4, 6, 7, 1, 3
PEOPLE = Concerned(heads=(HEAD,), named=(NAMED,), delegates=(HANDED,), delegators=(DELEGATOR, LEADER),
                   leaders=frozenset({LEADER}), deciders=(LEADER, OFFICE))


def lines(change: Change, people: Concerned = PEOPLE, **kw) -> dict[int, str]:
    return {t.officer_id: t.text for t in told(change, people, TODAY, **kw)}


def test_a_change_reaches_those_answering_for_the_task_once_but_not_its_maker_nor_leaders():
    closed = lines(Change(CLOSED, 9, "dự thảo Chính sách…", "Lê Hùng", NAMED, note="đã gửi"))
    assert closed == {who: "Việc #9 (dự thảo Chính sách…) đã được Lê Hùng báo xong: đã gửi."
                      for who in (HEAD, HANDED, DELEGATOR)}
    # Made on someone's behalf by the office (the console): every one of them hears, the leader not.
    office = lines(Change(REOPENED, 9, "dự thảo", "Văn phòng Sở"))
    assert set(office) == {HEAD, NAMED, HANDED, DELEGATOR}
    assert office[HEAD] == "Việc #9 (dự thảo) đã được Văn phòng Sở mở lại."


def test_the_officer_handed_a_task_reads_it_whole_the_others_one_line():
    handed = told(Change(DELEGATED, 9, "dự thảo", "Phạm Thị Bình", HEAD, to=(12,), to_names=("Hoàng Minh Châu",),
                         text="Hoàn thiện dự thảo", deadline="quá hạn 3 ngày"), PEOPLE, TODAY)
    [officer] = [t for t in handed if t.officer_id == 12]
    assert officer.handed and officer.text.splitlines() == [
        "Anh/chị được Phạm Thị Bình giao việc #9: Hoàn thiện dự thảo", "• Quá hạn 3 ngày",
        "Báo tiến độ: «tiến độ 9: nội dung»; khi hoàn thành: «xong 9»."]
    others = {t.officer_id: t.text for t in handed if t.officer_id != 12}
    assert set(others) == {NAMED, HANDED, DELEGATOR}  # not the head, who made the change
    assert others[NAMED] == "Phạm Thị Bình đã giao việc #9 (dự thảo) cho Hoàng Minh Châu."
    revoked = lines(Change(REVOKED, 9, "dự thảo", "Phạm Thị Bình", HEAD, to=(HANDED,), to_names=("Châu",)))
    assert revoked[HANDED] == "Phạm Thị Bình đã thu hồi việc #9 (dự thảo): anh/chị không cần theo dõi việc này nữa."


def test_a_decided_extension_reaches_the_other_deciders_and_on_approval_those_answering():
    approved = lines(Change(EXTENDED, 9, "dự thảo", "Trần Ngọc Lâm", LEADER, day=date(2025, 2, 28)),
                     told_already=frozenset({NAMED}))
    assert approved[OFFICE] == "Đề nghị gia hạn việc #9 (dự thảo) đã được Trần Ngọc Lâm duyệt."
    assert approved[HEAD] == "Việc #9 (dự thảo) đã được Trần Ngọc Lâm gia hạn đến thứ Sáu 28/02."
    assert NAMED not in approved and LEADER not in approved
    refused = lines(Change(REFUSED, 9, "dự thảo", "Trần Thị Nhung", OFFICE))
    assert refused == {LEADER: "Đề nghị gia hạn việc #9 (dự thảo) đã được Trần Thị Nhung từ chối."}


def test_a_coordinating_units_part_done():
    done = lines(Change(PART_DONE, 9, "dự thảo", "Hoàng Minh Châu", HANDED, unit="Phòng QLCN"))
    assert done[HEAD] == "Phòng QLCN đã xong phần phối hợp việc #9 (dự thảo) (Hoàng Minh Châu)."
    assert HANDED not in done
