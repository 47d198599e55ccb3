"""Headings, tasks and the blocks around them, in the forms real notices use."""

from __future__ import annotations

import textwrap
from datetime import date
from textwrap import dedent

import pytest

from notices import NoticeError, read_notice_text

MINISTRY = dedent(
    """\
    BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập – Tự do – Hạnh phúc
    Số: 125/TB-BNN-VP
    Hà Nội, ngày 12 tháng 3 năm 2025

    THÔNG BÁO
    Kết luận của Thứ trưởng Nguyễn Văn An tại cuộc họp giao ban
    tuần 11 năm 2025

    Kính gửi:
    - Các Vụ, Cục thuộc Bộ;
    - Văn phòng Bộ.

    Ngày 10/3/2025, tại trụ sở Bộ, Thứ trưởng Nguyễn Văn An chủ trì cuộc họp giao ban. Sau khi nghe báo cáo, Thứ trưởng kết luận như sau:

    I. ĐÁNH GIÁ CHUNG
    Trong tuần qua, các đơn vị đã triển khai tốt các nhiệm vụ được giao.

    II. NHIỆM VỤ TRONG THỜI GIAN TỚI
    1. Về Thủy lợi:
    * Vụ Kế hoạch: Chủ trì, phối hợp với Cục Thủy lợi rà soát danh mục dự án, báo cáo trước ngày 20/3/2025.
    * Cục Thủy lợi:
    - Khẩn trương hoàn thiện phương án phòng chống hạn mặn, trình Bộ trong tháng 3/2025.
    - Phối hợp với các đơn vị: Vụ Kế hoạch, Vụ Tài chính, Văn phòng Bộ thực hiện kiểm tra công trình.
    2. Về Chăn nuôi, thú y:
    *Cục Chăn nuôi: Xây dựng đề án phát triển chăn nuôi bền vững, hoàn thành quý II/2025.
    * Cục Thú y:
    • Theo dõi tình hình dịch bệnh, báo cáo định kỳ hằng tuần.
    • Chủ trì tổ chức hội nghị tổng kết công tác thú y, cụ thể:
    a) Chuẩn bị tài liệu trước 16h00 ngày 25/3/2025;
    b) Tổ chức hội nghị lúc 8h30 ngày 28/3/2025.
    3. Giao đ/c Dũng – PGĐ Sở: chỉ đạo hoàn thiện hồ sơ dự án trước 30-4.
    4. Văn phòng Bộ
    Tổng hợp kết quả, báo cáo Bộ trưởng chậm nhất ngày 5/4/2025.
    Thời hạn: trước ngày 10/4/2025.

    Văn phòng Bộ thông báo để các đơn vị biết, thực hiện./.

    Nơi nhận:
    - Như trên;
    - Lưu: VT, VP.

    KT. BỘ TRƯỞNG
    THỨ TRƯỞNG
    (Đã ký)
    NGUYỄN VĂN AN
    """
)


@pytest.fixture(scope="module")
def ministry():
    return read_notice_text(MINISTRY)


def by_ref(notice):
    return {task.ref: task for task in notice.tasks}


def test_header_of_a_notice_with_a_date_and_a_number(ministry):
    header = ministry.notice
    assert (header.number, header.symbol, header.place, header.issued_on) == ("125", "TB-BNN-VP", "Hà Nội", date(2025, 3, 12))
    assert (header.meeting_on, header.week, header.year) == (date(2025, 3, 10), 11, 2025)
    assert header.title == "Kết luận của Thứ trưởng Nguyễn Văn An tại cuộc họp giao ban tuần 11 năm 2025"
    assert (header.chair, header.signer) == ("Nguyễn Văn An", "Nguyễn Văn An")


def test_topic_headings_hold_unit_headings(ministry):
    tasks = by_ref(ministry)
    assert tasks["II.1.1.1"].unit == "Vụ Kế hoạch"
    assert tasks["II.1.1.1"].text.startswith("Chủ trì, phối hợp với Cục Thủy lợi")
    assert [t.unit for r, t in tasks.items() if r.startswith("II.1.2.")] == ["Cục Thủy lợi", "Cục Thủy lợi"]
    assert tasks["II.2.1.1"].unit == "Cục Chăn nuôi"  # "*Cục Chăn nuôi: …": heading and task on one line
    assert tasks["II.2.1.1"].deadline.kind == "period"


