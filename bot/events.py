"""What a Zalo event is, by its name and shape (zalo-oa.md §1): kept in one place."""

from __future__ import annotations

from datetime import datetime, timezone

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


def user_id(event: dict) -> str | None:
    """The Zalo user an event is about (None for the OA's own echoes and receipts)."""
    name = event.get("event_name", "")
    if is_echo(name) or name in RECEIPTS:
        return None
    if name in FOLLOW_EVENTS:
        return (event.get("follower") or {}).get("id")
    return (event.get("sender") or {}).get("id") or event.get("user_id")


def shape_problem(event: dict) -> str | None:
    """Why a verified event cannot be handled (missing fields), or None when it can."""
    name = event.get("event_name")
    if not isinstance(name, str) or not name:
        return "event_name is missing"
    if reaches_handlers(name) and not user_id(event):
        return "the user id is missing"
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
