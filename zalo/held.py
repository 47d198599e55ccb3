"""What was held for an officer outside Zalo's window, rebuilt from the state at release
(docs/zalo.md, held messages).

When the officer writes again, what was held for them is folded into one message, read again
against the state of that moment: a reminder of a task closed meanwhile, an extension request
already decided, a summary superseded by a newer one (only the newest stays, and it is rebuilt
now), a notice about the recipient's own reachability, an announcement whose moment has passed
(tasks.planner.passed_purpose) are dropped. Each dropped message is kept in the delivery log,
marked `superseded` with the reason. What remains goes as one message, in the order it was queued.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import TASK_OPEN, Notice, Officer, OutboxMessage, Reminder, Task, Unit
from tasks.planner import OVERDUE, PASSED_DROP, PASSED_OVERDUE, passed_purpose
from tasks.queries import pending_extension
from tasks.summary import collect, summary_for, week_of
from tasks.wording import notice_label, reminder_text, say_moment
from zalo.messages import Button, Outgoing
from zalo.outbox import HELD_HEADER, enqueue

DECISION_PAYLOADS = ("duyệt gia hạn", "từ chối gia hạn")
UNREACHABLE_WORDS = "chưa liên lạc được"


class Release:
    """One officer's held messages, read against the state at `now`."""

    def __init__(self, session: Session, held: list[OutboxMessage], settings, now: datetime):
        self.session, self.held, self.settings, self.now = session, held, settings, now
        task_ids = {m.task_id for m in held if m.task_id}
        self.tasks = {t.id: t for t in session.exec(select(Task).where(Task.id.in_(task_ids)))}
        self.kinds = dict(session.exec(select(Reminder.outbox_id, Reminder.kind)
                                       .where(Reminder.outbox_id.in_([m.id for m in held]))).all())
        reminders = [m for m in held if m.kind == "reminder" and m.task_id]
        self.newest = {m.task_id: m.id for m in reminders}
        summaries = [m for m in held if m.kind == "summary"]
        self.newest_summary = summaries[-1].id if summaries else None
        charts = [m for m in held if m.kind == "image"]
        self.newest_chart = charts[-1].id if charts else None
        self.officer = session.get(Officer, held[0].officer_id) if held[0].officer_id else None

    def drop_reason(self, message: OutboxMessage) -> str | None:
        """Why this held message must not be sent now; None to keep it."""
        task = self.tasks.get(message.task_id)
        n = message.task_id
        if task is not None and task.status != TASK_OPEN:
            return f"bỏ khi gửi lại: việc #{n} đã đóng"
        if any(str(b.get("payload", "")).startswith(DECISION_PAYLOADS) for b in message.buttons) \
                and pending_extension(self.session, n) is None:
            return f"bỏ khi gửi lại: đề nghị gia hạn việc #{n} đã được quyết định"
        if message.kind == "summary" and message.id != self.newest_summary:
            return "bỏ khi gửi lại: đã có bản tổng hợp mới hơn"
        if message.kind == "image" and message.id != self.newest_chart:
            return "bỏ khi gửi lại: đã có biểu đồ mới hơn"
        if message.kind == "reminder" and task is not None and self.newest.get(n) != message.id:
            return f"bỏ khi gửi lại: đã có lời nhắc mới hơn cho việc #{n}"
        if self.officer and UNREACHABLE_WORDS in message.text and self.officer.full_name in message.text \
                and message.kind != "summary":
            return "bỏ khi gửi lại: tin nói về chính người nhận chưa liên lạc được"
        if task is not None and passed_purpose(self.kinds.get(message.id, ""), task, self.now) == PASSED_DROP:
            return f"bỏ khi gửi lại: cuộc họp của việc #{n} đã bắt đầu"
        return None

    def text_now(self, message: OutboxMessage) -> tuple[str | None, str | None]:
        """The text to send now (None: nothing left to say) and why it changed, if it did."""
        task = self.tasks.get(message.task_id)
        if message.kind == "summary":
            rebuilt = self._summary_now()
            return rebuilt, ("bỏ khi gửi lại: bản tổng hợp không còn gì để báo" if rebuilt is None
                             else "gộp, viết lại theo tình hình lúc gửi")
        if task is not None and passed_purpose(self.kinds.get(message.id, ""), task, self.now) == PASSED_OVERDUE:
            return self._overdue_line(task), "gộp, đổi thành tin quá hạn: hạn đã qua"
        return message.text, None

    def _summary_now(self) -> str | None:
        officer = self.officer
        if officer is None:
            return None
        unit = self.session.get(Unit, officer.unit_id)
        snap = collect(self.session, self.settings, week_of(self.now, self.settings), self.now)
        snap.unreachable = [p for p in snap.unreachable if p.officer_id != officer.id]
        return summary_for(officer, unit, snap, self.settings.zone)

    def _overdue_line(self, task: Task) -> str:
        notice = self.session.get(Notice, task.notice_id)
        label = notice_label(notice.week, notice.symbol, notice.meeting_on) if notice else ""
        return reminder_text(OVERDUE, task, label, self.now, zone=self.settings.zone)


def stale_at_sending(session: Session, message: OutboxMessage, now: datetime) -> str | None:
    """Why a reminder must not go now (a retry, a catch-up): what it announces has begun."""
    if message.kind != "reminder" or not message.task_id:
        return None
    kind = session.exec(select(Reminder.kind).where(Reminder.outbox_id == message.id)).first()
    task = session.get(Task, message.task_id)
    if task is not None and kind and passed_purpose(kind, task, now) == PASSED_DROP:
        return f"bỏ khi gửi: cuộc họp của việc #{task.id} đã bắt đầu"
    return None


def release_held(session: Session, zalo_user_id: str, settings, now: datetime) -> OutboxMessage | None:
    """Fold what was held for this user into one message, rebuilt now, and queue it (they just wrote)."""
    held = session.exec(
        select(OutboxMessage).where(OutboxMessage.zalo_user_id == zalo_user_id, OutboxMessage.status == "held")
        .order_by(OutboxMessage.id)
    ).all()
    if not held:
        return None
    for message in held:  # out of `held` first: the rebuilt summary must not count them as held
        message.status = "superseded"
        session.add(message)
    session.flush()
    release = Release(session, held, settings, now)
    kept: list[tuple[OutboxMessage, str]] = []
    for message in held:
        reason = release.drop_reason(message)
        text, change = (None, None) if reason else release.text_now(message)
        if text is None:
            message.last_error = reason or change
            continue
        message.last_error = change
        kept.append((message, text))
    digest = _queue_digest(session, zalo_user_id, held, kept, settings) if kept else None
    for message, _ in kept:
        message.status, message.folded_into_id = "folded", digest.id if digest else None
        session.add(message)
    return digest


def _queue_digest(session: Session, zalo_user_id: str, held: list[OutboxMessage],
                  kept: list[tuple[OutboxMessage, str]], settings) -> OutboxMessage | None:
    zone = settings.zone
    lines = [HELD_HEADER.format(count=len(kept))]
    lines += [f"• ({say_moment(m.created_at, zone)}) {text}" for m, text in kept if text]
    buttons: list[Button] = []
    for message, _ in kept:
        for b in message.buttons:
            if len(buttons) < 5 and all(b["payload"] != x.payload for x in buttons):
                buttons.append(Button(b["title"], b["payload"]))
    return enqueue(session, f"digest:{held[-1].id}",
                   Outgoing(zalo_user_id, "\n\n".join(lines), tuple(buttons), officer_id=held[0].officer_id,
                            kind="digest"))

