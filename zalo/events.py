"""What a Zalo event is, by its name and shape (docs/zalo.md, incoming events): kept in one place."""

from __future__ import annotations

from datetime import datetime, timezone

from storage.models import InboundEvent

# Column sizes the event's name and user id are stored in (longer ones are not Zalo's).
NAME_LIMIT = InboundEvent.__table__.c.event_name.type.length
USER_ID_LIMIT = InboundEvent.__table__.c.zalo_user_id.type.length

# The OA's own messages echoed back, and delivery/read receipts: never commands.
RECEIPTS = {"user_received_message", "user_seen_message"}
FOLLOW_EVENTS = {"follow", "unfollow"}


def is_echo(name: str) -> bool:
    return name.startswith("oa_send_")


def reaches_handlers(name: str) -> bool:
    return not is_echo(name) and name not in RECEIPTS


def is_interaction(name: str) -> bool:
    """Events that open Zalo's 7-day window: a message, a button tap, a follow."""
    return name.startswith("user_send_") or name == "follow"


def _field(event: dict, part: str):
    """`event[part]["id"]`, or None when that part is absent or not an object."""
    value = event.get(part)
    return value.get("id") if isinstance(value, dict) else None


def user_id(event: dict):
    """The Zalo user an event is about (None for the OA's own echoes and receipts).

    Zalo's ids are strings; anything else is returned as found, for `shape_problem` to refuse.
    """
    name = event.get("event_name", "")
    if is_echo(name) or name in RECEIPTS:
        return None
    if name in FOLLOW_EVENTS:
        return _field(event, "follower")
    return _field(event, "sender") or event.get("user_id")


def shape_problem(event: dict) -> str | None:
    """Why a verified event cannot be handled (missing fields), or None when it can."""
    name = event.get("event_name")
    if not isinstance(name, str) or not name:
        return "event_name is missing"
    if len(name) > NAME_LIMIT:
        return "event_name is too long"
    sender = user_id(event)
    if reaches_handlers(name) and not sender:
        return "the user id is missing"
    if sender is not None and not (isinstance(sender, str) and len(sender) <= USER_ID_LIMIT):
        return "the user id is not a Zalo id"
    if name == "user_send_text":
        message = event.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            return "message.text is missing"
    return None


def event_time(event: dict, received_at: datetime) -> datetime:
    """Zalo's timestamp (epoch ms as a string), never later than when we received it."""
    try:
        at = datetime.fromtimestamp(int(event["timestamp"]) / 1000, tz=timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return received_at
    return min(at, received_at)
