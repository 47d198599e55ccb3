"""Uncertain sends, settled by reading the conversation back (docs/zalo.md, uncertain answers).

When Zalo's answer to a send is lost (a 5xx, a body that is not JSON, success without a message
id, a connection cut after the request went out), the message may or may not have arrived.
Rather than give up on it or send it twice, the sender reads the recent messages of that
conversation: when ours is there it was delivered, when it is not it is sent again. A message
of ours is recognised by its text among what the OA sent, leaving out the Zalo ids we already
know for other messages of ours.
"""

from __future__ import annotations

import unicodedata

from sqlmodel import Session, select

from storage.models import OutboxMessage, SentPart
from zalo.client import split_text

PAGE = 10  # Zalo gives at most 10 messages a page
PAGES = 5  # how far back a check reads: the 50 newest messages of the conversation
KNOWN_IDS = 200  # how many of our recent Zalo ids to that person a check leaves out


def awaited_text(message: OutboxMessage, parts_sent: int) -> str | None:
    """The text Zalo would show for the part whose answer was lost; None when there is none to match."""
    text = unicodedata.normalize("NFC", message.text or "")
    if message.kind == "image":
        return text
    parts = split_text(text)
    return parts[parts_sent] if parts_sent < len(parts) else None


def known_ids(session: Session, zalo_user_id: str) -> set[str]:
    """Zalo ids of messages to this person that we already put a name to."""
    return set(session.exec(
        select(SentPart.zalo_message_id).join(OutboxMessage, OutboxMessage.id == SentPart.outbox_id)
        .where(OutboxMessage.zalo_user_id == zalo_user_id).order_by(OutboxMessage.id.desc()).limit(KNOWN_IDS)
    ).all())


def find_delivered(client, zalo_user_id: str, text: str, known: set[str]) -> str | None:
    """The Zalo id of the OA's message with this text not yet named, among the recent ones; None
    when it is not there. Raises ZaloError or ZaloTransportError when the conversation cannot be read."""
    for page in range(PAGES):
        entries = client.recent_messages(zalo_user_id, offset=page * PAGE, count=PAGE)
        for entry in entries:
            if entry["from_oa"] and entry["text"] == text and entry["message_id"] not in known:
                return entry["message_id"] or None
        if len(entries) < PAGE:
            return None
    return None
