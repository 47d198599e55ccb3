"""What the conversation answers when a task changes: closing and reopening, more time asked
and decided, a task handed to an officer or taken back, progress reported; and search.

Pure functions, as `handlers.replies` (whose buttons and list lines they use).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from handlers.replies import NO_MARKS, Marks, detail_button, join, names, task_line, task_lines
from storage.models import TASK_OPEN, Task
from tasks.wording import headline, say_day, say_when
from zalo.messages import Button

# --- closing ------------------------------------------------------------------------------------

def who_may_close(assignees: list[str], heads: list[str]) -> str:
    people = [f"{n} (người được giao)" for n in assignees] + [f"{n} (trưởng đơn vị)" for n in heads]
    return names(people + ["lãnh đạo Sở", "quản trị hệ thống"], last="hoặc")


def cannot_close(n: int, assignees: list[str], heads: list[str], doing: str = "báo xong") -> str:
    return (f"Anh/chị chưa có quyền {doing} việc #{n}. Người làm được việc này: "
            f"{who_may_close(assignees, heads)}.")


def closed(n: int, note: str | None) -> str:
    said = f" Ghi chú: {note}" if note else ""
    return f"Đã ghi nhận việc #{n} xong. Cảm ơn anh/chị!{said}"


def already_closed(n: int, by: str | None, at: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    when = f" lúc {say_when(at, now, zone)}" if at else ""
    return f"Việc #{n} đã được {by or 'người khác'} báo xong{when}."


def already_closed_by_you(n: int, at: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    when = f" lúc {say_when(at, now, zone)}" if at else ""
    return f"Anh/chị đã báo xong việc #{n}{when} rồi."


def reopened(n: int) -> str:
    return f"Đã mở lại việc #{n}. Nhắc Việc sẽ tiếp tục nhắc theo hạn."


def still_open(n: int) -> str:
    return f"Việc #{n} vẫn đang mở."


def which_to_close(tasks: list[Task], now: datetime, zone: ZoneInfo) -> str:
    return join("Anh/chị muốn báo xong việc nào? Bấm nút hoặc gõ «xong N»:", task_lines(tasks, now, zone))


def close_this_one(task: Task, now: datetime, zone: ZoneInfo) -> str:
    """A bare "xong" from an officer with one open task: asked, not assumed."""
    return f"Báo xong việc #{task.id} – {headline(task.text)}? Bấm «Xong #{task.id}» để xác nhận."


# --- extensions ---------------------------------------------------------------------------------

def extension_usage(n: int | None) -> str:
    number = n or "N"
    return (f"Để xin gia hạn, anh/chị gõ: gia hạn {number} ngày/tháng lý do. "
            f"Ví dụ: gia hạn {number} 28/02 chờ số liệu của các phòng.")


def extension_no_reason(n: int, written: str) -> str:
    return f"Anh/chị ghi thêm lý do xin gia hạn, ví dụ: gia hạn {n} {written} chờ số liệu của các phòng."


def extension_bad_day(written: str) -> str:
    return f"Ngày «{written}» không có thật. Anh/chị viết ngày theo dạng ngày/tháng, ví dụ 28/02."


def extension_too_early(n: int, current: date | None, today: date) -> str:
    if current is not None and current >= today:
        return f"Việc #{n} đang có hạn {say_day(current, today)}: ngày gia hạn phải sau ngày đó."
    return f"Ngày gia hạn cho việc #{n} phải từ hôm nay trở đi."


def extension_closed(n: int) -> str:
    return f"Việc #{n} đã xong, không cần gia hạn."


def extension_recurring(n: int) -> str:
    return f"Việc #{n} là việc định kỳ, không gia hạn được. Anh/chị trao đổi trực tiếp với lãnh đạo nếu cần."


def extension_pending(n: int, wanted: date, today: date) -> str:
    return f"Việc #{n} đã có đề nghị gia hạn đến {say_day(wanted, today)} đang chờ duyệt."


def extension_sent(n: int, wanted: date, today: date, approvers: list[str]) -> str:
    if not approvers:
        return (f"Đã ghi nhận đề nghị gia hạn việc #{n} đến {say_day(wanted, today)}, nhưng chưa có lãnh đạo "
                "nào liên kết Zalo để nhận. Anh/chị báo trực tiếp với Văn phòng Sở giúp.")
    return (f"Đã gửi đề nghị gia hạn việc #{n} đến {say_day(wanted, today)} cho {names(approvers)}. "
            "Anh/chị sẽ được báo khi có kết quả.")


def extension_request(n: int, unit: str, text: str, current: str, wanted: date, today: date, asker: str,
                      reason: str) -> str:
    return (f"Đề nghị gia hạn việc #{n} ({unit}): {headline(text)}\n"
            f"• Hạn hiện tại: {current}\n• Xin gia hạn đến: {say_day(wanted, today)}\n"
            f"• Người đề nghị: {asker}\n• Lý do: {reason}")


def decision_buttons(n: int, approving: bool = True) -> tuple[Button, ...]:
    """Under a request: approve (for those who may move the deadline), refuse, read the task."""
    approve = (Button(f"Duyệt gia hạn #{n}", f"duyệt gia hạn {n}"),) if approving else ()
    return (*approve, Button(f"Từ chối gia hạn #{n}", f"từ chối gia hạn {n}"), detail_button(n))


def no_pending_extension(n: int) -> str:
    return f"Việc #{n} không có đề nghị gia hạn nào đang chờ."


def already_decided(n: int, approved: bool, by: str | None) -> str:
    what = "duyệt" if approved else "từ chối"
    return f"Đề nghị gia hạn việc #{n} đã được {by or 'người khác'} {what} trước đó."


def cannot_decide(n: int, approvers: list[str], other_leaders: bool) -> str:
    deciders = names(approvers + (["lãnh đạo Sở khác"] if other_leaders else []), last="hoặc")
    return f"Anh/chị chưa có quyền duyệt gia hạn việc #{n}. Người duyệt: {deciders}."


def cannot_approve(n: int, approvers: list[str]) -> str:
    """Only the leader directing the unit (or one the settings name) moves a deadline the Giám đốc set."""
    return (f"Hạn của việc #{n} do Giám đốc Sở giao: chỉ {names(approvers, last='hoặc')} được duyệt gia hạn. "
            f"Anh/chị vẫn có thể từ chối đề nghị (gõ «từ chối gia hạn {n} lý do»).")


def refusal_reason_asked(n: int, asker: str) -> str:
    return f"Lý do từ chối gia hạn việc #{n}? Anh/chị gõ lý do, Nhắc Việc sẽ chuyển cho {asker}."


NO_REASON = "không nêu lý do"


def refuse_without_reason(n: int) -> Button:
    return Button("Từ chối, không nêu lý do", f"từ chối gia hạn {n} {NO_REASON}")


def decided_for_decider(n: int, approved: bool, wanted: date, today: date, asker: str) -> str:
    if approved:
        return f"Đã duyệt gia hạn việc #{n} đến {say_day(wanted, today)} và báo cho {asker}."
    return f"Đã từ chối đề nghị gia hạn việc #{n} và báo cho {asker}."


def decided_for_asker(n: int, approved: bool, wanted: date, today: date, decider: str, note: str | None,
                      deadline: str = "") -> str:
    """The asker's answer, with what to do next after a refusal."""
    if approved:
        return f"Việc #{n} đã được {decider} duyệt gia hạn đến {say_day(wanted, today)}."
    said = f" Lý do: {note}." if note else ""
    return (f"Đề nghị gia hạn việc #{n} đến {say_day(wanted, today)} chưa được {decider} đồng ý.{said} "
            f"Anh/chị tiếp tục thực hiện theo hạn hiện tại ({deadline}); khi cần, gửi đề nghị mới: "
            f"«gia hạn {n} ngày/tháng lý do».")


