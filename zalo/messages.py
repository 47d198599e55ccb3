"""What the bot says to one person, as values: the text, its buttons, what it is about.

Handlers and the scheduler build these; the outbox stores them and the sender delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Outgoing:
    zalo_user_id: str
    text: str
    buttons: tuple[Button, ...] = ()
    task_id: int | None = None
    officer_id: int | None = None
    kind: str = "reply"
    quote_message_id: str | None = None
    image_path: str | None = None
