"""Everything the conversation says, built by pure functions from what the handlers read.

Texts speak as the Sở writes: short, polite ("anh/chị"), full diacritics. Every line that
lists a task begins with `#N`. Deadlines are worded by `scheduler.wording`, as reminders are.
A long list is one reply: the Zalo client sends it in parts under 2,000 characters, cut
between lines and in order (most urgent first), with the buttons under the last part.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from storage.models import TASK_OPEN, Notice, Task
from tasks.queries import TaskDetail
from tasks.wording import notice_label, say_day, say_deadline, say_when
from zalo.messages import Button

GIST_CHARS = 80
MAX_BUTTONS = 5
LINK_HINT = "xin mã liên kết ở Văn phòng Sở rồi gửi: đăng ký MÃ"

MY_TASKS = Button("Việc của tôi", "việc của tôi")
UNIT_TASKS = Button("Việc phòng", "việc phòng")
OVERDUE = Button("Quá hạn", "quá hạn")
THIS_WEEK = Button("Tuần này", "tuần này")
HELP = Button("Giúp", "giúp")
NAVIGATION = (MY_TASKS, UNIT_TASKS, OVERDUE, THIS_WEEK)


# --- small pieces --------------------------------------------------------------------------------

def close_button(n: int) -> Button:
    return Button(f"Xong #{n}", f"xong {n}")


def reopen_button(n: int) -> Button:
    return Button(f"Mở lại #{n}", f"mở lại {n}")


def detail_button(n: int) -> Button:
    return Button(f"Chi tiết #{n}", f"chi tiết {n}")


def extend_button(n: int) -> Button:
    """Sends "gia hạn N": the answer says how to write the day and the reason."""
    return Button(f"Gia hạn #{n}", f"gia hạn {n}")


def buttons(*candidates: Button, skip: Button | None = None) -> tuple[Button, ...]:
    """At most five buttons (Zalo's limit), each payload once, without the view just shown."""
    chosen: dict[str, Button] = {}
    for button in candidates:
        if button != skip and button.payload not in chosen and len(chosen) < MAX_BUTTONS:
            chosen[button.payload] = button
    return tuple(chosen.values())


def task_buttons(task_ids: list[int], view: Button) -> tuple[Button, ...]:
    """Under a list: close the first few, then the other lists."""
    return buttons(*(close_button(n) for n in task_ids[:3]), *NAVIGATION, skip=view)


def shorten(text: str, limit: int = GIST_CHARS) -> str:
    """The task's text cut to about `limit` characters, at a word (lists show this much; the
    reminders' `scheduler.messages.gist` says less)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.–-")
    return f"{cut}…"


def names(people: list[str], last: str = "và") -> str:
    """'A', 'A và B', 'A, B và C'; 'A; B, C; D' when a name holds a comma (units often do)."""
    if len(people) <= 1:
        return "".join(people)
    if any("," in p for p in people):
        return "; ".join(people)
    return f"{', '.join(people[:-1])} {last} {people[-1]}"


def day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def join(header: str, lines: list[str]) -> str:
    return "\n".join([header, *lines])


def task_line(task: Task, now: datetime, zone: ZoneInfo, *, coordinating: bool = False,
              unit: str | None = None) -> str:
    """'#7 – hạn thứ Sáu 21/02 – gist'; marked '(phối hợp)', or with its unit's code in a list
    that spans units ('#7 (QLCN) – …')."""
    marks = "".join(f" ({m})" for m in (unit, "phối hợp" if coordinating else None) if m)
    return f"#{task.id}{marks} – {say_deadline(task, now, zone)} – {shorten(task.text)}"


def task_lines(tasks: list[Task], now: datetime, zone: ZoneInfo, coordinating: frozenset[int] = frozenset(),
               units: dict[int, str] | None = None) -> list[str]:
    """`units`: unit code by task id, for a list that spans units."""
    units = units or {}
    return [task_line(t, now, zone, coordinating=t.id in coordinating, unit=units.get(t.id)) for t in tasks]


# --- lists ---------------------------------------------------------------------------------------

NOTHING_OPEN = "Anh/chị không có việc nào đang mở. Cảm ơn anh/chị đã hoàn thành công việc!"


def my_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo) -> str:
    if not tasks:
        return NOTHING_OPEN
    return join(f"Việc đang mở của anh/chị ({len(tasks)}), việc gấp trước:", task_lines(tasks, now, zone))


def leader_tasks(tasks: list[Task], units: list[tuple[str, int, int]], now: datetime, zone: ZoneInfo) -> str:
    """A leader's own tasks, then one line per unit they direct: (unit name, open, overdue)."""
    if tasks:
        header = f"Việc giao riêng cho anh/chị ({len(tasks)}), việc gấp trước:"
        lines = task_lines(tasks, now, zone)
    else:
        header, lines = "Anh/chị không có việc nào được giao riêng.", []
    return join(header, [*lines, "", *_unit_counts(units)])


def _unit_counts(units: list[tuple[str, int, int]]) -> list[str]:
    busy = [(name, count, late) for name, count, late in units if count]
    if not busy:
        return ["Các đơn vị anh/chị chỉ đạo không có việc nào đang mở."]
    return ["Các đơn vị anh/chị chỉ đạo:", *(f"• {name}: {count} việc đang mở" + (f", {late} quá hạn" if late else "")
                                            for name, count, late in busy)]


def directed_units(units: list[tuple[str, int, int]], example: str) -> str:
    """A leader's "việc phòng": the units they direct, and how to open one."""
    return "\n".join([*_unit_counts(units), "",
                      f"Để xem việc của một đơn vị, anh/chị gõ «việc phòng» kèm mã đơn vị, ví dụ «việc phòng {example}»."])


def unknown_unit(written: str, codes: list[str]) -> str:
    return f"Không tìm thấy đơn vị «{written}». Anh/chị gõ «việc phòng» kèm một mã: {', '.join(codes)}."


def unit_tasks(unit_name: str, tasks: list[Task], coordinating: frozenset[int], now: datetime, zone: ZoneInfo) -> str:
    if not tasks:
        return f"{unit_name} hiện không có việc nào đang mở."
    header = f"Việc đang mở của {unit_name} ({len(tasks)}), việc gấp trước:"
    lines = task_lines(tasks, now, zone, coordinating)
    if coordinating:
        lines.append("(phối hợp): đơn vị phối hợp, đơn vị khác chủ trì.")
    return join(header, lines)


def overdue_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, units: dict[int, str] | None = None) -> str:
    if not tasks:
        return "Không có việc nào quá hạn. Cảm ơn anh/chị!"
    return join(f"Việc quá hạn ({len(tasks)}), quá hạn lâu nhất trước:", task_lines(tasks, now, zone, units=units))


