"""Which way a message reaches an officer, and what a template says (docs/zalo.md, channels).

Three ways, chosen per message: a text inside Zalo's 7-day window; outside it, a template by Zalo
user id; a ZNS template by phone number for an officer with no Zalo link, or when the user-id
template is missing or refused. ZNS is never sent between 22:00 and 06:00: it waits for 06:00.
Templates carry structured fields (`TEMPLATE_SOURCES`) and never speak of buttons: they have none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.models import TASK_OPEN, Notice, Officer, OutboxMessage, Task
from tasks.deadlines import overdue_days
from tasks.summary import OUTSIDE_WINDOW
from tasks.wording import gist, notice_label, say_deadline

# Zalo's window (docs/zalo.md): texts are free for 48 hours after the officer's last interaction,
# billed up to 7 days, then only templates reach them.
WINDOW = OUTSIDE_WINDOW
FREE_SPAN = timedelta(hours=48)
ZNS_QUIET_FROM, ZNS_QUIET_UNTIL = time(22, 0), time(6, 0)
# A field's value is cut to this (Zalo sets a limit per field with the template; 200 is the longer kind).
FIELD_LIMIT = 200
# Recipient key of a message for an officer with no Zalo link: reached by phone only.
NO_LINK_PREFIX = "phone:"
KIND_LABELS = {"reminder": "Nhắc việc", "overdue": "Việc quá hạn", "summary": "Tổng hợp tuần",
               "extension": "Gia hạn", "digest": "Tin chờ gửi", "reply": "Trả lời", "notice": "Thông báo"}
# Sentences that tell the reader to tap or answer: a template has no buttons and takes no answer.
_BUTTON_TALK = re.compile(r"[^.!?\n]*(?:bấm|Bấm|trả lời «|Trả lời «|nhấn|Nhấn)[^.!?\n]*[.!?]?")


def no_link_key(officer_id: int) -> str:
    return f"{NO_LINK_PREFIX}{officer_id}"


def zns_phone(phone: str | None) -> str | None:
    """The directory's number in Zalo's form: 0912 345 678 or +84912345678 -> 84912345678."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if re.fullmatch(r"84\d{9,10}", digits) else None


def in_zns_quiet_hours(at: datetime, zone: ZoneInfo) -> bool:
    wall = at.astimezone(zone).time()
    return wall >= ZNS_QUIET_FROM or wall < ZNS_QUIET_UNTIL


def zns_opens(at: datetime, zone: ZoneInfo) -> datetime:
    """The next 06:00 on the wall clock (at or after `at`)."""
    local = at.astimezone(zone)
    opening = datetime.combine(local.date(), ZNS_QUIET_UNTIL, zone)
    return opening if opening >= local else opening + timedelta(days=1)


def without_button_talk(text: str) -> str:
    return " ".join(_BUTTON_TALK.sub("", text).split())


@dataclass(frozen=True)
class TemplateFacts:
    """What a template may say about the message: every value is plain text, no button named."""

    kind: str
    task: str
    deadline: str
    gist: str
    notice: str
    text: str
    kind_key: str = ""  # reminder, overdue, summary, extension…: which template it goes by

    def template(self, default: str, per_kind: str) -> str:
        """The template for this kind of message: named in "kind=ID,..." or else the default."""
        for pair in filter(None, (p.strip() for p in per_kind.split(","))):
            kind, _, template_id = pair.partition("=")
            if kind.strip() == self.kind_key and template_id.strip():
                return template_id.strip()
        return default

    def fields(self, mapping: str) -> dict[str, str]:
        """"field=source,field=source" -> {field: value}; sources are this class's fields."""
        data = {}
        for pair in filter(None, (p.strip() for p in mapping.split(","))):
            name, _, source = pair.partition("=")
            data[name.strip()] = str(getattr(self, source.strip(), "") or "")[:FIELD_LIMIT]
        return data


TEMPLATE_SOURCES = ("kind", "task", "deadline", "gist", "notice", "text")


def template_facts(session: Session, message: OutboxMessage, now: datetime, zone: ZoneInfo) -> TemplateFacts:
    """The fields of a template for `message`, from the task as it stands now."""
    text = without_button_talk(message.text)
    task = session.get(Task, message.task_id) if message.task_id else None
    if task is None:
        first = text.split("\n", 1)[0]
        return TemplateFacts(KIND_LABELS.get(message.kind, "Thông báo"), "", "", first, "", text, message.kind)
    notice = session.get(Notice, task.notice_id)
    late = task.status == TASK_OPEN and overdue_days(task, now, zone) > 0
    kind = "overdue" if late else ("extension" if "gia hạn" in text.lower() and message.kind == "reply"
                                   else message.kind)
    label = notice_label(notice.week, notice.symbol, notice.meeting_on) if notice else ""
    return TemplateFacts(KIND_LABELS.get(kind, "Nhắc việc"), f"#{task.id}", say_deadline(task, now, zone),
                         gist(task.text), label, text, kind)


def recipient_key(officer: Officer, settings) -> str | None:
    """Whom a message to `officer` is queued for: their Zalo id; with no link, the officer by phone
    when a ZNS template is configured and the directory has a usable number; else None."""
    if officer.zalo_user_id:
        return officer.zalo_user_id
    if settings.zalo_zns_template_id and recipient_phone(officer):
        return no_link_key(officer.id)
    return None


def recipient_phone(officer: Officer | None) -> str | None:
    return zns_phone(officer.phone) if officer is not None and officer.active else None


def text_channel(message: OutboxMessage, officer: Officer | None, now: datetime) -> str:
    """`text` when the text is free, `billed` from 48 hours after the last interaction (a reply
    answers what they just wrote: free)."""
    last = officer.last_interaction_at if officer is not None else None
    if message.kind == "reply" or last is None or now - last <= FREE_SPAN:
        return "text"
    return "billed"


def reach(officer: Officer, settings, now: datetime) -> tuple[str, datetime | None]:
    """Where the officer stands for the bot now, in words for the office, and the moment it changes
    (or began): free until, billed until, outside since, reached by phone template."""
    by_phone = bool(settings.zalo_zns_template_id and recipient_phone(officer))
    if not officer.zalo_user_id:
        return ("Chưa liên kết: nhận tin mẫu qua số điện thoại", None) if by_phone else \
            ("Chưa liên kết: không nhận được tin", None)
    last = officer.last_interaction_at
    if last is not None and now - last <= FREE_SPAN:
        return "Nhắn miễn phí đến", last + FREE_SPAN
    if last is not None and now - last <= WINDOW:
        return "Nhắn tính phí đến", last + WINDOW
    if settings.zalo_template_id:
        how = "nhận tin mẫu Zalo"
    elif by_phone:
        how = "nhận tin mẫu qua số điện thoại"
    else:
        how = "tin đang giữ đến khi nhắn lại"
    if last is None:
        return f"Chưa nhắn cho OA lần nào: {how}", None
    return f"Ngoài 7 ngày, {how}, từ", last + WINDOW
