"""The whole reader: what a notice gives, and what is refused as not a notice."""

from __future__ import annotations

from textwrap import dedent

import pytest

from notices import NoticeError, read_notice_text


def test_header_evaluation_and_closing_blocks_are_not_tasks(ministry):
    texts = " ".join(task.text for task in ministry.tasks)
    for words in ("Các Vụ, Cục thuộc Bộ", "triển khai tốt", "Như trên", "Lưu: VT", "thông báo để", "THỨ TRƯỞNG"):
        assert words not in texts
    assert len(ministry.tasks) == 8


def test_text_that_is_not_a_notice_is_refused():
    with pytest.raises(NoticeError, match="không phải thông báo"):
        read_notice_text("Xin chào,\nCảm ơn anh chị đã đọc thư này.\nTrân trọng.")
    with pytest.raises(NoticeError):
        read_notice_text("")


INVITATION = dedent(
    """\
    SỞ KHOA HỌC VÀ CÔNG NGHỆ
    Số: 12/GM-SKHCN
    Quảng Trị, ngày 10 tháng 3 năm 2025
    GIẤY MỜI
    Họp triển khai Kế hoạch chuyển đổi số năm 2025
    Sở Khoa học và Công nghệ trân trọng kính mời:
    - Đại diện lãnh đạo Văn phòng Sở;
    - Trưởng các phòng, đơn vị thuộc Sở.
    Thời gian: 14 giờ 00, ngày 12/3/2025.
    Giao Văn phòng Sở chuẩn bị tài liệu, phòng họp./.
    """
)
REPORT = dedent(
    """\
    BÁO CÁO
    Kết quả thực hiện nhiệm vụ tháng 02 năm 2025
    I. KẾT QUẢ ĐẠT ĐƯỢC
    1. Văn phòng Sở: đã hoàn thành rà soát tiêu chí chấm điểm cải cách hành chính.
    II. NHIỆM VỤ THÁNG 3
    1. Văn phòng Sở: tổ chức Hội nghị tổng kết trước ngày 15/3/2025.
    """
)
TODO = "# Việc cần làm cuối tuần\n1. Đi chợ mua rau\n2. Dọn dẹp nhà cửa trước 10h ngày 15/3\n- Tưới cây\n"


@pytest.mark.parametrize("text", [INVITATION, REPORT, TODO], ids=["giấy mời", "báo cáo", "việc nhà"])
def test_a_document_of_another_kind_is_refused_even_with_items(text):
    with pytest.raises(NoticeError, match="không phải thông báo kết luận"):
        read_notice_text(text)


MARKDOWN = dedent(
    """\
    # THÔNG BÁO

    ## Kết luận của Giám đốc Sở tại Hội nghị giao ban tuần 10 năm 2025

    Ngày 03/3/2025, đồng chí Trần Ngọc Lâm - Giám đốc Sở chủ trì Hội nghị. Giám đốc Sở kết luận như sau:

    **1. Văn phòng Sở:**

    - Chủ trì tổ chức Hội nghị cán bộ, công chức, viên chức năm 2025 **trước ngày 15/3/2025**.
    - *Tham mưu* ban hành quy chế chi tiêu nội bộ.

    **2. Phòng Quản lý khoa học:** Hoàn thiện hồ sơ nghiệm thu đề tài, trình Hội đồng *trong tuần*.

    ### 3. Giao đồng chí Phó Giám đốc Sở Nguyễn Hữu Thắng:

    + Chỉ đạo xây dựng Kế hoạch ứng dụng AI, báo cáo **cuối tháng 3/2025**.

    ---

    **Nơi nhận:**
    - Như trên;
    - Lưu: VT.

    **GIÁM ĐỐC**

    **Trần Ngọc Lâm**
    """
)


def test_markdown_headings_bold_headings_and_a_person_heading():
    notice = read_notice_text(MARKDOWN)
    assert notice.notice.title == "Kết luận của Giám đốc Sở tại Hội nghị giao ban tuần 10 năm 2025"
    assert (notice.notice.chair, notice.notice.signer, notice.notice.week) == ("Trần Ngọc Lâm", "Trần Ngọc Lâm", 10)
    assert [(t.ref, t.unit, t.assignees) for t in notice.tasks] == [
        ("1.1", "Văn phòng Sở", []), ("1.2", "Văn phòng Sở", []), ("2.1", "Phòng Quản lý khoa học", []),
        ("3.1", None, ["Nguyễn Hữu Thắng"]),
    ]
    assert notice.tasks[1].text == "Tham mưu ban hành quy chế chi tiêu nội bộ."
    assert notice.tasks[2].deadline.to_dict() == {
        "raw": "trong tuần", "kind": "period", "date": "2025-03-07", "time": None, "start": "2025-03-03",
    }
