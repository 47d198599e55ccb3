"""What the office does to a task on someone's behalf: close, reopen, extend, hand it to an
officer or take it back, add a note.

Each action names the officer on whose authority it is done (checked against the same rules as
in chat, `tasks.permissions`), goes through `tasks.lifecycle` (the history keeps who, and that it
came through the console and from which clerk), and is told on Zalo, through the outbox, to the
people the task concerns, by the same rule and in the same words as a change made in chat
(`tasks.telling`); the office is the one who made it, on the named officer's authority.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from handlers import replies
from handlers import telling as telling_messages
from storage.models import TASK_OPEN, Officer, Task
from tasks import lifecycle, permissions, queries, telling
from tasks.deadlines import last_day
from tasks.wording import gist, say_date, say_day, say_deadline
from zalo.outbox import enqueue_many


class ActionRefused(ValueError):
    """What the office asked cannot be done; the message is for the clerk. Nothing changed."""


def responsible(session: Session, task: Task) -> list[Officer]:
    """Who answers for the task: its people, else the head of its unit (active ones)."""
    named = [o for o in queries.assignees(session, task.id) if o.active]
    return named or queries.unit_heads(session, task.unit_id)


def may_act_for(session: Session, task: Task, officer: Officer, action: str) -> bool:
    """May the office act on this officer's authority? The rules of the chat."""
    if not officer.active:
        return False
    if action in ("close", "reopen"):
        return permissions.may_close(officer, task, {o.id for o in queries.assignees(session, task.id)})
    if action == "extend":
        return permissions.may_decide(officer, {o.id for o in permissions.deciders(session, task)})
    if action in ("delegate", "revoke"):
        return bool(_parts(session, task, officer))
    return True


def _parts(session: Session, task: Task, officer: Officer) -> set[int]:
    """The parts of the task this officer may hand out (`permissions.delegable_units`)."""
    return permissions.delegable_units(officer, task, {u.id for u in queries.coordinators(session, task.id)})


def authorities(session: Session, task: Task) -> dict[str, list[Officer]]:
    """For each action, the officers the office may name as its authority (the chat's rules)."""
    assigned = {o.id for o in queries.assignees(session, task.id)}
    deciding = {o.id for o in permissions.deciders(session, task)}
    helping = {u.id for u in queries.coordinators(session, task.id)}
    candidates = session.exec(select(Officer).where(Officer.active == True, or_(  # noqa: E712
        Officer.id.in_(assigned | deciding), Officer.role.in_(permissions.DECIDER_ROLES),
        (Officer.role == "head") & (Officer.unit_id.in_([task.unit_id, *helping])))).order_by(Officer.full_name)).all()
    closers = [o for o in candidates if permissions.may_close(o, task, assigned)]
    delegators = [o for o in candidates if permissions.delegable_units(o, task, helping)]
    return {"close": closers, "reopen": closers, "note": closers, "delegate": delegators, "revoke": delegators,
            "extend": [o for o in candidates if permissions.may_decide(o, deciding)]}


def handable(session: Session, task: Task) -> list[Officer]:
    """Every officer the task may be handed to, by someone (its unit's and its coordinating
    units' staff); whether the chosen authority may is checked on the way in."""
    helping = {u.id for u in queries.coordinators(session, task.id)}
    return queries.unit_staff(session, sorted(permissions.parts_of(task, helping)))


def _lines(session: Session, task: Task, action: str, authority: Officer, now: datetime, settings,
           told_already: frozenset[int] = frozenset(), **details) -> list[telling.Tell]:
    """Who hears of a change the office made on `authority`'s word, and what (the authority too:
    they did not make it themselves)."""
    made = telling.Change(action, task.id, gist(task.text), f"Văn phòng Sở (theo ý kiến của {authority.full_name})",
                          None, **details)
    return telling.told(made, telling.concerned(session, task), now.astimezone(settings.zone).date(), told_already)


def _tell(session: Session, task: Task, action: str, authority: Officer, now: datetime, settings,
          **details) -> list[str]:
    """Tell the people `task` concerns of a change; returns the names of those told on Zalo."""
    return _send(session, task, action, _lines(session, task, action, authority, now, settings, **details), now)


def _send(session: Session, task: Task, action: str, lines: list[telling.Tell], now: datetime) -> list[str]:
    """The lines as one message per reader, through the outbox; the names of those told."""
    out = telling_messages.messages(session, [(task.id, line) for line in lines])
    enqueue_many(session, [(f"console:{action}:{task.id}:{now.isoformat()}:{m.officer_id}", m) for m in out])
    names = {o.id: o.full_name for o in session.exec(select(Officer).where(Officer.id.in_([m.officer_id for m in out])))}
    return [names[m.officer_id] for m in out]


def _said(names: list[str]) -> str:
    return f" Đã báo qua Zalo cho {replies.names(names)}." if names else " Không ai phụ trách việc này có Zalo để báo."


def _checked(session: Session, task: Task, authority: Officer, action: str) -> None:
    if not task.published:
        raise ActionRefused(f"Việc #{task.id} chưa công bố (hoặc đã hủy): không thao tác được.")
    if action in ("delegate", "revoke") and task.status != TASK_OPEN:  # as in chat: a closed task stays as it is
        raise ActionRefused(f"Việc #{task.id} đã xong: không giao hay thu hồi được.")
    if not may_act_for(session, task, authority, action):
        raise ActionRefused(f"{authority.full_name} không có quyền này với việc #{task.id}.")


