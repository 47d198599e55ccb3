"""Nhập thông báo: upload, review what was understood, publish; the same notice twice, bad files."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Notice, Task
from tests.conftest import SAMPLES
from tests.fixtures.console import messages, post_form, table_rows, upload
from tests.fixtures.db import both_databases

SEED = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"


def stored(runtime) -> tuple[list[Notice], list[Task]]:
    with runtime.session(read_only=True) as session:
        return session.exec(select(Notice)).all(), session.exec(select(Task).order_by(Task.id)).all()


def review_rows(client, location: str) -> dict[str, list[list[str]]]:
    rows: dict[str, list[list[str]]] = {}
    for row in table_rows(client.get(location).get_data(as_text=True), "review")[1:]:
        rows.setdefault(row[0].split()[0], []).append(row)
    return rows


@both_databases
def test_upload_review_and_publish_the_seed_notice(client, runtime, directory):
    response = upload(client, SEED)
    assert response.status_code == 302 and "/console/notices/" in response.headers["Location"]
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "chưa công bố" in review and 'id="publish-button"' in review
    (notice,), tasks = stored(runtime)
    assert notice.published_at is None and not any(t.published for t in tasks)

    rows = review_rows(client, response.headers["Location"])
    assert sum(map(len, rows.values())) == len(tasks)
    _ref, _text, unit, _people, deadline = rows["1.1"][0]
    assert unit == "Văn phòng Sở → Văn phòng Sở"
    assert deadline == "trong ngày 21/02/2025 → thứ Sáu 21/02/2025 17h"
    assert rows["1.2"][0][3] == "Lê Hùng" and rows["1.3"][0][3] == "Nguyễn Hữu Thắng"
    assert rows["1.5"][0][4] == "trước ngày 21/02/2025 → hết ngày thứ Năm 20/02/2025"
    assert rows["2.1"][0][2] == "Phòng Quản lý CN&ĐMST → Phòng Quản lý Công nghệ và Đổi mới sáng tạo"
    assert sorted(r[2].split(" → ")[1] for r in rows["7.1"]) == [
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
        "Trung tâm Nghiên cứu, Chuyển giao công nghệ và Đổi mới sáng tạo",
    ]

    published = post_form(client, f"/console/notices/{notice.id}/publish", page=response.headers["Location"])
    assert published.status_code == 302 and published.headers["Location"].endswith("/console/")
    dashboard = client.get("/console/").get_data(as_text=True)
    assert f"Đã công bố {len(tasks)} việc" in dashboard
    (notice,), tasks = stored(runtime)
    assert notice.published_at is not None and all(t.published for t in tasks)
    totals = table_rows(dashboard, "units")[-1]
    assert totals[0] == "Toàn Sở" and int(totals[1]) == len(tasks)

    again = post_form(client, f"/console/notices/{notice.id}/publish", page="/console/import")  # a stale tab
    assert "đã được công bố từ trước" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_the_same_notice_again_is_recognised_and_linked(client, runtime, directory):
    first = upload(client, SEED)
    second = upload(client, SEED, name="ban-sao.txt")
    assert second.status_code == 302 and second.headers["Location"].endswith("/console/import")
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "đã được nhập trước đây" in page and f'href="{first.headers["Location"]}"' in page
    notices, _ = stored(runtime)
    assert len(notices) == 1


def test_unresolved_units_and_people_are_highlighted(client, runtime, directory):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2. Phòng Quản lý CN&ĐMST", "2. Phòng Hợp tác Quốc tế", 1)
    text = text.replace("Giao đồng chí Lê Hùng", "Giao đồng chí Lê Văn Tám", 1)
    response = upload(client, name="thong-bao-sua.txt", data=text.encode("utf-8"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    rows = review_rows(client, response.headers["Location"])
    assert rows["2.1"][0][2] == "Phòng Hợp tác Quốc tế → chưa xác định"
    assert rows["1.2"][0][3] == "Lê Văn Tám (không có trong danh bạ)"
    assert 'class="flag" data-ref="2.1"' in page and 'class="flag" data-ref="1.2"' in page
    assert 'class="" data-ref="1.1"' in page
    warnings = page[page.index('id="warnings"'):page.index('id="review"')]
    assert "Lê Văn Tám" in warnings and "Phòng Hợp tác Quốc tế" in warnings


def test_bad_files_get_one_clear_line_and_nothing_is_stored(client, runtime, directory):
    cases = [
        ("danh-sach.xlsx", b"PK\x03\x04 not a notice", "không phải .txt, .md, .docx hay .pdf", 400),
        ("trong.txt", b"  \n", "trống", 400),
        ("qua-lon.txt", b"a" * (10 * 1024 * 1024 + 1), "lớn hơn 10 MB", 400),
        ("rat-lon.pdf", b"a" * (21 * 1024 * 1024), "lớn hơn 10 MB", 413),  # past the app's limit: never read
        ("thu-moi.txt", "Kính mời anh chị dự họp chi bộ.".encode(), "thu-moi.txt", 400),
        ("hong.pdf", b"%PDF-1.4 broken", "hong.pdf", 400),
    ]
    for name, data, says, status in cases:
        response = upload(client, name=name, data=data)
        (error,) = messages(response.get_data(as_text=True))
        assert response.status_code == status and says in error, (name, error)
        assert "/" not in error.replace("10 MB", ""), error  # the file's name, not where it was put
    assert stored(runtime) == ([], [])


def test_an_unknown_notice_is_a_plain_not_found(client):
    assert client.get("/console/notices/999").status_code == 404