def test_a_list_after_a_colon_is_a_task_not_a_heading(ministry):
    task = by_ref(ministry)["II.1.2.2"]
    assert task.text.startswith("Phối hợp với các đơn vị: Vụ Kế hoạch")
    assert task.coordinating == ["Vụ Kế hoạch", "Vụ Tài chính", "Văn phòng Bộ"]


def test_a_task_spans_its_sub_items_and_keeps_the_last_deadline(ministry):
    task = by_ref(ministry)["II.2.2.2"]
    assert task.text.splitlines()[1:] == [
        "a) Chuẩn bị tài liệu trước 16h00 ngày 25/3/2025;",
        "b) Tổ chức hội nghị lúc 8h30 ngày 28/3/2025.",
    ]
    assert (task.deadline.kind, task.deadline.date, task.deadline.time) == ("meeting", date(2025, 3, 28), "08:30")
    assert len(task.warnings) == 1 and "lấy thời hạn muộn nhất" in task.warnings[0]


def test_a_following_paragraph_with_the_deadline_belongs_to_the_task(ministry):
    task = by_ref(ministry)["II.4.1"]
    assert task.unit == "Văn phòng Bộ"
    assert task.text.endswith("Thời hạn: trước ngày 10/4/2025.")
    assert task.deadline.raw == "trước ngày 10/4/2025" and task.warnings


def test_people_given_a_task(ministry):
    task = by_ref(ministry)["II.3"]
    assert task.assignees == ["Dũng"] and task.deadline.date == date(2025, 4, 30)


@pytest.mark.parametrize("addressees", [
    "Kính gửi:\nCác Vụ, Cục thuộc Bộ\nVăn phòng Bộ",
    "Kính gửi: Các Vụ, Cục thuộc Bộ; Văn phòng Bộ.",
    "Kính gửi:\tĐồng chí Bộ trưởng\n\tCác Vụ, Cục thuộc Bộ,\n\tVăn phòng Bộ.",
])
def test_addressees_written_without_bullets_are_not_the_body(ministry, addressees):
    text = MINISTRY.replace("Kính gửi:\n- Các Vụ, Cục thuộc Bộ;\n- Văn phòng Bộ.", addressees)
    assert text != MINISTRY
    assert read_notice_text(text).to_dict() == ministry.to_dict()


def test_header_evaluation_and_closing_blocks_are_not_tasks(ministry):
    texts = " ".join(task.text for task in ministry.tasks)
    for words in ("Các Vụ, Cục thuộc Bộ", "triển khai tốt", "Như trên", "Lưu: VT", "thông báo để", "THỨ TRƯỞNG"):
        assert words not in texts
    assert len(ministry.tasks) == 8


FLAT = dedent(
    """\
    Kết luận giao ban tuần 52 năm 2025
    Ngày 22/12/2025, Giám đốc Sở chủ trì họp giao ban và giao nhiệm vụ như sau:
    - Văn phòng Sở:
    - Tổng hợp báo cáo năm, trình Giám đốc Sở trước 16h00 ngày 26/12/2025.
    - Chuẩn bị phòng họp phục vụ Hội nghị tổng kết ngày 5/1 (8h30).
    - Giao đồng chí Lê Hùng và đồng chí Trần Văn Bình theo dõi, đôn đốc hằng tuần.
    - Thanh tra Sở:
    - Xây dựng kế hoạch thanh tra năm 2026, hoàn thành trong tháng 1.
    - Phối hợp với các phòng: Quản lý khoa học, Kế hoạch - Tài chính thực hiện rà soát văn bản.
    - Trung tâm Nghiên cứu, CGCN&ĐMST chủ trì tổ chức Techfest trong khoảng từ 25/12 đến 5/1.
    """
)


def test_headings_written_as_bullets_head_the_bullets_after_them():
    tasks = by_ref(read_notice_text(FLAT))
    assert [(r, t.unit) for r, t in tasks.items()] == [
        ("1.1", "Văn phòng Sở"), ("1.2", "Văn phòng Sở"), ("1.3", "Văn phòng Sở"),
        ("2.1", "Thanh tra Sở"), ("2.2", "Thanh tra Sở"), ("2.3", "Thanh tra Sở"),
    ]
    assert tasks["1.2"].deadline.to_dict() == {
        "raw": "ngày 5/1 (8h30)", "kind": "meeting", "date": "2026-01-05", "time": "08:30", "start": None,
    }
    assert tasks["1.3"].assignees == ["Lê Hùng", "Trần Văn Bình"]
    assert tasks["2.2"].coordinating == ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"]


