"""Files as they arrive: Word tables, e-mail encodings, and the files that are not notices."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from click.testing import CliRunner

from bot.commands.parsing import parse
from notices import NoticeError, read_notice
from tests.fixtures.notices import seed_text, write_image_pdf


def test_a_table_of_tasks_in_a_word_file(tmp_path):
    document = docx.Document()
    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Kết luận của Giám đốc Sở tại Hội nghị giao ban ngày 17/02/2025")
    document.add_paragraph("Giám đốc Sở kết luận như sau:")
    table = document.add_table(rows=1, cols=5)
    for cell, title in zip(table.rows[0].cells, ("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"), strict=True):
        cell.text = title
    rows = [
        ("1", "Rà soát tiêu chí chấm điểm cải cách hành chính", "Văn phòng Sở", "Các phòng, đơn vị", "21/02/2025"),
        ("2", "Sắp xếp phòng lưu trữ", "Văn phòng Sở", "", "Trước ngày 28/02/2025"),
        ("3", "Thanh tra kinh doanh xăng dầu", "Thanh tra Sở", "Phòng Quản lý TĐC", "Quý II/2025"),
        ("4", "Theo dõi, đôn đốc", "Thanh tra Sở", "", "Thường xuyên"),
    ]
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    path = tmp_path / "bang.docx"
    document.save(str(path))
    tasks = read_notice(path).tasks
    assert [(t.ref, t.unit) for t in tasks] == [
        ("1.1", "Văn phòng Sở"), ("1.2", "Văn phòng Sở"), ("2.1", "Thanh tra Sở"), ("2.2", "Thanh tra Sở"),
    ]
    assert tasks[0].text.startswith("Rà soát tiêu chí") and tasks[0].coordinating == ["Các phòng, đơn vị"]
    assert [(t.deadline.kind, t.deadline.date) if t.deadline else None for t in tasks] == [
        ("on", date(2025, 2, 21)), ("before", date(2025, 2, 28)), ("period", date(2025, 6, 30)), None,
    ]


def test_text_files_in_utf8_with_bom_or_utf16_read_the_same(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_text(seed_text(), encoding="utf-8")
    bom = tmp_path / "b.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + seed_text().replace("\n", "\r\n").encode())
    utf16 = tmp_path / "c.md"
    utf16.write_text(seed_text(), encoding="utf-16")
    expected = read_notice(plain).to_dict()
    assert read_notice(bom).to_dict() == expected == read_notice(utf16).to_dict()


def _bad_files(tmp_path):
    files = {}
    files["empty"] = tmp_path / "trong.txt"
    files["empty"].write_bytes(b"")
    files["blank"] = tmp_path / "trang.md"
    files["blank"].write_text("  \n\n \t\n")
    files["scan"] = write_image_pdf(tmp_path / "scan.pdf")
    files["not a notice"] = tmp_path / "thu.txt"
    files["not a notice"].write_text("Kính gửi anh chị,\nHẹn gặp lại tuần sau.\nTrân trọng!\n", encoding="utf-8")
    files["huge"] = tmp_path / "lon.txt"
    with files["huge"].open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    files["corrupt docx"] = tmp_path / "hong.docx"
    files["corrupt docx"].write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    files["docx that is not a zip"] = tmp_path / "gia.docx"
    files["docx that is not a zip"].write_bytes(b"this is not a word file at all")
    files["cp1258"] = tmp_path / "cu.txt"
    files["cp1258"].write_bytes(seed_text().encode("cp1258", errors="replace"))
    files["latin-1"] = tmp_path / "latin.txt"
    files["latin-1"].write_bytes("Thông báo: café à la carte".encode("latin-1", errors="replace"))
    files["old word"] = tmp_path / "cu.doc"
    files["old word"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    files["image"] = tmp_path / "anh.txt"
    files["image"].write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    files["broken pdf"] = tmp_path / "hong.pdf"
    files["broken pdf"].write_bytes(b"%PDF-1.4\n garbage")
    files["missing"] = tmp_path / "khong-co.txt"
    return files


BAD = {
    "empty": "rỗng", "blank": "rỗng", "scan": "không có lớp chữ", "not a notice": "không phải thông báo",
    "huge": "quá lớn", "corrupt docx": "bị hỏng", "docx that is not a zip": "bị hỏng", "cp1258": "UTF-8",
    "latin-1": "UTF-8", "old word": ".doc", "image": "là ảnh", "broken pdf": "PDF", "missing": "không tìm thấy",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gives_one_clear_line_and_a_failing_exit(tmp_path, case):
    path = _bad_files(tmp_path)[case]
    with pytest.raises(NoticeError) as error:
        read_notice(path)
    message = str(error.value)
    assert BAD[case] in message and "\n" not in message and message.startswith(path.name)
    result = CliRunner().invoke(parse, [str(path), "--json"])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"Error: {message}"]


NUMBERING = """
<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl>
</w:abstractNum>
"""
NUM = """<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">
<w:abstractNumId w:val="90"/></w:num>"""


def test_word_multilevel_numbering_is_read_as_written(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(NUM))

    def item(text, level):
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().set(qn("w:val"), str(level))
        num_pr.get_or_add_numId().set(qn("w:val"), "90")

    document.add_paragraph("THÔNG BÁO")
    document.add_paragraph("Kết luận của Giám đốc Sở tại Hội nghị giao ban ngày 03/3/2025")
    document.add_paragraph("Giám đốc Sở kết luận như sau:")
    item("Văn phòng Sở:", 0)
    item("Rà soát quy chế trước ngày 10/3/2025.", 2)
    item("Chuẩn bị hội nghị cán bộ.", 2)
    item("NHIỆM VỤ CỤ THỂ", 0)
    item("Thanh tra Sở:", 1)
    item("Thanh tra kinh doanh xăng dầu trong tháng 4/2025.", 2)
    item("Chi đoàn Thanh niên:", 1)
    item("Tổ chức Ngày thứ 7 tình nguyện.", 2)
    item("Phòng Kế hoạch - Tài chính: Lập dự toán trước 20/3/2025.", 0)
    path = tmp_path / "da-cap.docx"
    document.save(str(path))
    tasks = read_notice(path).tasks
    assert [(t.ref, t.unit) for t in tasks] == [
        ("I.1", "Văn phòng Sở"), ("I.2", "Văn phòng Sở"), ("II.1.1", "Thanh tra Sở"),
        ("II.2.1", "Chi đoàn Thanh niên"), ("III.1", "Phòng Kế hoạch - Tài chính"),
    ]
    assert tasks[0].deadline.date == date(2025, 3, 10) and tasks[-1].text == "Lập dự toán trước 20/3/2025."


def test_word_bullets_of_one_look_nest_by_their_indent(tmp_path):
    document = docx.Document()
    for line in ("THÔNG BÁO", "Kết luận của Giám đốc Sở tại Hội nghị giao ban ngày 03/3/2025", "Giám đốc Sở kết luận như sau:"):
        document.add_paragraph(line)
    document.add_paragraph("Phòng Kế hoạch - Tài chính:", style="List Number")
    document.add_paragraph("Lập dự toán bổ sung trước ngày 10/3/2025.", style="List Bullet")
    document.add_paragraph("Kiểm tra tài chính các đơn vị trực thuộc trong quý II/2025, cụ thể:", style="List Bullet")
    document.add_paragraph("Trung tâm Kỹ thuật TĐC trong tháng 4;", style="List Bullet 2")
    document.add_paragraph("Trung tâm CGCN&ĐMST trong tháng 5.", style="List Bullet 2")
    document.add_paragraph("Thanh tra Sở:", style="List Number")
    document.add_paragraph("Thanh tra kinh doanh xăng dầu.", style="List Bullet")
    path = tmp_path / "gach-dau-dong.docx"
    document.save(str(path))
    tasks = read_notice(path).tasks
    assert [(t.ref, t.unit) for t in tasks] == [
        ("1.1", "Phòng Kế hoạch - Tài chính"), ("1.2", "Phòng Kế hoạch - Tài chính"), ("2.1", "Thanh tra Sở"),
    ]
    assert tasks[1].text.splitlines()[1:] == ["◦ Trung tâm Kỹ thuật TĐC trong tháng 4;", "◦ Trung tâm CGCN&ĐMST trong tháng 5."]
