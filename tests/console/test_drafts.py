"""A draft the office can fix: edit, split, merge, add and delete rows, delete the draft; «Công bố»
waits while a row has no unit or an unread deadline-like phrase, unless the row is ticked."""

from __future__ import annotations

from sqlmodel import select

from notices import read_notice_text
from notices.importer import import_notice
from storage.models import Notice, NoticeEvent, Task, TaskAssignee, TaskEvent, Unit
from tests.conftest import SAMPLES
from tests.fixtures.console import messages, officer_id, post_form, table_rows, unit_id, upload
from tests.fixtures.db import both_databases

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
IMPOSSIBLE = "trước ngày 30/02/2025"  # a deadline-like phrase the reader cannot read


def rows(client, notice_id: int) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for row in table_rows(client.get(f"/console/notices/{notice_id}").get_data(as_text=True), "review")[1:]:
        found.setdefault(row[0].split()[0], []).append(row)
    return found


def tasks_of(runtime, notice_id: int) -> dict[str, Task]:
    with runtime.session(read_only=True) as session:
        return {t.ref: t for t in session.exec(select(Task).where(Task.notice_id == notice_id, Task.status == "open"))}


def draft_with_unknown_unit(client, runtime) -> int:
    text = SEED.read_text(encoding="utf-8").replace("2. Phòng Quản lý CN&ĐMST", "2. Phòng Hợp tác Quốc tế", 1)
    response = upload(client, name="tuan-7.txt", data=text.encode())
    return int(response.headers["Location"].rsplit("/", 1)[1])


def choose_clerk(client, runtime, name: str = "Lê Hùng") -> int:
    with runtime.session(read_only=True) as session:
        clerk = officer_id(session, name)
    post_form(client, "/console/who", {"clerk": clerk})
    return clerk


@both_databases
def test_a_row_without_a_unit_blocks_publication_until_it_is_corrected(client, runtime, directory):
    notice_id = draft_with_unknown_unit(client, runtime)
    clerk = choose_clerk(client, runtime)
    page = client.get(f"/console/notices/{notice_id}").get_data(as_text=True)
    assert 'id="publish-button" disabled' in page and "Còn 3 việc chưa công bố được" in page
    refused = post_form(client, f"/console/notices/{notice_id}/publish", page=f"/console/notices/{notice_id}")
    assert "Chưa công bố" in messages(client.get(refused.headers["Location"]).get_data(as_text=True))[0]
    assert not any(t.published for t in tasks_of(runtime, notice_id).values())

    row = tasks_of(runtime, notice_id)["2.1"]
    with runtime.session(read_only=True) as session:
        qlcn, chau = unit_id(session, "QLCN"), officer_id(session, "Hoàng Minh Châu")
    form = {"text": row.text, "unit_id": qlcn, "people": [chau], "deadline_kind": "keep"}
    edited = post_form(client, f"/console/notices/{notice_id}/rows/{row.id}", form,
                       page=f"/console/notices/{notice_id}/rows/{row.id}/edit")
    assert messages(client.get(edited.headers["Location"]).get_data(as_text=True), "ok") == [f"Đã sửa việc #{row.id}."]
    fixed = rows(client, notice_id)["2.1"][0]
    assert fixed[2] == "Phòng Hợp tác Quốc tế → Phòng Quản lý Công nghệ và Đổi mới sáng tạo"  # the notice's words stay
    assert fixed[3] == "Hoàng Minh Châu"
    with runtime.session(read_only=True) as session:
        event = session.exec(select(TaskEvent).where(TaskEvent.task_id == row.id, TaskEvent.action == "amended")).one()
        assert event.actor_id == clerk and event.data["clerk"] == "Lê Hùng"
        assert event.data["changed"]["unit_id"] == [None, qlcn]

    for other in ("2.2", "2.3"):
        task = tasks_of(runtime, notice_id)[other]
        post_form(client, f"/console/notices/{notice_id}/rows/{task.id}", {"text": task.text, "unit_id": qlcn})
    assert 'id="publish-button" disabled' not in client.get(f"/console/notices/{notice_id}").get_data(as_text=True)
    published = post_form(client, f"/console/notices/{notice_id}/publish", page=f"/console/notices/{notice_id}")
    assert published.headers["Location"].endswith("/console/")
    assert all(t.published for t in tasks_of(runtime, notice_id).values())


def test_an_unread_deadline_is_shown_and_publishes_only_once_ticked(client, runtime, directory):
    seed = SEED.read_text(encoding="utf-8")
    line = next(line for line in seed.splitlines() if "quản trị; phối hợp" in line)  # task 1.2
    parsed = read_notice_text(seed.replace(line, line.rstrip(".") + f"; báo cáo kết quả {IMPOSSIBLE}."))
    assert parsed.tasks[1].unread_deadlines and parsed.tasks[1].deadline is None
    with runtime.session() as session:
        notice_id = import_notice(session, parsed, source_name="tuan-7.txt", settings=runtime.settings).notice_id
    page = client.get(f"/console/notices/{notice_id}").get_data(as_text=True)
    warnings = page[page.index('id="warnings"'):page.index('id="review"')]
    assert IMPOSSIBLE in warnings and "1.2" in warnings
    assert 'id="publish-button" disabled' in page
    row = tasks_of(runtime, notice_id)["1.2"]
    ticked = post_form(client, f"/console/notices/{notice_id}/publish", {"checked": [str(row.id)]},
                       page=f"/console/notices/{notice_id}")
    assert ticked.headers["Location"].endswith("/console/")
    with runtime.session(read_only=True) as session:
        assert session.exec(select(TaskEvent).where(TaskEvent.task_id == row.id,
                                                    TaskEvent.action == "checked")).one()
        assert session.get(Task, row.id).published


