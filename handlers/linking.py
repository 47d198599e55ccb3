"""Who is writing: linking a Zalo account to an officer, unlinking, and the follow events.

An officer links by sending "đăng ký MÃ" with a one-time code from `nhacviec link-code` or the
console (7 days, single use, easy to type on a phone). A new code leaves an unexpired one
working unless the office voids it; whoever sends a voided code is told it was replaced. Five
wrong tries from one account within an hour block that account's tries for an hour. "hủy đăng
ký" asks once for confirmation before it unlinks. `user_withdraw` (personal-data law) forgets the
account: its Zalo id and stored chat go; the officer's directory row and task history stay, and
so does its count of wrong tries (withdrawing and following again is no way to guess on).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Text, cast, delete, update
from sqlmodel import Session, select

from handlers import replies
from handlers.routing import GUESTS, Context, Router
from storage.models import ChatState, InboundEvent, LinkAttempt, LinkCode, Officer, OutboxMessage, Unit
from tasks.text import fold
from zalo.messages import Outgoing

router = Router()

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing to misread on a phone screen.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
CODE_LIFETIME = timedelta(days=7)
MAX_WRONG_TRIES = 5
TRY_WINDOW = timedelta(hours=1)


# --- codes --------------------------------------------------------------------------------------

def issue_link_code(session: Session, officer: Officer, now: datetime, *, void_earlier: bool = False) -> LinkCode:
    """A new code for `officer`. Earlier unused codes keep working unless `void_earlier` (the
    office says so): then they stop, and whoever sends one is told it was replaced."""
    if void_earlier:
        session.execute(
            update(LinkCode)
            .where(LinkCode.officer_id == officer.id, LinkCode.used_at.is_(None), LinkCode.expires_at > now)
            .values(expires_at=now, voided_at=now)
        )
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(LinkCode.id).where(LinkCode.code == code)).first() is None:
            break
    row = LinkCode(code=code, officer_id=officer.id, created_at=now, expires_at=now + CODE_LIFETIME)
    session.add(row)
    session.flush()
    return row


# Words people put before the code: "đăng ký mã số: K7MP3X", "đăng ký là K7MP3X".
_BEFORE_CODE = {"ma", "so", "la"}


def code_written(text: str) -> str:
    """The code as typed after "đăng ký" ("mã: k7mp3x" -> "K7MP3X")."""
    words = ["".join(c for c in fold(w) if c.isalnum()).upper() for w in text.split()]
    return next((w for w in words if w and w.lower() not in _BEFORE_CODE), "")


def blocked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When an account may try again: an hour after its fifth wrong try within an hour."""
    recent = sorted(failures)[-MAX_WRONG_TRIES:]
    if len(recent) < MAX_WRONG_TRIES or recent[-1] - recent[0] > TRY_WINDOW:
        return None
    until = recent[-1] + TRY_WINDOW
    return until if until > now else None


def _failures(session: Session, zalo_user_id: str, now: datetime) -> list[datetime]:
    return list(session.exec(
        select(LinkAttempt.at).where(LinkAttempt.zalo_user_id == zalo_user_id, LinkAttempt.at > now - 2 * TRY_WINDOW)
    ))


def _code_problem(row: LinkCode | None, now: datetime) -> str | None:
    if row is None:
        return replies.CODE_WRONG
    if row.used_at is not None:
        return replies.CODE_USED
    if row.voided_at is not None:
        return replies.CODE_REPLACED
    if row.expires_at <= now:
        return replies.CODE_EXPIRED
    return None


# --- commands -----------------------------------------------------------------------------------

@router.command("đăng ký", "đăng kí", usage="đăng ký MÃ", what="liên kết tài khoản Zalo này bằng mã Văn phòng Sở cấp",
                audience=GUESTS)
def link(ctx: Context) -> list[Outgoing]:
    session, now, user = ctx.session, ctx.now, ctx.user_id
    if ctx.officer is not None:
        return [ctx.reply(replies.already_linked(ctx.officer.full_name), (replies.MY_TASKS, replies.HELP))]
    failures = _failures(session, user, now)
    until = blocked_until(failures, now)
    if until is not None:
        return [ctx.reply(replies.tries_blocked(until, now, ctx.zone))]
    code = code_written(ctx.message.text_from(ctx.after))
    if not code:
        return [ctx.reply(replies.CODE_MISSING, (replies.HELP,))]
    row = session.exec(select(LinkCode).where(LinkCode.code == code)).first()
    problem = _code_problem(row, now)
    won = problem is None and session.execute(
        update(LinkCode).where(LinkCode.id == row.id, LinkCode.used_at.is_(None), LinkCode.expires_at > now)
        .values(used_at=now)
    ).rowcount
    officer = session.get(Officer, row.officer_id) if won else None
    if officer is None or not officer.active:
        session.add(LinkAttempt(zalo_user_id=user, at=now))
        text = problem or replies.CODE_USED
        until = blocked_until([*failures, now], now)  # this try may be the one that blocks: say so now
        if until is not None:
            text = f"{text} {replies.tries_blocked(until, now, ctx.zone)}"
        return [ctx.reply(text, (replies.HELP,))]
    # An account left on an officer who is no longer active is taken over.
    session.execute(update(Officer).where(Officer.zalo_user_id == user).values(zalo_user_id=None))
    officer.zalo_user_id, officer.last_interaction_at, officer.unreachable_since = user, now, None
    session.add(officer)
    ctx.officer = officer
    unit = session.get(Unit, officer.unit_id)
    return [ctx.reply(replies.linked(officer.full_name, unit.name), (replies.MY_TASKS, replies.HELP))]