def week_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, units: dict[int, str] | None = None) -> str:
    if not tasks:
        return "Không có việc nào đến hạn trong 7 ngày tới."
    return join(f"Việc đến hạn trong 7 ngày tới ({len(tasks)}):", task_lines(tasks, now, zone, units=units))


# --- one task -----------------------------------------------------------------------------------

_ACTIONS = {
    "created": "Nhập từ thông báo",
    "published": "Giao việc",
    "closed": "Báo xong",
    "reopened": "Mở lại",
    "extension_requested": "Đề nghị gia hạn",
    "extension_approved": "Duyệt gia hạn",
    "extension_refused": "Từ chối gia hạn",
}


def notice_line(notice: Notice) -> str:
    """'Thông báo kết luận tuần 7 (số 12/TB-SKHCN ngày 18/02/2025)'; the meeting day when the
    notice's own date is not known."""
    label = notice_label(notice.week, notice.symbol, notice.meeting_on)
    if notice.number and notice.symbol:
        reference = f"số {notice.number}/{notice.symbol}"
    else:
        reference = notice.number or notice.symbol
    if notice.issued_on:
        dated = f"ngày {day(notice.issued_on)}"
    elif notice.meeting_on and notice.week:  # a label without the week already names the meeting day
        dated = f"họp ngày {day(notice.meeting_on)}"
    else:
        dated = None
    parts = [p for p in (reference, dated) if p]
    details = (" " if notice.issued_on else ", ").join(parts)  # "số 12/TB ngày …", "TB, họp ngày …"
    return f"{label} ({details})" if details else label


