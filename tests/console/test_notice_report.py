"""«Báo cáo kết quả thực hiện Thông báo kết luận tuần N»: a .docx in the Sở's administrative style
(Nghị định 30/2020/NĐ-CP), read back with python-docx."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.shared import Pt
from sqlmodel import select

from storage.models import Task, utcnow
from tasks.wording import dated
from tests.fixtures.console import officer_id, post_form
from tests.fixtures.scheduler import publish_seed


def test_the_report_of_a_notice_is_ready_to_sign(client, runtime, office):
    notice_id = publish_seed(runtime, utcnow())
    with runtime.session() as session:
        task = session.exec(select(Task).where(Task.ref == "1.2")).one()
        hung = officer_id(session, "Lê Hùng")
    post_form(client, f"/console/tasks/{task.id}/close", {"authority": hung, "note": "đã vận hành OA"},
              page=f"/console/tasks/{task.id}")
    response = client.get(f"/console/notices/{notice_id}/report.docx")
    assert response.status_code == 200
    assert "bao-cao-ket-qua-tuan-7-2025.docx" in response.headers["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.data))

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.left_margin.cm, section.right_margin.cm, section.top_margin.cm, section.bottom_margin.cm)
    assert [round(m, 1) for m in margins] == [3.0, 1.5, 2.0, 2.0]  # within the decree's 30-35, 15-20, 20-25 mm
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert all(Pt(11) <= r.font.size <= Pt(14) for r in runs)

    heading = document.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert "UBND TỈNH QUẢNG TRỊ" in left and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in left and "Số:" in left and "/BC-SKHCN" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    today = utcnow().astimezone(runtime.settings.zone).date()
    assert dated("Quảng Trị", today) in right

    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "Kết quả thực hiện Thông báo kết luận tuần 7" in texts
    assert any(t.startswith("Tổng số nhiệm vụ được giao: ") and "đã hoàn thành 1" in t for t in texts)
    tasks = document.tables[1]
    assert [c.text for c in tasks.rows[0].cells] == ["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả"]
    closed = next(row for row in tasks.rows if f"(#{task.id})" in row.cells[1].text)
    assert closed.cells[4].text.startswith("Hoàn thành ngày") and "đã vận hành OA" in closed.cells[4].text

    signature = document.tables[-1]
    sent_to, signer = (cell.text for cell in signature.rows[0].cells)
    assert sent_to.startswith("Nơi nhận:") and "Lưu: VT, VP." in sent_to
    assert "TL. GIÁM ĐỐC" in signer and "CHÁNH VĂN PHÒNG" in signer and "Trần Thị Nhung" in signer


def test_dates_are_written_as_the_decree_says():
    assert dated("Quảng Trị", date(2025, 2, 5)) == "Quảng Trị, ngày 05 tháng 02 năm 2025"
    assert dated("Quảng Trị", date(2025, 11, 20)) == "Quảng Trị, ngày 20 tháng 11 năm 2025"


def test_a_draft_has_no_report_yet(client, runtime, directory):
    from notices.importer import import_file
    from tests.fixtures.scheduler import SEED_NOTICE

    with runtime.session() as session:
        notice_id = import_file(session, SEED_NOTICE, settings=runtime.settings).notice_id
    assert client.get(f"/console/notices/{notice_id}/report.docx").status_code == 302
    assert client.get("/console/notices/4242/report.docx").status_code == 404