# --- handing a task to officers -----------------------------------------------------------------

def delegate_usage(command: str = "giao") -> str:
    return f"Để giao việc cho cán bộ, anh/chị gõ: {command} N cho TÊN, ví dụ «{command} 9 cho Châu»."


def revoke_usage() -> str:
    return "Để thu hồi việc đã giao, anh/chị gõ: thu hồi N (hoặc «thu hồi N Châu» cho một người)."


def cannot_delegate(n: int) -> str:
    return (f"Anh/chị chưa có quyền giao việc #{n}: trưởng đơn vị chủ trì (đơn vị phối hợp: phần của mình) "
            "và lãnh đạo Sở giao được việc.")


def delegate_closed(n: int) -> str:
    return f"Việc #{n} đã xong, không cần giao nữa."


def nobody_named(written: str, units: list[str]) -> str:
    return (f"Không tìm thấy cán bộ «{written}» trong {names(units)}. Anh/chị ghi họ tên hoặc tên gọi, "
            "ví dụ «giao 9 cho Châu».")


def which_officer(n: int, written: str) -> str:
    return f"Có nhiều cán bộ tên «{written}». Anh/chị chọn người được giao việc #{n}:"


def too_many_named(written: str, count: int) -> str:
    return f"Có {count} cán bộ tên «{written}». Anh/chị ghi rõ họ tên hơn."