def history_line(action: str, at: datetime, who: str | None, note: str | None, data: dict, zone: ZoneInfo) -> str:
    label = _ACTIONS.get(action, "Cập nhật")
    if data.get("to"):
        label += f" đến {day(date.fromisoformat(data['to']))}"
    by = f" ({who})" if who else ""
    said = f": {note}" if note else ""
    return f"• {at.astimezone(zone):%d/%m/%Y %H:%M} – {label}{by}{said}"


def task_detail(detail: TaskDetail, now: datetime, zone: ZoneInfo) -> str:
    """"Chi tiết N": the whole task, its notice, deadline as written, units, people, history."""
    task = detail.task
    state = "đang mở" if task.status == TASK_OPEN else "đã xong"
    lines = [task.text, "", f"• Thông báo: {notice_line(detail.notice)}"]
    written = f" (thông báo ghi: {task.deadline_raw})" if task.deadline_raw else ""
    deadline = say_deadline(task, now, zone)
    lines.append(f"• {deadline[:1].upper()}{deadline[1:]}{written}")
    lines.append(f"• Chủ trì: {detail.unit.name if detail.unit else task.unit_raw or 'chưa rõ'}")
    if detail.assignees:
        lines.append(f"• Người được giao: {names([o.full_name for o in detail.assignees])}")
    if detail.heads:
        lines.append(f"• Trưởng đơn vị: {names([o.full_name for o in detail.heads])}")
    if detail.coordinators or task.coordinating_raw:
        units = [u.name for u in detail.coordinators] or list(task.coordinating_raw)
        lines.append(f"• Phối hợp: {names(units)}")
    if task.status != TASK_OPEN and task.closed_at:
        lines.append(f"• Báo xong: {detail.closed_by or 'không rõ'}, {say_when(task.closed_at, now, zone)}"
                     + (f" – {task.close_note}" if task.close_note else ""))
    if detail.history:
        lines += ["", "Lịch sử:"]
        lines += [history_line(e.action, e.at, who, e.note, e.data or {}, zone) for e, who in detail.history]
    return join(f"Việc #{task.id} ({state})", lines)


def not_found(n: int) -> str:
    return f"Không tìm thấy việc #{n}. Anh/chị kiểm tra lại số việc (gõ «việc của tôi» để xem)."


def cannot_view(n: int) -> str:
    return f"Việc #{n} không thuộc đơn vị của anh/chị nên Nhắc Việc không hiển thị được."


def cannot_view_unit(own_unit: str) -> str:
    return f"Anh/chị chỉ xem được việc của đơn vị mình. Gõ «việc phòng» để xem việc của {own_unit}."


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


def which_task(command: str) -> str:
    return f"Anh/chị ghi kèm số việc, ví dụ: «{command} 7»."


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
    return (f"Đề nghị gia hạn việc #{n} ({unit}): {shorten(text)}\n"
            f"• Hạn hiện tại: {current}\n• Xin gia hạn đến: {say_day(wanted, today)}\n"
            f"• Người đề nghị: {asker}\n• Lý do: {reason}")


def decision_buttons(n: int) -> tuple[Button, ...]:
    return (Button(f"Duyệt gia hạn #{n}", f"duyệt gia hạn {n}"),
            Button(f"Từ chối gia hạn #{n}", f"từ chối gia hạn {n}"), detail_button(n))


def no_pending_extension(n: int) -> str:
    return f"Việc #{n} không có đề nghị gia hạn nào đang chờ."


def already_decided(n: int, approved: bool, by: str | None) -> str:
    what = "duyệt" if approved else "từ chối"
    return f"Đề nghị gia hạn việc #{n} đã được {by or 'người khác'} {what} trước đó."


def cannot_decide(n: int, approvers: list[str], other_leaders: bool) -> str:
    deciders = names(approvers + (["lãnh đạo Sở khác"] if other_leaders else []), last="hoặc")
    return f"Anh/chị chưa có quyền duyệt gia hạn việc #{n}. Người duyệt: {deciders}."


def decided_for_decider(n: int, approved: bool, wanted: date, today: date, asker: str) -> str:
    if approved:
        return f"Đã duyệt gia hạn việc #{n} đến {say_day(wanted, today)} và báo cho {asker}."
    return f"Đã từ chối đề nghị gia hạn việc #{n} và báo cho {asker}."