def test_split_merge_add_and_delete_rows(client, runtime, directory):
    response = upload(client, SEED)
    notice_id = int(response.headers["Location"].rsplit("/", 1)[1])
    before = tasks_of(runtime, notice_id)
    first = before["1.1"]
    post_form(client, f"/console/notices/{notice_id}/rows/{first.id}/split",
              {"first": "Rà soát các tiêu chí chấm điểm cải cách hành chính.",
               "second": "Trình Giám đốc Sở bảng tiêu chí hoàn thành nhiệm vụ."})
    after = tasks_of(runtime, notice_id)
    assert after["1.1"].text == "Rà soát các tiêu chí chấm điểm cải cách hành chính."
    assert after["1.1b"].text == "Trình Giám đốc Sở bảng tiêu chí hoàn thành nhiệm vụ."
    assert after["1.1b"].deadline_raw == first.deadline_raw and after["1.1b"].unit_id == first.unit_id

    merge = [after["1.3"].id, after["1.4"].id]
    post_form(client, f"/console/notices/{notice_id}/merge", {"merge": [str(i) for i in merge]})
    merged = tasks_of(runtime, notice_id)
    assert "1.4" not in merged and merged["1.3"].text == f"{before['1.3'].text} {before['1.4'].text}"
    with runtime.session(read_only=True) as session:
        gone = session.get(Task, merge[1])
        assert gone.status == "cancelled" and not gone.published
        people = set(session.exec(select(TaskAssignee.officer_id).where(TaskAssignee.task_id == merge[0])))
        assert officer_id(session, "Nguyễn Hữu Thắng") in people

    with runtime.session(read_only=True) as session:
        vp = unit_id(session, "VP")
    added = post_form(client, f"/console/notices/{notice_id}/rows",
                      {"ref": "1.7", "text": "Chuẩn bị phòng họp cho Hội nghị tổng kết.", "unit_id": vp,
                       "deadline_kind": "on", "deadline_date": "2025-02-28"})
    assert "Đã thêm việc" in messages(client.get(added.headers["Location"]).get_data(as_text=True), "ok")[0]
    new = tasks_of(runtime, notice_id)["1.7"]
    assert (new.deadline_kind, str(new.deadline_date), new.due_at is not None) == ("on", "2025-02-28", True)

    post_form(client, f"/console/notices/{notice_id}/rows/{new.id}/delete")
    assert "1.7" not in tasks_of(runtime, notice_id)
    bad = post_form(client, f"/console/notices/{notice_id}/rows", {"ref": "", "text": "x", "unit_id": vp})
    assert "Không có gì thay đổi" in messages(client.get(bad.headers["Location"]).get_data(as_text=True))[0]
    wrong_day = post_form(client, f"/console/notices/{notice_id}/rows/{first.id}",
                          {"text": "x", "unit_id": vp, "deadline_kind": "period", "deadline_date": "2025-02-01",
                           "deadline_start": "2025-03-01"})
    assert "Không có gì thay đổi" in messages(client.get(wrong_day.headers["Location"]).get_data(as_text=True))[0]


@both_databases
def test_a_deleted_draft_leaves_the_list_and_its_file_can_come_again(client, runtime, directory):
    notice_id = int(upload(client, SEED).headers["Location"].rsplit("/", 1)[1])
    post_form(client, f"/console/notices/{notice_id}/discard")
    assert client.get(f"/console/notices/{notice_id}").status_code == 404
    assert f'href="/console/notices/{notice_id}"' not in client.get("/console/import").get_data(as_text=True)
    with runtime.session(read_only=True) as session:
        assert {t.status for t in session.exec(select(Task).where(Task.notice_id == notice_id))} == {"cancelled"}
        assert session.exec(select(NoticeEvent).where(NoticeEvent.notice_id == notice_id,
                                                      NoticeEvent.action == "discarded")).one()
    again = upload(client, SEED)
    assert again.status_code == 302 and f"/console/notices/{notice_id}" not in again.headers["Location"]
    with runtime.session(read_only=True) as session:
        assert len(session.exec(select(Notice)).all()) == 2


def test_a_published_notice_is_not_edited_as_a_draft(client, runtime, directory):
    notice_id = int(upload(client, SEED).headers["Location"].rsplit("/", 1)[1])
    post_form(client, f"/console/notices/{notice_id}/publish")
    task = tasks_of(runtime, notice_id)["1.1"]
    with runtime.session(read_only=True) as session:
        unit = session.exec(select(Unit.id).where(Unit.code == "QLKH")).one()
    refused = post_form(client, f"/console/notices/{notice_id}/rows/{task.id}", {"text": "khác", "unit_id": unit})
    assert "đã công bố" in messages(client.get(refused.headers["Location"]).get_data(as_text=True))[0]
    assert tasks_of(runtime, notice_id)["1.1"].text == task.text
    assert client.get(f"/console/notices/{notice_id}/rows/{task.id}/edit").status_code == 404
