"""The Excel report: a title block, one row per task, a summary sheet per unit; set up to print on
A4 landscape with the header row on every page. Pure: rows in, workbook out.

Every text is written as text: a note beginning with "=" stays words, never a formula
(`_text`), and characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from console.report_data import ReportRow, UnitSummary
from console.statuses import LABELS
from tasks.wording import say_moment

DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F5")
LATE_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_ROW = 7  # below the title block; repeated on every printed page

# (header, width, value of a row)
TASK_COLUMNS = (
    ("Số", 7, lambda r: r.number),
    ("Thông báo", 24, lambda r: r.notice),
    ("Mục", 6, lambda r: r.ref),
    ("Đơn vị chủ trì", 26, lambda r: r.unit),
    ("Đơn vị phối hợp", 24, lambda r: "; ".join(r.coordinating)),
    ("Người được giao", 20, lambda r: ", ".join(r.people)),
    ("Người được giao lại", 18, lambda r: r.delegated),
    ("Nội dung", 60, lambda r: r.text),
    ("Hạn (như văn bản)", 24, lambda r: r.deadline_raw or ""),
    ("Hạn (ngày)", 12, lambda r: r.last_day),
    ("Trạng thái", 14, lambda r: r.status),
    ("Số ngày trễ", 9, lambda r: r.days_late),
    ("Gia hạn", 26, lambda r: "\n".join(r.extensions)),
    ("Tiến độ", 26, lambda r: r.progress),
    ("Người báo xong", 18, lambda r: r.closed_by or ""),
    ("Ngày xong", 16, lambda r: r.closed_at),
    ("Ghi chú", 28, lambda r: r.note or ""),
)
SUMMARY_COLUMNS = (
    ("Đơn vị", 44, lambda u: u.name),
    ("Tổng số", 9, lambda u: u.total),
    *((label, 12, lambda u, key=key: u.counts[key]) for key, label in LABELS.items()),
    ("Tỷ lệ hoàn thành", 14, lambda u: u.completion),
)


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _local(value, zone: ZoneInfo):
    """Excel has no time zones: aware instants become the office's wall clock."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None, microsecond=0)
    return value


def _put(ws: Worksheet, row: int, column: int, value, zone: ZoneInfo):
    cell = ws.cell(row, column)
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # a string is never read as a formula, whatever it starts with
    else:
        cell.value = _local(value, zone)
    if isinstance(cell.value, datetime):
        cell.number_format = DATETIME
    elif isinstance(cell.value, date):
        cell.number_format = DATE
    return cell


def _title(ws: Worksheet, lines: list[tuple[str, Font]], width: int, zone: ZoneInfo) -> None:
    for index, (text, font) in enumerate(lines, start=1):
        cell = _put(ws, index, 1, text, zone)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)


def _table(ws: Worksheet, columns, rows, zone: ZoneInfo) -> None:
    for index, (header, width, _) in enumerate(columns, start=1):
        cell = _put(ws, HEADER_ROW, index, header, zone)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    for offset, row in enumerate(rows, start=1):
        for index, (_, _, value) in enumerate(columns, start=1):
            cell = _put(ws, HEADER_ROW + offset, index, value(row), zone)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{HEADER_ROW + len(rows)}"


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, as wide as the page, the header row on every page."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_options.horizontalCentered = True


def title_lines(org: tuple[str, str], heading: str, scope: str, now: datetime, zone: ZoneInfo) -> list[tuple[str, Font]]:
    parent, name = org
    return [(parent, Font(bold=False, size=12)), (name, Font(bold=True, size=12)), (heading, Font(bold=True, size=14)),
            (scope, Font(italic=True, size=12)), (f"Lập lúc {say_moment(now, zone)}", Font(size=11))]


def build_workbook(rows: list[ReportRow], units: list[UnitSummary], total: UnitSummary, *, org: tuple[str, str],
                   scope: str, now: datetime, zone: ZoneInfo) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    _title(sheet, title_lines(org, "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", scope, now, zone), len(TASK_COLUMNS), zone)
    _table(sheet, TASK_COLUMNS, rows, zone)
    status_column = [h for h, _, _ in TASK_COLUMNS].index("Trạng thái") + 1
    for offset, row in enumerate(rows, start=1):
        sheet.cell(HEADER_ROW + offset, 1).number_format = '"#"0'
        if row.days_late:
            sheet.cell(HEADER_ROW + offset, status_column).fill = LATE_FILL
    _print_setup(sheet)

    summary = workbook.create_sheet("Tổng hợp theo đơn vị")
    _title(summary, title_lines(org, "TỔNG HỢP KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ", scope, now, zone),
           len(SUMMARY_COLUMNS), zone)
    _table(summary, SUMMARY_COLUMNS, [*units, total], zone)
    last = HEADER_ROW + len(units) + 1
    for cell in summary[last]:
        cell.font = Font(bold=True)
    for row in range(HEADER_ROW + 1, last + 1):
        summary.cell(row, len(SUMMARY_COLUMNS)).number_format = "0%"
    _put(summary, last + 2, 1, "Tỷ lệ hoàn thành = (Xong đúng hạn + Xong trễ) / Tổng số. «Hạn (ngày)» là ngày cuối "
                                "cùng được làm: «trước ngày 21/02» là hết ngày 20/02.", zone)
    _print_setup(summary)
    workbook.properties.title = "Nhắc Việc — báo cáo nhiệm vụ"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
