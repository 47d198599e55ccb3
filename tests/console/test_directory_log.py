"""Danh bạ (who is linked, who cannot be reached, CSV upload all or nothing) and Nhật ký gửi (filters, pages)."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlmodel import select

from storage.models import Officer, Unit, utcnow
from tests.fixtures.console import messages, table_rows, upload
from tests.fixtures.db import both_databases
from zalo.messages import Outgoing
from zalo.outbox import enqueue

pytestmark = both_databases


def snapshot(runtime):
    with runtime.session(read_only=True) as session:
        units = [(u.code, u.name, tuple(u.aliases), u.kind) for u in session.exec(select(Unit).order_by(Unit.id))]
        officers = [(o.full_name, o.title, o.unit_id, o.role, o.phone, o.zalo_user_id)
                    for o in session.exec(select(Officer).order_by(Officer.id))]
    return units, officers


def officer_rows(client) -> dict[str, list[str]]:
    rows = table_rows(client.get("/console/directory").get_data(as_text=True), "officers")
    return {row[0]: row for row in rows[1:] if len(row) == 7}


def test_the_directory_shows_who_is_linked_and_who_cannot_be_reached(client, runtime, directory):
    with runtime.session() as session:
        binh = session.exec(select(Officer).where(Officer.full_name == "Phạm Thị Bình")).one()
        binh.unreachable_since = utcnow() - timedelta(days=3)
        nhung = session.exec(select(Officer).where(Officer.full_name == "Trần Thị Nhung")).one()
        nhung.last_interaction_at = utcnow() - timedelta(hours=2)
    rows = officer_rows(client)
    assert len(rows) == len((directory / "officers.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert rows["Hoàng Minh Châu"][4] == "Chưa liên kết" and "chưa liên kết Zalo" in rows["Hoàng Minh Châu"][6]
    assert rows["Trần Thị Nhung"][4] == "Đã liên kết" and rows["Trần Thị Nhung"][6] == "—"
    assert rows["Trần Thị Nhung"][5] != "—"
    since = (utcnow() - timedelta(days=3)).astimezone(runtime.settings.zone)
    assert rows["Phạm Thị Bình"][6].startswith("đã chặn hoặc bỏ theo dõi OA") and f"{since:%d/%m/%Y}" in rows["Phạm Thị Bình"][6]


def directory_upload(client, units: bytes, officers: bytes, units_name="units.csv"):
    return upload(client, name=units_name, data=units, field="units", to="/console/directory",
                  extra={"officers": (io.BytesIO(officers), "officers.csv")})


def test_a_bad_directory_file_changes_nothing(client, runtime, directory):
    before = snapshot(runtime)
    units = (directory / "units.csv").read_bytes() + "HTQT,Phòng Hợp tác Quốc tế,,department\n".encode()
    officers = (directory / "officers.csv").read_bytes() + "Mai Văn Mới,Chuyên viên,HTQT,thư ký,0900000099,\n".encode()
    response = directory_upload(client, units, officers)
    (error,) = messages(response.get_data(as_text=True))
    assert response.status_code == 400
    assert error.startswith("Không nạp được danh bạ, không có gì thay đổi.") and "officers.csv:15" in error, error
    assert "/tmp" not in error
    assert snapshot(runtime) == before

    not_csv = directory_upload(client, b"code,name\n", b"x", units_name="units.xlsx")
    assert "không phải" in messages(not_csv.get_data(as_text=True))[0]
    assert snapshot(runtime) == before

    too_large = directory_upload(client, b"a" * (21 * 1024 * 1024), b"x")  # past the app's limit: never read
    page = too_large.get_data(as_text=True)
    assert too_large.status_code == 413 and "lớn hơn 10 MB" in messages(page)[0]
    assert 'action="/console/directory"' in page and 'class="active" aria-current="page">Danh bạ<' in page
    assert snapshot(runtime) == before


def test_a_good_directory_file_adds_and_updates(client, runtime, directory):
    units = (directory / "units.csv").read_bytes() + "HTQT,Phòng Hợp tác Quốc tế,,department\n".encode()
    officers = (directory / "officers.csv").read_bytes() + "Mai Văn Mới,Chuyên viên,HTQT,member,0900000099,\n".encode()
    response = directory_upload(client, units, officers)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "đơn vị thêm 1" in messages(page, "ok")[0] and "cán bộ thêm 1" in messages(page, "ok")[0]
    assert officer_rows(client)["Mai Văn Mới"][4] == "Chưa liên kết"


def queue(runtime, specs):
    """specs: (officer name, kind, status, error) in the order they were queued."""
    with runtime.session() as session:
        people = {o.full_name: o for o in session.exec(select(Officer))}
        base = utcnow() - timedelta(hours=len(specs))
        for n, (name, kind, status, error) in enumerate(specs):
            officer = people[name]
            message = enqueue(session, f"test:{n}", Outgoing(officer.zalo_user_id or f"unlinked-{n}",
                                                             f"Tin số {n}", officer_id=officer.id, kind=kind))
            message.created_at = base + timedelta(hours=n)
            message.status, message.last_error = status, error
            message.sent_at = message.created_at + timedelta(seconds=2) if status == "sent" else None


def log_rows(client, **query) -> list[list[str]]:
    return table_rows(client.get("/console/deliveries", query_string=query).get_data(as_text=True), "log")[1:]


def test_the_delivery_log_filters_by_status_name_and_kind(client, runtime, directory):
    queue(runtime, [
        ("Phạm Thị Bình", "reminder", "sent", None),
        ("Lê Hùng", "reply", "failed", "Zalo -213: người dùng chưa quan tâm OA"),
        ("Phạm Thị Bình", "summary", "held", None),
        ("Đặng Quốc Huy", "reminder", "uncertain", "the sender stopped while sending"),
        ("Lê Hùng", "reminder", "pending", None),
    ])
    everything = log_rows(client)
    assert [row[6] for row in everything] == [f"Tin số {n}" for n in (4, 3, 2, 1, 0)]  # newest first

    (failed,) = log_rows(client, status="failed")
    assert failed[1].startswith("Lê Hùng") and failed[3] == "Thất bại" and "-213" in failed[7]
    assert [r[6] for r in log_rows(client, name="pham thi binh")] == ["Tin số 2", "Tin số 0"]  # without diacritics
    assert [r[6] for r in log_rows(client, name="PHẠM THỊ BÌNH", kind="summary")] == ["Tin số 2"]
    assert [r[6] for r in log_rows(client, kind="reminder")] == ["Tin số 4", "Tin số 3", "Tin số 0"]
    assert [r[3] for r in log_rows(client, status="held")] == ["Đang giữ"]
    assert log_rows(client, name="không có ai") == []
    assert len(log_rows(client, status="bogus")) == 5  # an unknown status is no filter


def test_the_delivery_log_pages_through_older_messages(client, runtime, directory):
    queue(runtime, [("Lê Hùng", "reply", "sent", None)] * 55)
    first = client.get("/console/deliveries").get_data(as_text=True)
    assert len(table_rows(first, "log")) == 51 and "Trang 1/2" in first
    second = log_rows(client, page=2)
    assert [r[6] for r in second] == [f"Tin số {n}" for n in (4, 3, 2, 1, 0)]
    assert len(log_rows(client, page=9)) == 5  # past the end: the last page


def test_a_message_left_uncertain_for_an_hour_can_be_sent_again_and_the_admins_are_told(client, runtime, directory):
    from scheduler.summaries import summary_messages
    from storage.models import OutboxMessage
    from tests.fixtures.console import post_form

    queue(runtime, [("Đặng Quốc Huy", "reminder", "uncertain", "read-back failed: HTTP 503"),
                    ("Lê Hùng", "reminder", "uncertain", "HTTP 500")])
    with runtime.session() as session:
        first, second = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        first.uncertain_since = utcnow() - timedelta(minutes=61)  # Zalo's trouble has lasted over an hour
        second.uncertain_since = utcnow() - timedelta(minutes=5)  # still being checked: no button yet
        session.add_all([first, second])
    page = client.get("/console/deliveries", query_string={"status": "uncertain"}).get_data(as_text=True)
    assert page.count(">Gửi lại</button>") == 1 and f"/deliveries/{first.id}/resend" in page
    early = post_form(client, f"/console/deliveries/{second.id}/resend", follow_redirects=True).get_data(as_text=True)
    assert messages(early) == [f"Tin {second.id} không ở trạng thái chờ gửi lại. Không có gì thay đổi."]
    answer = post_form(client, f"/console/deliveries/{first.id}/resend", follow_redirects=True).get_data(as_text=True)
    assert messages(answer, "ok") == [f"Đã xếp tin {first.id} để gửi lại."]
    with runtime.session(read_only=True) as session:
        assert [m.status for m in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))] == \
            ["pending", "uncertain"]

    with runtime.session() as session:  # an hour later the second is still unsettled
        row = session.get(OutboxMessage, second.id)
        row.uncertain_since = utcnow() - timedelta(hours=2)
        session.add(row)
    summary_messages(runtime, utcnow(), "test")
    with runtime.session(read_only=True) as session:
        summaries = {m.officer_id: m.text for m in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "summary"))}
        office = {o.id for o, u in session.exec(select(Officer, Unit).join(Unit, Unit.id == Officer.unit_id))
                  if o.role == "admin" or (o.role == "head" and u.kind == "office")}
    told = {officer_id for officer_id, text in summaries.items() if "Có 1 tin Zalo chưa xác nhận" in text}
    assert told and told <= office  # the office's admins, no one else
    assert not any("chưa xác nhận" in text for officer_id, text in summaries.items() if officer_id not in told)


def test_the_directory_tells_where_each_officer_stands_and_the_months_messages_by_way(client, runtime, directory):
    now = utcnow()
    with runtime.session() as session:
        people = {o.full_name: o for o in session.exec(select(Officer))}
        for name, ago in (("Lê Hùng", timedelta(hours=3)), ("Phạm Thị Bình", timedelta(days=3)),
                          ("Đặng Quốc Huy", timedelta(days=9))):
            people[name].last_interaction_at = now - ago
            session.add(people[name])
        for n, channel in enumerate(("text", "text", "billed", "template", "zns")):
            message = enqueue(session, f"m{n}", Outgoing("x", "Tin", officer_id=people["Lê Hùng"].id))
            message.status, message.channel, message.sent_at = "sent", channel, now
    rows = officer_rows(client)
    assert "Nhắn miễn phí đến" in rows["Lê Hùng"][5]
    assert "Nhắn tính phí đến" in rows["Phạm Thị Bình"][5]
    assert "Ngoài 7 ngày, tin đang giữ đến khi nhắn lại, từ" in rows["Đặng Quốc Huy"][5]
    assert "Chưa liên kết: không nhận được tin" in rows["Lý Văn Nam"][5]
    linked_but_silent = next(name for name, o in people.items()
                             if o.zalo_user_id and o.active and o.last_interaction_at is None)
    assert "Chưa nhắn cho OA lần nào: tin đang giữ đến khi nhắn lại" in rows[linked_but_silent][5]
    assert not rows[linked_but_silent][5].endswith("từ")
    page = " ".join(client.get("/console/directory").get_data(as_text=True).split())
    assert ("Tháng này đã gửi: 2 tin miễn phí, 1 tin tính phí (48 giờ đến 7 ngày sau lần nhắn cuối), "
            "1 tin mẫu Zalo, 1 tin mẫu qua số điện thoại.") in page


def test_a_large_directory_comes_a_few_units_a_page_with_a_unit_and_a_name_to_filter(client, runtime, directory):
    with runtime.session() as session:
        for n in range(12):
            unit = Unit(code=f"pb{n:02d}", name=f"Phòng Thử {n:02d}", aliases=[], kind="department")
            session.add(unit)
            session.flush()
            session.add_all([Officer(full_name=f"Cán Bộ {n:02d}-{k:02d}", title="Chuyên viên", unit_id=unit.id,
                                     role="member") for k in range(30)])
        session.add(Officer(full_name="Đỗ Thị Hiếm", title="Chuyên viên", unit_id=unit.id, role="member"))
        total = len(session.exec(select(Officer)).all())
        units = len(session.exec(select(Unit)).all())

    first = client.get("/console/directory").get_data(as_text=True)
    counts = " ".join(first.split())
    assert f"{units} đơn vị · {total} cán bộ ·" in counts
    assert 'Trang 1/' in first and 'rel="next"' in first
    seen, page = set(), 1
    while True:
        html = client.get(f"/console/directory?page={page}").get_data(as_text=True)
        rows = [row[0] for row in table_rows(html, "officers")[1:] if len(row) == 7]
        assert 0 < len(rows) <= 100
        assert not seen & set(rows)  # no one twice
        seen |= set(rows)
        if 'rel="next"' not in html:
            break
        page += 1
    assert len(seen) == total and page > 1

    one_unit = client.get(f"/console/directory?unit={unit.id}").get_data(as_text=True)
    rows = [row[0] for row in table_rows(one_unit, "officers")[1:] if len(row) == 7]
    assert len(rows) == 31 and "Trang 1/" not in one_unit

    for spelling in ("Đỗ Thị Hiếm", "do thi hiem", "DO THI HIEM"):
        found = client.get("/console/directory", query_string={"q": spelling}).get_data(as_text=True)
        assert [row[0] for row in table_rows(found, "officers")[1:] if len(row) == 7] == ["Đỗ Thị Hiếm"]
    nobody = client.get("/console/directory?q=khong+co+ai").get_data(as_text=True)
    assert "Không có cán bộ nào khớp bộ lọc." in nobody and f"{total} cán bộ" in " ".join(nobody.split())
    assert client.get("/console/directory?page=999&unit=abc").status_code == 200
