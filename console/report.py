"""The Excel report: every published task, and a summary per unit. Pure: rows in, workbook out."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from console.queries import TaskRow, UnitLoad

DATETIME = "dd/mm/yyyy hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F5")
LATE_FILL = PatternFill("solid", fgColor="FDE2E1")

# (header, width, value of a row)
TASK_COLUMNS = (
    ("Số", 7, lambda r: r.number),
    ("Thông báo", 26, lambda r: r.notice),
    ("Mục", 6, lambda r: r.ref),
    ("Đơn vị chủ trì", 30, lambda r: r.unit),
    ("Người được giao", 22, lambda r: ", ".join(r.people)),
    ("Nội dung", 70, lambda r: r.text),
    ("Hạn (như văn bản)", 26, lambda r: r.deadline_raw or ""),
    ("Hạn", 17, lambda r: r.due_at),
    ("Trạng thái", 17, lambda r: r.status),
    ("Người đóng", 20, lambda r: r.closed_by or ""),
    ("Đóng lúc", 17, lambda r: r.closed_at),
    ("Ghi chú", 30, lambda r: r.note or ""),
)
SUMMARY_COLUMNS = (
    ("Đơn vị", 44, lambda u: u.name),
    ("Tổng số", 10, lambda u: u.total),
    ("Đang mở", 10, lambda u: u.open),
    ("Quá hạn", 10, lambda u: u.overdue),
    ("Đến hạn tuần này", 17, lambda u: u.due_this_week),
    ("Hoàn thành 7 ngày qua", 22, lambda u: u.closed_recently),
    ("Đã hoàn thành", 14, lambda u: u.closed),
    ("Tỷ lệ hoàn thành", 16, lambda u: u.closed / u.total if u.total else None),
)


def _local(value, zone: ZoneInfo):
    """Excel has no time zones: aware instants become the office's wall clock."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None, microsecond=0)
    return value


def _sheet(ws, columns, rows, zone: ZoneInfo) -> None:
    ws.append([header for header, _, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_local(value(row), zone) for _, _, value in columns])
    for index, (_, width, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME


def build_workbook(tasks: list[TaskRow], loads: list[UnitLoad], total: UnitLoad, *, now: datetime,
                   zone: ZoneInfo, week: tuple[date, date]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    _sheet(sheet, TASK_COLUMNS, tasks, zone)
    for row, task in enumerate(tasks, start=2):
        sheet.cell(row, 1).number_format = '"#"0'
        if task.days_late:
            sheet.cell(row, 9).fill = LATE_FILL

    summary = workbook.create_sheet("Tổng hợp theo đơn vị")
    _sheet(summary, SUMMARY_COLUMNS, [*loads, total], zone)
    last = summary.max_row
    for cell in summary[last]:
        cell.font = Font(bold=True)
    for row in range(2, last + 1):
        summary.cell(row, len(SUMMARY_COLUMNS)).number_format = "0%"
    monday, sunday = week
    summary.append([])
    summary.append([f"Số liệu lúc {now.astimezone(zone):%H:%M ngày %d/%m/%Y}; tuần này: "
                    f"{monday:%d/%m}–{sunday:%d/%m/%Y}; chỉ tính nhiệm vụ đã công bố."])
    workbook.properties.title = "Nhắc Việc — báo cáo nhiệm vụ"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
