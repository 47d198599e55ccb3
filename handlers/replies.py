"""Everything the conversation says about lists and tasks, built by pure functions from what the
handlers read (`handlers.replies_changes` says what changing a task answers).

Texts speak as the Sở writes: short, polite ("anh/chị"), full diacritics. Every line that
lists a task begins with `#N`; a list is grouped under short headings (`tasks.lists`), the
soonest first in each. Dates, times and deadlines are worded by `tasks.wording`, as reminders
are. A long list is one reply: the Zalo client sends it in parts under 2,000 characters, cut
between lines and in order, with the buttons under the last part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from storage.models import TASK_OPEN, Notice, Task
from tasks.lists import grouped
from tasks.queries import MAX_TASK_NUMBER, TaskDetail
from tasks.wording import headline, notice_label, say_ago, say_date, say_day, say_deadline, say_when
from tasks.wording import say_names as names
from zalo.messages import Button

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


def progress_button(n: int) -> Button:
    """Sends "tiến độ N": the answer asks what to report."""
    return Button(f"Báo tiến độ #{n}", f"tiến độ {n}")


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


def join(header: str, lines: list[str]) -> str:
    return "\n".join([header, *lines])


@dataclass(frozen=True)
class Marks:
    """What a list adds to a task's line: '(phối hợp)' for a unit that only coordinates it, the
    unit's code in a list that spans units, when its latest progress report came."""

    coordinating: frozenset[int] = frozenset()
    units: dict[int, str] = field(default_factory=dict)
    reported: dict[int, datetime] = field(default_factory=dict)


NO_MARKS = Marks()


