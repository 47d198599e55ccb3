"""«Báo cáo kết quả thực hiện Thông báo kết luận tuần N» as a .docx, in the administrative style of
Nghị định 30/2020/NĐ-CP (docs/console.md, reports), ready for the office to number and sign.

A4, margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New Roman 13 (14 for the
title); the heading of the issuing body and the national motto side by side; number and symbol
("Số:      /BC-…", the number left for the clerk's register); place and date; the report's
abstract; the body; "Nơi nhận" and the signer's authority, title and name. Pure: data in,
document out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from console.report_data import ReportRow, UnitSummary
from console.statuses import DOING, DONE_LATE, DONE_ON_TIME, LATE, ON_TIME
from tasks.wording import dated, say_date

FONT = "Times New Roman"


@dataclass(frozen=True)
class Letterhead:
    parent: str  # "UBND TỈNH QUẢNG TRỊ"
    body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    symbol: str  # "SKHCN"
    place: str  # "Quảng Trị"
    signer_authority: str  # "TL. GIÁM ĐỐC"
    signer_title: str  # "CHÁNH VĂN PHÒNG"
    signer_name: str


@dataclass(frozen=True)
class NoticeFacts:
    label: str  # "Thông báo kết luận tuần 7/2025"
    week: int | None
    year: int | None
    number: str | None
    symbol: str | None
    issued_on: date | None
    meeting_on: date | None
    chair: str | None



def _run(paragraph, text: str, *, bold=False, italic=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _line(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **style):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _heading(document, head: Letterhead, today: date) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    _line(left, head.parent.upper(), first=True, size=13)
    _line(left, head.body.upper(), bold=True, size=13)
    _line(left, "_______")
    _line(left, f"Số:        /BC-{head.symbol}", size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True, size=12)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _line(right, "_______________________")
    _line(right, dated(head.place, today), italic=True, size=13)


def _count_line(total: UnitSummary) -> str:
    c = total.counts
    return (f"Tổng số nhiệm vụ được giao: {total.total}; đã hoàn thành {total.done} (đúng hạn {c[DONE_ON_TIME]}, "
            f"trễ hạn {c[DONE_LATE]}); đang thực hiện trong hạn {c[ON_TIME] + c[DOING]}; quá hạn chưa hoàn thành "
            f"{c[LATE]}.")


def _result(row: ReportRow, zone: ZoneInfo) -> str:
    parts = [f"Hoàn thành ngày {say_date(row.closed_at.astimezone(zone).date())}" if row.closed_at else row.status]
    if row.days_late:
        parts.append(f"trễ {row.days_late} ngày")
    if row.extensions:
        parts.append("gia hạn " + "; ".join(row.extensions))
    text = ", ".join(parts)
    text = f"{text}. {row.note}" if row.note else text
    return f"{text}. Tiến độ: {row.progress}" if row.progress else text


def _tasks_table(document, rows: list[ReportRow], zone: ZoneInfo) -> None:
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả"),
                           strict=True):
        _line(cell, title, first=True, bold=True, size=12)
    for number, row in enumerate(rows, start=1):
        deadline = row.deadline_raw or (say_date(row.last_day) if row.last_day else "Không ghi hạn")
        unit = f"{row.unit} (giao {row.delegated})" if row.delegated else row.unit
        values = (str(number), f"{row.text} (#{row.number})", unit, deadline, _result(row, zone))
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _line(cell, value, first=True, align=WD_ALIGN_PARAGRAPH.LEFT, size=12)
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1), Cm(7), Cm(3.3), Cm(2.7), Cm(2.5)), strict=True):
            cell.width = width


def _body(document, facts: NoticeFacts, rows: list[ReportRow], total: UnitSummary, today: date,
          zone: ZoneInfo) -> None:
    number = f"số {facts.number}/{facts.symbol}" if facts.number and facts.symbol else facts.symbol or ""
    issued = f" ngày {say_date(facts.issued_on)}" if facts.issued_on else ""
    meeting = f" tuần {facts.week} năm {facts.year}" if facts.week and facts.year else (
        f" ngày {say_date(facts.meeting_on)}" if facts.meeting_on else "")
    chair = f" của đồng chí {facts.chair}" if facts.chair else ""
    intro = (f"Thực hiện Thông báo {number}{issued} về kết luận{chair} tại Hội nghị trực báo{meeting}, Văn phòng Sở "
             f"tổng hợp kết quả thực hiện đến ngày {say_date(today)} như sau:")
    for text, style in ((intro, {}), ("I. TÌNH HÌNH CHUNG", {"bold": True}), (_count_line(total), {}),
                        ("II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", {"bold": True})):
        paragraph = _line(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, **style)
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_after = Pt(6)
    _tasks_table(document, rows, zone)
    late = [f"#{r.number}" for r in rows if r.status == "Quá hạn"]
    asks = (f"Đề nghị các phòng, đơn vị khẩn trương hoàn thành các nhiệm vụ quá hạn ({', '.join(late)}) và báo cáo "
            "kết quả về Văn phòng Sở." if late else "Các nhiệm vụ đều đang được thực hiện trong hạn hoặc đã hoàn thành.")
    for text, style in (("III. ĐỀ XUẤT, KIẾN NGHỊ", {"bold": True}), (asks, {}),
                        ("Văn phòng Sở kính báo cáo Giám đốc Sở xem xét, chỉ đạo./.", {})):
        paragraph = _line(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, **style)
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_before = Pt(6)


def _signature(document, head: Letterhead) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _line(left, "Nơi nhận:", first=True, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, italic=True, size=12)
    for line in ("- Giám đốc Sở (để báo cáo);", "- Các Phó Giám đốc Sở;", "- Các phòng, đơn vị thuộc Sở;",
                 "- Lưu: VT, VP."):
        _line(left, line, align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    _line(right, head.signer_authority, first=True, bold=True, size=13)
    _line(right, head.signer_title.upper(), bold=True, size=13)
    for _ in range(4):
        _line(right)
    _line(right, head.signer_name, bold=True, size=13)


def build_document(head: Letterhead, facts: NoticeFacts, rows: list[ReportRow], total: UnitSummary, today: date,
                   zone: ZoneInfo):
    document = Document()
    _setup(document)
    _heading(document, head, today)
    _line(document)
    _line(document, "BÁO CÁO", bold=True, size=14)
    week = f"tuần {facts.week}" if facts.week else facts.label.removeprefix("Thông báo kết luận ")
    _line(document, f"Kết quả thực hiện Thông báo kết luận {week}", bold=True, size=14)
    _line(document, "_______________")
    _body(document, facts, rows, total, today, zone)
    _line(document)
    _signature(document, head)
    document.core_properties.title = f"Báo cáo kết quả thực hiện Thông báo kết luận {week}"
    return document


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
