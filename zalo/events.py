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
# The user leaves the OA's app and asks to be forgotten.
WITHDRAW = "user_withdraw"


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

    Zalo's ids are strings; anything else is returned as found, for `why_ignored` to set aside.
    """
    name = event.get("event_name", "")
    if is_echo(name) or name in RECEIPTS:
        return None
    if name in FOLLOW_EVENTS:
        return _field(event, "follower")
    return _field(event, "sender") or event.get("user_id")


def is_known(name: str) -> bool:
    """Kinds the bot has a use for: the users' messages and follows, the OA's echoes and receipts."""
    return (is_echo(name) or name in RECEIPTS or name in FOLLOW_EVENTS or name == WITHDRAW
            or name.startswith("user_send_"))


def name_problem(event: dict) -> str | None:
    """Why a verified event cannot even be recorded (its name), or None."""
    name = event.get("event_name")
    if not isinstance(name, str) or not name:
        return "event_name is missing"
    if len(name) > NAME_LIMIT:
        return "event_name is too long"
    return None


def stored_user_id(event: dict) -> str | None:
    """The user id as it is stored: a Zalo id (a string that fits its column), else None."""
    sender = user_id(event)
    return sender if isinstance(sender, str) and 0 < len(sender) <= USER_ID_LIMIT else None


def why_ignored(event: dict) -> str | None:
    """Why a verified, recorded event is not handled (kept for the log only), or None when it is.

    Zalo sends kinds the bot has no use for (permission changes, template quality, profile
    updates…) and may change shapes: those get 200 like any signed event, or Zalo would
    redeliver them and in the end disable the webhook.
    """
    name = event["event_name"]
    if not is_known(name):
        return "a kind the bot does not handle"
    if not reaches_handlers(name):
        return "the OA's own echo or a receipt"
    sender = user_id(event)
    if not sender:
        return "no user id"
    if stored_user_id(event) is None:
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