def test_a_task_naming_its_own_unit_outside_any_heading():
    text = FLAT.replace("- Thanh tra Sở:\n", "").replace("- Xây dựng kế hoạch", "+ Xây dựng kế hoạch")
    text = text.replace("- Văn phòng Sở:\n", "")
    tasks = read_notice_text(text).tasks
    last = tasks[-1]
    assert last.unit == "Trung tâm Nghiên cứu, CGCN&ĐMST"
    assert (last.deadline.start, last.deadline.date) == (date(2025, 12, 25), date(2026, 1, 5))


def test_unit_headings_in_every_form():
    text = dedent(
        """\
        THÔNG BÁO
        Kết luận họp giao ban ngày 03/3/2025
        Giám đốc Sở kết luận như sau:
        I. Văn phòng Sở:
        a) Rà soát quy chế làm việc trong tháng 3/2025.
        b) Chuẩn bị hội nghị cán bộ.
        II. Đối với Thanh tra Sở:
        + Thanh tra việc chấp hành pháp luật về đo lường.
        III. Phòng Kế hoạch - Tài chính: Lập dự toán bổ sung trước ngày 15/3.
        Văn phòng Sở thông báo để các phòng thực hiện./.
        """
    )
    tasks = by_ref(read_notice_text(text))
    assert {r: t.unit for r, t in tasks.items()} == {
        "I.a": "Văn phòng Sở", "I.b": "Văn phòng Sở", "II.1": "Thanh tra Sở", "III.1": "Phòng Kế hoạch - Tài chính",
    }
    assert tasks["III.1"].deadline.date == date(2025, 3, 15)


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


def test_the_body_of_a_notice_pasted_alone_is_read():
    body = MINISTRY[MINISTRY.index("Ngày 10/3/2025"):]
    assert len(read_notice_text(body).tasks) == 8


def test_a_notice_without_a_meeting_day_says_so():
    notice = read_notice_text("THÔNG BÁO\nKết luận\nGiám đốc Sở kết luận như sau:\n1. Văn phòng Sở:\n- Rà soát.")
    assert notice.notice.meeting_on is None
    assert any("ngày họp" in warning for warning in notice.warnings)


def test_short_numbered_items_without_a_full_stop_are_tasks():
    text = dedent(
        """\
        THÔNG BÁO
        Kết luận giao ban ngày 03/3/2025
        Giám đốc Sở kết luận như sau:
        1. Văn phòng Sở:
        a) Rà soát quy chế làm việc
        b) Chuẩn bị hội nghị cán bộ
        2. Thanh tra Sở
        3. Tổng hợp ý kiến góp ý dự thảo Luật
        """
    )
    notice = read_notice_text(text)
    assert [(t.ref, t.unit, t.text) for t in notice.tasks] == [
        ("1.a", "Văn phòng Sở", "Rà soát quy chế làm việc"),
        ("1.b", "Văn phòng Sở", "Chuẩn bị hội nghị cán bộ"),
        ("3", None, "Tổng hợp ý kiến góp ý dự thảo Luật"),
    ]
    assert notice.warnings == ["mục 2 “Thanh tra Sở” không có nhiệm vụ nào"]


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


EMAIL = dedent(
    """\
    Kính gửi các phòng, đơn vị,
    SỞ KHOA HỌC VÀ CÔNG NGHỆ
    Số: 310/TB-SKHCN                       Quảng Trị, ngày 23 tháng 12 năm 2024
    THÔNG BÁO
    Kết luận của Giám đốc Sở tại Hội nghị giao ban tuần 51 năm 2024
    Ngày 23/12/2024, Giám đốc Sở Trần Ngọc Lâm chủ trì Hội nghị giao ban. Giám đốc Sở kết luận như sau:
    I. VỀ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ QUÝ IV
    Các đơn vị đã bám sát chương trình công tác, hoàn thành 95% nhiệm vụ được giao.
    II. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI
    1. Văn phòng Sở:
    a) Rà soát quy chế chi tiêu nội bộ, cụ thể:
    - Quy chế chi tiêu: trước 20/01;
    - Quy chế dân chủ: trước 25/01.
    b) Theo dõi nhiệm vụ chuyển tiếp
    + Nhiệm vụ cấp tỉnh;
    + Nhiệm vụ cấp cơ sở.
    2. Giao đồng chí Nguyễn Hữu Thắng, Phó Giám đốc Sở chỉ đạo Phòng Quản lý CN&ĐMST xây dựng Kế hoạch Techfest, trình UBND tỉnh trước ngày 31/01/2025.
    3. Giao ông Lý Văn Nam, Giám đốc Trung tâm Kỹ thuật TĐC báo cáo tình hình hoạt động chậm nhất ngày 10/01/2025.
    4. Giao đồng chí Lê Hùng theo dõi, đôn đốc thực hiện.
    5. Phòng Kế hoạch - Tài chính: hoàn thành quyết toán trước 30/01/2025.
    Trân trọng./.
    Nơi nhận:
    - Như trên;
    - Lưu VT.
    KT. GIÁM ĐỐC
    PHÓ GIÁM ĐỐC
    Nguyễn Hữu Thắng
    """
)