def delegated(n: int, given: list[str], already: list[str], unreachable: list[str]) -> str:
    """What the one handing the task out is told: to whom, who had it already, who cannot be told."""
    parts = []
    if given:
        parts.append(f"Đã giao việc #{n} cho {names(given)}; từ nay Nhắc Việc nhắc việc này cho {names(given)}.")
    if already:
        parts.append(f"Việc #{n} đã giao cho {names(already)} từ trước.")
    if unreachable:
        parts.append(f"{names(unreachable)} chưa liên kết Zalo nên chưa nhận được tin báo.")
    return " ".join(parts)


def revoked(n: int, taken: list[str]) -> str:
    return f"Đã thu hồi việc #{n} từ {names(taken)} và báo cho {names(taken)}."


def nothing_to_revoke(n: int) -> str:
    return f"Việc #{n} chưa giao cho ai trong phần anh/chị phụ trách."


# --- progress -----------------------------------------------------------------------------------

def progress_usage(n: int | None) -> str:
    number = n or "N"
    return f"Để báo tiến độ, anh/chị gõ: tiến độ {number}: nội dung. Ví dụ «tiến độ {number}: đã xong dự thảo»."


def progress_asked(n: int) -> str:
    return f"Anh/chị gõ nội dung tiến độ việc #{n} (có thể gửi kèm ảnh hoặc tệp)."


def progress_kept(n: int) -> str:
    return f"Đã ghi nhận tiến độ việc #{n}. Ảnh hoặc tệp gửi ngay sau tin này sẽ được đính kèm."


def progress_closed(n: int) -> str:
    return f"Việc #{n} đã xong, không cần báo tiến độ nữa."


def part_done_kept(n: int, unit: str) -> str:
    return f"Đã ghi nhận {unit} xong phần phối hợp việc #{n} và báo cho đơn vị chủ trì."


def not_coordinating(n: int) -> str:
    return f"Đơn vị của anh/chị không phối hợp việc #{n}: anh/chị báo «tiến độ {n}: nội dung» hoặc «xong {n}»."


_KINDS = {"image": "ảnh", "file": "tệp"}


def attached(n: int, kind: str) -> str:
    return f"Đã đính kèm {_KINDS.get(kind, 'tệp')} vào báo cáo tiến độ việc #{n}."


def attachment_for_which_task(kind: str) -> str:
    return (f"Nhắc Việc đã nhận {_KINDS.get(kind, 'tệp')}. Để đính kèm vào tiến độ một việc, anh/chị gõ "
            "«tiến độ N: nội dung» rồi gửi lại, hoặc bấm «Trả lời» trên tin nhắn của việc đó.")


# --- search -------------------------------------------------------------------------------------

SEARCH_USAGE = "Anh/chị ghi từ cần tìm, ví dụ «tìm techfest»."


def found(words: str, tasks: list[Task], more: int, now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    """Search results: open tasks first (soonest first), then those done, newest first."""
    if not tasks:
        return f"Không tìm thấy việc nào có «{words}» trong các việc anh/chị xem được."
    lines = [task_line(t, now, zone, marks) + ("" if t.status == TASK_OPEN else " (đã xong)") for t in tasks]
    if more:
        lines.append(f"… và {more} việc khác: anh/chị ghi thêm từ để tìm gọn hơn.")
    return join(f"Kết quả tìm «{words}» ({len(tasks) + more}):", lines)


NOTHING_TO_SUMMARISE = "Chưa có gì để tổng hợp: anh/chị và đơn vị không có việc nào đang mở."
