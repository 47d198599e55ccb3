"""Notices in the forms real ones take, shared by the tests of the reader's parts."""

from __future__ import annotations

from textwrap import dedent

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


def by_ref(notice):
    """The tasks of a notice by their reference ("II.1.2")."""
    return {task.ref: task for task in notice.tasks}