@pytest.fixture(scope="module")
def email():
    return read_notice_text(EMAIL)


def test_the_place_is_read_on_the_line_of_the_number(email):
    assert (email.notice.number, email.notice.symbol, email.notice.place) == ("310", "TB-SKHCN", "Quảng Trị")


def test_an_account_of_the_past_is_not_a_task_even_when_it_speaks_of_tasks(email):
    assert [t.ref for t in email.tasks] == ["II.1.a", "II.1.b", "II.2", "II.3", "II.4", "II.5.1"]
    assert not any("bám sát" in t.text for t in email.tasks)


def test_a_lettered_task_keeps_its_sub_items(email):
    tasks = by_ref(email)
    assert tasks["II.1.a"].text.splitlines() == [
        "Rà soát quy chế chi tiêu nội bộ, cụ thể:", "- Quy chế chi tiêu: trước 20/01;", "- Quy chế dân chủ: trước 25/01.",
    ]
    assert tasks["II.1.a"].deadline.date == date(2025, 1, 25)
    assert tasks["II.1.b"].text.splitlines()[1:] == ["+ Nhiệm vụ cấp tỉnh;", "+ Nhiệm vụ cấp cơ sở."]


def test_a_numbered_item_whose_sub_items_name_their_units_heads_them():
    text = EMAIL.replace("5. Phòng Kế hoạch - Tài chính: hoàn thành quyết toán trước 30/01/2025.", (
        "5. Tổ chức Hội nghị tổng kết năm 2024:\n- Văn phòng Sở chuẩn bị hội trường trước 20/01;\n"
        "- Phòng Kế hoạch - Tài chính bố trí kinh phí."))
    tasks = by_ref(read_notice_text(text))
    assert [(r, t.unit) for r, t in tasks.items() if r.startswith("II.5")] == [
        ("II.5.1", "Văn phòng Sở"), ("II.5.2", "Phòng Kế hoạch - Tài chính")]


def test_a_task_given_to_a_person_names_the_unit_that_does_it(email):
    tasks = by_ref(email)
    assert (tasks["II.2"].unit, tasks["II.2"].assignees) == ("Phòng Quản lý CN&ĐMST", ["Nguyễn Hữu Thắng"])
    assert (tasks["II.3"].unit, tasks["II.3"].assignees) == ("Trung tâm Kỹ thuật TĐC", ["Lý Văn Nam"])
    assert (tasks["II.4"].unit, tasks["II.4"].assignees) == (None, ["Lê Hùng"])


def test_a_unit_named_after_a_short_lead_is_the_doer():
    text = EMAIL.replace("4. Giao đồng chí Lê Hùng theo dõi", "4. Các nội dung khác: Giao Văn phòng Sở theo dõi")
    assert by_ref(read_notice_text(text))["II.4"].unit == "Văn phòng Sở"


def test_a_courtesy_close_is_not_part_of_the_last_task(email):
    assert email.tasks[-1].text == "hoàn thành quyết toán trước 30/01/2025."
    assert email.notice.signer == "Nguyễn Hữu Thắng"


def test_a_group_named_after_a_lead_word_heads_its_tasks():
    text = MINISTRY.replace("4. Văn phòng Bộ\n", "4. Đề nghị các sở, ngành liên quan:\n")
    tasks = by_ref(read_notice_text(text))
    assert tasks["II.4.1"].unit == "Các sở, ngành liên quan"