def task_line(task: Task, now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    """'#7 – hạn thứ Sáu 21/02 – dự thảo Chính sách…', marked '(phối hợp)' or with its unit's
    code ('#7 (QLCN) – …'), and '· tiến độ hôm qua' when progress was reported."""
    shown = (marks.units.get(task.id), "phối hợp" if task.id in marks.coordinating else None)
    flags = "".join(f" ({m})" for m in shown if m)
    reported = marks.reported.get(task.id)
    progress = f" · tiến độ {say_ago(reported, now, zone)}" if reported else ""
    return f"#{task.id}{flags} – {say_deadline(task, now, zone)} – {headline(task.text)}{progress}"


def task_lines(tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS, *,
               headings: bool = True) -> list[str]:
    """The tasks' lines under their headings ("Hôm nay", "Sắp đến hạn", "Quá hạn", …), soonest first."""
    lines: list[str] = []
    for heading, group in grouped(tasks, now, zone):
        if headings:
            lines += [*([""] if lines else []), f"{heading}:"]
        lines += [task_line(t, now, zone, marks) for t in group]
    return lines


# --- lists ---------------------------------------------------------------------------------------

def my_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    return join(f"Việc đang mở của anh/chị ({len(tasks)}):", task_lines(tasks, now, zone, marks))


def none_of_yours(what: str, unit: str | None = None, counts: tuple[int, int] = (0, 0)) -> str:
    """An officer with no such task of their own: said plainly, and what their unit has open."""
    text = f"Anh/chị không có việc nào {what}."
    open_, late = counts
    if unit and open_:
        late_said = f", {late} quá hạn" if late else ""
        text += f" {unit} đang có {open_} việc mở{late_said}: gõ «việc phòng» để xem."
    return text


def leader_tasks(tasks: list[Task], units: list[tuple[str, int, int]], now: datetime, zone: ZoneInfo) -> str:
    """A leader's own tasks, then one line per unit they direct: (unit name, open, overdue)."""
    if tasks:
        header = f"Việc giao riêng cho anh/chị ({len(tasks)}):"
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


def unit_tasks(unit_name: str, tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    if not tasks:
        return f"{unit_name} hiện không có việc nào đang mở."
    lines = task_lines(tasks, now, zone, marks)
    if marks.coordinating:
        lines += ["", "(phối hợp): đơn vị phối hợp, đơn vị khác chủ trì."]
    return join(f"Việc đang mở của {unit_name} ({len(tasks)}):", lines)


def overdue_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    return join(f"Việc quá hạn ({len(tasks)}), quá hạn lâu nhất trước:",
                task_lines(tasks, now, zone, marks, headings=False))


def week_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    return join(f"Việc đến hạn tuần này ({len(tasks)}):", task_lines(tasks, now, zone, marks))


def today_tasks(tasks: list[Task], now: datetime, zone: ZoneInfo, marks: Marks = NO_MARKS) -> str:
    return join(f"Việc và cuộc họp hôm nay ({len(tasks)}):", task_lines(tasks, now, zone, marks))


# --- one task -----------------------------------------------------------------------------------

_ACTIONS = {
    "created": "Nhập từ thông báo",
    "published": "Giao việc",
    "closed": "Báo xong",
    "reopened": "Mở lại",
    "extension_requested": "Đề nghị gia hạn",
    "extension_approved": "Duyệt gia hạn",
    "extension_refused": "Từ chối gia hạn",
    "delegated": "Giao cho",
    "delegation_revoked": "Thu hồi việc đã giao cho",
    "progress": "Báo cáo tiến độ",
    "part_done": "Xong phần phối hợp",
    "progress_attachment": "Gửi kèm tiến độ",
}
_ATTACHED = {"image": "ảnh", "file": "tệp"}


def notice_line(notice: Notice) -> str:
    """'Thông báo kết luận tuần 7 (số 12/TB-SKHCN ngày 18/02/2025)'; the meeting day when the
    notice's own date is not known."""
    label = notice_label(notice.week, notice.symbol, notice.meeting_on)
    if notice.number and notice.symbol:
        reference = f"số {notice.number}/{notice.symbol}"
    else:
        reference = notice.number or notice.symbol
    if notice.issued_on:
        dated = f"ngày {say_date(notice.issued_on)}"
    elif notice.meeting_on and notice.week:  # a label without the week already names the meeting day
        dated = f"họp ngày {say_date(notice.meeting_on)}"
    else:
        dated = None
    parts = [p for p in (reference, dated) if p]
    details = (" " if notice.issued_on else ", ").join(parts)  # "số 12/TB ngày …", "TB, họp ngày …"
    return f"{label} ({details})" if details else label


def history_line(action: str, at: datetime, who: str | None, note: str | None, data: dict, now: datetime,
                 zone: ZoneInfo) -> str:
    label = _ACTIONS.get(action, "Cập nhật")
    if data.get("to"):
        label += f" đến {say_day(date.fromisoformat(data['to']), now.astimezone(zone).date())}"
    if data.get("name"):
        label += f" {data['name']}"
    if data.get("type") in _ATTACHED:
        label += f" ({_ATTACHED[data['type']]})"
    by = f" ({who})" if who else ""
    said = f": {note}" if note else ""
    return f"• {say_when(at, now, zone)} – {label}{by}{said}"


def attachments_said(attachments: list[dict]) -> str:
    """'(2 ảnh, 1 tệp)' for what came with a report, '' for nothing."""
    counts = {kind: sum(1 for a in attachments if a.get("type") == kind) for kind in _ATTACHED}
    said = [f"{n} {_ATTACHED[kind]}" for kind, n in counts.items() if n]
    return f" ({', '.join(said)})" if said else ""


def progress_lines(detail: TaskDetail, now: datetime, zone: ZoneInfo, shown: int = 3) -> list[str]:
    """The latest progress reports, newest first: when, who (for which unit), what, with what."""
    lines = []
    for found in detail.reports[:shown]:
        report = found.report
        unit = f", {found.unit}" if detail.unit is None or found.unit != detail.unit.name else ""
        what = "xong phần phối hợp" if report.part_done else ""
        text = ": ".join(p for p in (what, report.text) if p)
        lines.append(f"• {say_ago(report.at, now, zone)} – {found.officer}{unit}: {text or '(không ghi nội dung)'}"
                     f"{attachments_said(report.attachments)}")
    if len(detail.reports) > shown:
        lines.append(f"• … và {len(detail.reports) - shown} báo cáo trước đó")
    return lines


def task_detail(detail: TaskDetail, now: datetime, zone: ZoneInfo) -> str:
    """"Chi tiết N": the whole task, its notice, deadline as written, units, people, progress, history."""
    task = detail.task
    state = "đang mở" if task.status == TASK_OPEN else "đã xong"
    lines = [task.text, "", f"• Thông báo: {notice_line(detail.notice)}"]
    written = f" (thông báo ghi: {task.deadline_raw})" if task.deadline_raw else ""
    deadline = say_deadline(task, now, zone)
    lines.append(f"• {deadline[:1].upper()}{deadline[1:]}{written}")
    lines.append(f"• Chủ trì: {detail.unit.name if detail.unit else task.unit_raw or 'chưa rõ'}")
    for label, people in (("Người được giao", detail.assignees), ("Được giao thực hiện", detail.delegates),
                          ("Trưởng đơn vị", detail.heads)):
        if people:
            lines.append(f"• {label}: {names([o.full_name for o in people])}")
    if detail.coordinators or task.coordinating_raw:
        units = [u.name for u in detail.coordinators] or list(task.coordinating_raw)
        lines.append(f"• Phối hợp: {names(units)}")
    if task.status != TASK_OPEN and task.closed_at:
        lines.append(f"• Báo xong: {detail.closed_by or 'không rõ'}, {say_when(task.closed_at, now, zone)}"
                     + (f" – {task.close_note}" if task.close_note else ""))
    if detail.reports:
        lines += ["", "Tiến độ:", *progress_lines(detail, now, zone)]
    if detail.history:
        lines += ["", "Lịch sử:"]
        lines += [history_line(e.action, e.at, who, e.note, e.data or {}, now, zone) for e, who in detail.history]
    return join(f"Việc #{task.id} ({state})", lines)


def not_found(n: int) -> str:
    if n > MAX_TASK_NUMBER:
        return "Số việc anh/chị ghi quá lớn: không có việc nào như vậy. Anh/chị gõ «việc của tôi» để xem số việc."
    return f"Không tìm thấy việc #{n}. Anh/chị kiểm tra lại số việc (gõ «việc của tôi» để xem)."


def cannot_view(n: int) -> str:
    return f"Việc #{n} không thuộc đơn vị của anh/chị nên Nhắc Việc không hiển thị được."


def cannot_view_unit(own_unit: str) -> str:
    return f"Anh/chị chỉ xem được việc của đơn vị mình. Gõ «việc phòng» để xem việc của {own_unit}."


def which_task(command: str) -> str:
    return f"Anh/chị ghi kèm số việc, ví dụ: «{command} 7»."


def untouched(left: list[int], most: int) -> str:
    """After acting on the first `most` tasks of a message: the rest were not touched."""
    shown = ", ".join(f"#{n}" for n in left[:5]) + (", …" if len(left) > 5 else "")
    return (f"Mỗi tin Nhắc Việc chỉ xử lý {most} việc đầu tiên: {len(left)} việc còn lại ({shown}) chưa được "
            "xử lý, anh/chị gửi lại trong tin khác.")

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


NOT_UNDERSTOOD_ONCE = ("Xin lỗi, Nhắc Việc chưa hiểu ý anh/chị. Anh/chị có thể gõ «việc của tôi», «quá hạn», "
                       "«xong N», hoặc «giúp» để xem các lệnh.")


# --- small talk ---------------------------------------------------------------------------------

def greeting(name: str | None) -> str:
    who = f"anh/chị {name}" if name else "anh/chị"
    return f"Chào {who}! Gõ «việc của tôi» để xem việc đang mở."


THANKS = "Dạ, Nhắc Việc luôn sẵn sàng hỗ trợ anh/chị."
NOTED = "Dạ, Nhắc Việc đã nhận."
GOODBYE = "Chào anh/chị, chúc anh/chị một ngày làm việc hiệu quả!"
