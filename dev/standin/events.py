"""Webhook events shaped like Zalo's (docs/zalo.md, incoming events): all ids and the timestamp are strings."""

from __future__ import annotations

import hashlib
import json
import secrets
import time


def new_msg_id() -> str:
    return secrets.token_hex(16)


def now_ms() -> str:
    return str(time.time_ns() // 1_000_000)


def user_id_by_app(user_id: str) -> str:
    """Zalo gives each user a second, per-app id; a stable stand-in for it."""
    return str(int(hashlib.sha256(user_id.encode()).hexdigest()[:15], 16))


def raw_body(event: dict) -> bytes:
    """The exact bytes posted (and signed): the same event always gives the same bytes."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def _base(app_id: str, event_name: str, user_id: str) -> dict:
    return {"app_id": app_id, "user_id_by_app": user_id_by_app(user_id), "event_name": event_name,
            "timestamp": now_ms()}


def user_send_text(app_id: str, oa_id: str, user_id: str, text: str, quote_msg_id: str | None = None) -> dict:
    message = {"msg_id": new_msg_id(), "text": text}
    if quote_msg_id:
        message["quote_msg_id"] = quote_msg_id
    return {**_base(app_id, "user_send_text", user_id), "sender": {"id": user_id},
            "recipient": {"id": oa_id}, "message": message}


def follow(app_id: str, oa_id: str, user_id: str, *, following: bool = True) -> dict:
    """`follow` or `unfollow`: no sender/recipient, a `follower` and a top-level `oa_id`."""
    name = "follow" if following else "unfollow"
    return {**_base(app_id, name, user_id), "oa_id": oa_id, "follower": {"id": user_id}, "source": "oa_profile"}


def user_seen_message(app_id: str, oa_id: str, user_id: str, msg_ids: list[str]) -> dict:
    """Read receipt: the sender is the OA, the recipient the user."""
    return {**_base(app_id, "user_seen_message", user_id), "sender": {"id": oa_id},
            "recipient": {"id": user_id}, "message": {"msg_ids": list(msg_ids)}}


def oa_send_text(app_id: str, oa_id: str, user_id: str, text: str, msg_id: str,
                 admin_id: str | None = None) -> dict:
    """Echo of a text the OA sent (by the bot, or by a person in the OA chat tool when admin_id)."""
    sender = {"id": oa_id}
    if admin_id:
        sender["admin_id"] = admin_id
    return {**_base(app_id, "oa_send_text", user_id), "sender": sender, "recipient": {"id": user_id},
            "message": {"msg_id": msg_id, "text": text}}


def user_withdraw(app_id: str, oa_id: str, user_id: str) -> dict:
    """The user asks the OA to delete their data (exact shape unconfirmed; ids as in other events)."""
    return {**_base(app_id, "user_withdraw", user_id), "sender": {"id": user_id}, "recipient": {"id": oa_id}}


RECEIPTS = ("user_seen_message", "user_received_message")


def event_user_id(event: dict) -> str | None:
    """The user an event is about, whichever side of the conversation they are on."""
    if "follower" in event:
        return event["follower"].get("id")
    name = event.get("event_name", "")
    side = "sender" if name.startswith("user_") and name not in RECEIPTS else "recipient"
    return (event.get(side) or {}).get("id")


def is_interaction(event: dict) -> bool:
    """Zalo's 7-day window restarts when a user follows or sends anything (a button tap is a text)."""
    name = event.get("event_name", "")
    return name == "follow" or name.startswith("user_send_")