def close_for(session: Session, task: Task, authority: Officer, note: str | None, via: dict, settings,
              now: datetime) -> str:
    _checked(session, task, authority, "close")
    if not lifecycle.close(session, task, authority, note, settings, now, via=via):
        raise ActionRefused(f"Việc #{task.id} đã xong từ trước: không có gì thay đổi.")
    told = _tell(session, task, telling.CLOSED, authority, now, settings, note=note)
    return f"Đã ghi nhận việc #{task.id} xong theo báo cáo của {authority.full_name}.{_said(told)}"


def reopen_for(session: Session, task: Task, authority: Officer, note: str | None, via: dict, settings,
               now: datetime) -> str:
    _checked(session, task, authority, "reopen")
    if not lifecycle.reopen(session, task, authority, note, settings, now, via=via):
        raise ActionRefused(f"Việc #{task.id} đang mở: không có gì thay đổi.")
    told = _tell(session, task, telling.REOPENED, authority, now, settings, note=note)
    return f"Đã mở lại việc #{task.id} theo ý kiến của {authority.full_name}.{_said(told)}"


def extend_for(session: Session, task: Task, authority: Officer, day: date, note: str | None, via: dict, settings,
               now: datetime) -> str:
    """Give more time on a leader's (or the office's) decision: a pending request for that day is
    approved; otherwise the decision is kept as a request granted at once."""
    _checked(session, task, authority, "extend")
    today = now.astimezone(settings.zone).date()
    current = last_day(task.deadline_kind, task.deadline_date, task.deadline_time)
    if task.status != TASK_OPEN:
        raise ActionRefused(f"Việc #{task.id} đã xong, không cần gia hạn.")
    if task.deadline_kind == "recurring":
        raise ActionRefused(f"Việc #{task.id} là việc định kỳ, không gia hạn được.")
    if day < today or (current is not None and day <= current):
        raise ActionRefused(f"Ngày gia hạn phải từ hôm nay trở đi và sau hạn hiện tại"
                            f"{f' ({say_date(current)})' if current else ''}.")
    request = queries.pending_extension(session, task.id)
    if request is not None and request.requested_date != day:
        lifecycle.refuse_extension(session, task, request, authority, f"Văn phòng Sở gia hạn đến {say_date(day)}",
                                   settings, now)
        request = None
    if request is None:
        request = lifecycle.ask_extension(session, task, authority, day, note or "Văn phòng Sở ghi nhận", now)
    lifecycle.extend(session, task, request, authority, note, settings, now, via=via)
    told = _tell(session, task, telling.EXTENDED, authority, now, settings, day=day)
    return f"Đã gia hạn việc #{task.id} đến {say_day(day, today)} theo ý kiến của {authority.full_name}.{_said(told)}"


def note_for(session: Session, task: Task, authority: Officer, note: str, via: dict, settings, now: datetime) -> str:
    note = " ".join(note.split())[:2000]
    if not note:
        raise ActionRefused("Anh/chị ghi nội dung ghi chú.")
    _checked(session, task, authority, "note")
    lifecycle.add_note(session, task, authority, note, now, via=via)
    told = _tell(session, task, telling.NOTED, authority, now, settings, note=note)
    return f"Đã thêm ghi chú cho việc #{task.id}.{_said(told)}"


def delegate_for(session: Session, task: Task, authority: Officer, officer: Officer, redo: bool, via: dict,
                 settings, now: datetime) -> str:
    """Hand the task to `officer` on a head's or a leader's word, as "giao" (or, `redo`, "giao
    lại") does in chat: the same rule (`lifecycle.hand_over`), the same people told."""
    _checked(session, task, authority, "delegate")
    if officer.id not in {o.id for o in permissions.handable(session, authority, _parts(session, task, authority))}:
        raise ActionRefused(f"{authority.full_name} không giao được việc #{task.id} cho {officer.full_name}.")
    taken, given = lifecycle.hand_over(session, task, authority, officer, settings, now, redo=redo, via=via)
    if not (taken or given):
        raise ActionRefused(f"Việc #{task.id} đã giao cho {officer.full_name} từ trước.")
    lines = []
    if taken:
        lines += _lines(session, task, telling.REVOKED, authority, now, settings, frozenset({officer.id}),
                        to=tuple(o.id for o in taken), to_names=tuple(o.full_name for o in taken))
    if given:
        lines += _lines(session, task, telling.DELEGATED, authority, now, settings, to=(officer.id,),
                        to_names=(officer.full_name,), text=task.text, deadline=say_deadline(task, now, settings.zone))
    told = _send(session, task, "delegate", lines, now)
    back = f" (thu hồi từ {replies.names([o.full_name for o in taken])})" if taken else ""
    return f"Đã giao việc #{task.id} cho {officer.full_name}{back} theo ý kiến của {authority.full_name}.{_said(told)}"


def revoke_for(session: Session, task: Task, authority: Officer, officer: Officer, via: dict, settings,
               now: datetime) -> str:
    """Take the task back from `officer` on a head's or a leader's word, as "thu hồi" does in chat."""
    _checked(session, task, authority, "revoke")
    parts = _parts(session, task, authority)
    if not any(o.id == officer.id and d.unit_id in parts for d, o in queries.delegations(session, task.id)):
        raise ActionRefused(f"Việc #{task.id} không giao cho {officer.full_name} (trong phần {authority.full_name} "
                            f"phụ trách).")
    taken = lifecycle.revoke(session, task, authority, [officer], settings, now, via=via)
    if not taken:
        raise ActionRefused(f"Việc #{task.id} đã được thu hồi từ {officer.full_name} từ trước.")
    told = _tell(session, task, telling.REVOKED, authority, now, settings, to=(officer.id,), to_names=(officer.full_name,))
    return f"Đã thu hồi việc #{task.id} từ {officer.full_name} theo ý kiến của {authority.full_name}.{_said(told)}"