MINISTER = dedent(
    """\
    BỘ NÔNG NGHIỆP
    VÀ PHÁT TRIỂN NÔNG THÔN
    CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Độc lập - Tự do - Hạnh phúc
    Số: 1234/TB-BNN-VP
    Hà Nội, ngày 10 tháng 4 năm 2024
    THÔNG BÁO
    Kết luận của Bộ trưởng Lê Minh Hoan tại cuộc họp giao ban Bộ tháng 4 năm 2024
    Ngày 08 tháng 4 năm 2024, tại trụ sở Bộ, Bộ trưởng Lê Minh Hoan chủ trì cuộc họp giao ban Bộ. Tham dự cuộc họp có các đồng chí Thứ trưởng; Thủ trưởng các cơ quan, đơn vị thuộc Bộ. Sau khi nghe báo cáo và ý kiến phát biểu của các đại biểu, Bộ trưởng kết luận như sau:
    I. VỀ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ QUÝ I
    Các đơn vị đã bám sát chương trình công tác, hoàn thành 95% nhiệm vụ được giao.
    II. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI
    1. Về Thủy lợi:
    * Tổng cục Thủy lợi: Chỉ đạo các địa phương vùng Đồng bằng sông Cửu Long chủ động tích trữ nước ngọt, ứng phó hạn hán, xâm nhập mặn; báo cáo Bộ trước ngày 20/4/2024.
    * Vụ Kế hoạch: Phối hợp với Tổng cục Thủy lợi rà soát danh mục dự án đầu tư công trung hạn, trình Bộ trưởng trước 15/5.
    2. Về Chăn nuôi, Thú y:
    * Cục Thú y:
    - Theo dõi chặt chẽ tình hình dịch tả lợn châu Phi, cúm gia cầm; hướng dẫn địa phương triển khai tiêm phòng đợt 1 năm 2024, hoàn thành trong tháng 4/2024.
    - Trình Bộ ban hành Thông tư sửa đổi Thông tư số 24/2019/TT-BNNPTNT ngày 24/12/2019 trong quý II/2024.
    *Cục Chăn nuôi: Hoàn thiện dự thảo Đề án phát triển chăn nuôi bền vững, báo cáo Bộ trưởng trước 14 giờ, ngày 25/4/2024.
    3. Về Lâm nghiệp:
    Tổng cục Lâm nghiệp chủ trì, phối hợp với Vụ Pháp chế hoàn thiện hồ sơ dự thảo Nghị định về quản lý rừng bền vững, trình Chính phủ chậm nhất ngày 30 tháng 6 năm 2024.
    4. Văn phòng Bộ:
    - Theo dõi, đôn đốc các đơn vị thực hiện Thông báo này; tổng hợp báo cáo Bộ trưởng định kỳ hằng tháng.
    - Chuẩn bị nội dung, chương trình cuộc họp giao ban Bộ tháng 5 (7 giờ 30’, thứ Hai, ngày 06/5/2024).
    Văn phòng Bộ thông báo để các cơ quan, đơn vị biết, thực hiện./.
    Nơi nhận:
    - Bộ trưởng (để b/c);
    - Các Thứ trưởng;
    - Các đơn vị thuộc Bộ;
    - Lưu: VT, VP.
    TL. BỘ TRƯỞNG
    KT. CHÁNH VĂN PHÒNG
    PHÓ CHÁNH VĂN PHÒNG
    Nguyễn Văn Việt
    """
)


@pytest.mark.parametrize("width", [72, 80])
def test_a_title_that_fills_an_e_mail_line_stays_the_title(width):
    notice = read_notice_text("\n".join(textwrap.fill(line, width) for line in MINISTER.splitlines()))
    assert notice.notice.title == "Kết luận của Bộ trưởng Lê Minh Hoan tại cuộc họp giao ban Bộ tháng 4 năm 2024"
    assert [task.to_dict() for task in notice.tasks] == [task.to_dict() for task in read_notice_text(MINISTER).tasks]


def test_a_deadline_in_brackets_is_written_without_a_lone_bracket():
    task = read_notice_text(MINISTER).tasks[-1]
    assert (task.ref, task.unit) == ("II.4.2", "Văn phòng Bộ")
    assert task.deadline.to_dict() == {
        "raw": "7 giờ 30’, thứ Hai, ngày 06/5/2024", "kind": "meeting", "date": "2024-05-06", "time": "07:30", "start": None,
    }