# Words after "hủy đăng ký" that confirm it (the button sends "hủy đăng ký xác nhận").
_CONFIRMING = {"xac nhan", "dong y", "co", "chac chan", "ok"}
CONFIRM_WINDOW = timedelta(minutes=10)


def _asked_just_now(ctx: Context) -> bool:
    """Was the last thing we sent this account, within the window, the question "are you sure"?"""
    last = ctx.session.exec(
        select(OutboxMessage.text, OutboxMessage.created_at).where(OutboxMessage.zalo_user_id == ctx.user_id)
        .order_by(OutboxMessage.id.desc())
    ).first()
    return bool(last) and last[0] == replies.UNLINK_CONFIRM and last[1] > ctx.now - CONFIRM_WINDOW


@router.command("hủy đăng ký", "hủy đăng kí", usage="hủy đăng ký", what="bỏ liên kết tài khoản Zalo này")
def unlink(ctx: Context) -> list[Outgoing]:
    """Asks once ("are you sure?"); unlinks when confirmed, or asked again within minutes."""
    said = fold(ctx.message.text_from(ctx.after)).strip(" .!?:")
    if said not in _CONFIRMING and not _asked_just_now(ctx):
        return [ctx.reply(replies.UNLINK_CONFIRM, (replies.UNLINK_CONFIRM_BUTTON, replies.MY_TASKS))]
    ctx.officer.zalo_user_id = None
    ctx.session.add(ctx.officer)
    return [ctx.reply(replies.UNLINKED)]


# --- follow events ------------------------------------------------------------------------------

@router.event("follow")
def follow(ctx: Context) -> list[Outgoing]:
    if ctx.officer is None:
        return [ctx.reply(replies.WELCOME, (replies.HELP,))]
    return [ctx.reply(replies.welcome_back(ctx.officer.full_name), (replies.MY_TASKS, replies.HELP))]


@router.event("unfollow")
def unfollow(ctx: Context) -> list[Outgoing]:
    """Nothing can be sent to them now; the office sees them as unreachable."""
    if ctx.officer is not None and ctx.officer.unreachable_since is None:
        ctx.officer.unreachable_since = ctx.now
        ctx.session.add(ctx.officer)
    return []


@router.event("user_withdraw")
def withdraw(ctx: Context) -> list[Outgoing]:
    forget_account(ctx.session, ctx.user_id, ctx.now)
    ctx.state = None  # forgotten: nothing is remembered of this event either
    return []


def forget_account(session: Session, zalo_user_id: str, now: datetime) -> None:
    """Delete what identifies a Zalo account: its link, the events it sent or that name it
    (echoes of our messages to it), the texts we sent it, what the chat remembered of it; its
    failed link tries of the last two hours stay, so the limit on guessing codes holds."""
    session.execute(
        update(Officer).where(Officer.zalo_user_id == zalo_user_id)
        .values(zalo_user_id=None, last_interaction_at=None, unreachable_since=now)
    )
    naming = cast(InboundEvent.payload, Text).contains(f'"{zalo_user_id}"', autoescape=True)
    session.execute(
        update(InboundEvent).where((InboundEvent.zalo_user_id == zalo_user_id) | naming)
        .values(payload={}, zalo_user_id=None).execution_options(synchronize_session="fetch")
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.zalo_user_id == zalo_user_id, OutboxMessage.status.in_(("pending", "claimed", "held")))
        .values(status="failed", last_error="the Zalo user asked us to delete their data")
    )
    session.execute(
        update(OutboxMessage).where(OutboxMessage.zalo_user_id == zalo_user_id)
        .values(zalo_user_id="", text="", buttons=[])
    )
    # The wrong link codes it tried still count (withdrawing must not reset the guessing limit);
    # only those too old to count any more go.
    session.execute(delete(LinkAttempt).where(LinkAttempt.zalo_user_id == zalo_user_id,
                                              LinkAttempt.at <= now - 2 * TRY_WINDOW))
    session.execute(delete(ChatState).where(ChatState.zalo_user_id == zalo_user_id))
