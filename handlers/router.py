"""Placeholder router until the conversation lands: every message gets the help text."""

from __future__ import annotations

from bot.outbox import Outgoing
from bot import events


def handle_event(session, settings, event, officer, now) -> list[Outgoing]:
    user = events.user_id(event)
    if event.get("event_name") != "user_send_text" or not user:
        return []
    return [Outgoing(user, "Nhắc Việc đang được chuẩn bị.", officer_id=officer.id if officer else None)]