def decided_for_asker(n: int, approved: bool, wanted: date, today: date, decider: str, note: str | None) -> str:
    if approved:
        return f"Việc #{n} đã được {decider} duyệt gia hạn đến {say_day(wanted, today)}."
    said = f" Lý do: {note}" if note else ""
    return f"Đề nghị gia hạn việc #{n} đến {say_day(wanted, today)} chưa được {decider} đồng ý.{said}"


# --- linking ------------------------------------------------------------------------------------

NOT_LINKED = ("Tài khoản Zalo này chưa được liên kết với cán bộ nào của Sở. "
              f"Để dùng Nhắc Việc, anh/chị {LINK_HINT}")
WELCOME = ("Chào mừng anh/chị đến với Nhắc Việc của Sở Khoa học và Công nghệ! "
           f"Để nhận việc và lời nhắc, anh/chị {LINK_HINT}")
CODE_MISSING = "Anh/chị gửi kèm mã liên kết, ví dụ: đăng ký K7MP3X"
CODE_WRONG = "Mã liên kết không đúng. Anh/chị kiểm tra lại mã do Văn phòng Sở cấp."
CODE_USED = "Mã liên kết này đã được dùng. Anh/chị xin Văn phòng Sở mã mới."
CODE_EXPIRED = "Mã liên kết này đã hết hạn. Anh/chị xin Văn phòng Sở mã mới."
CODE_REPLACED = ("Mã liên kết này đã được Văn phòng Sở thay bằng mã mới. Anh/chị dùng mã mới nhất được gửi, "
                 "hoặc xin Văn phòng Sở cấp lại.")
UNLINK_CONFIRM = ("Anh/chị có chắc muốn hủy liên kết tài khoản Zalo này? Sau khi hủy, Nhắc Việc sẽ không nhắc việc "
                  "cho anh/chị nữa. Bấm «Xác nhận hủy» (hoặc gõ «hủy đăng ký» lần nữa) để hủy.")
UNLINK_CONFIRM_BUTTON = Button("Xác nhận hủy", "hủy đăng ký xác nhận")
UNLINKED = ("Đã hủy liên kết. Nhắc Việc sẽ không gửi tin cho tài khoản Zalo này nữa. "
            "Muốn liên kết lại, anh/chị gửi: đăng ký MÃ")


def welcome_back(name: str) -> str:
    return f"Chào mừng anh/chị {name} quay lại Nhắc Việc! Gõ «việc của tôi» để xem việc đang mở."


def linked(name: str, unit: str) -> str:
    return (f"Đã liên kết tài khoản Zalo này với anh/chị {name} ({unit}). "
            "Gõ «việc của tôi» để xem việc đang mở, «giúp» để xem các lệnh.")


def already_linked(name: str) -> str:
    return f"Tài khoản Zalo này đang liên kết với anh/chị {name}. Muốn đổi, anh/chị gõ «hủy đăng ký» trước."


def tries_blocked(until: datetime, now: datetime, zone: ZoneInfo) -> str:
    return f"Anh/chị đã nhập sai mã nhiều lần. Vui lòng thử lại sau {say_when(until, now, zone)}."


# --- help ---------------------------------------------------------------------------------------

def help_text(commands: list[tuple[str, str]], linked_officer: bool) -> str:
    """The commands this reader may use: (usage, what it does)."""
    lines = [f"• {usage} – {what}" for usage, what in commands]
    if not linked_officer:
        return "\n".join([NOT_LINKED, "", "Các lệnh:", *lines])
    return "\n".join(["Nhắc Việc hiểu các lệnh sau (có dấu hay không dấu đều được):", *lines])


def not_understood(help_body: str) -> str:
    return f"Xin lỗi, Nhắc Việc chưa hiểu tin nhắn này.\n\n{help_body}"


ONLY_TEXT = "Nhắc Việc chỉ đọc được tin nhắn chữ. Anh/chị gõ «giúp» để xem các lệnh."


def did_you_mean(suggestion: str) -> str:
    return f"Có phải anh/chị muốn gõ '{suggestion}'?"
