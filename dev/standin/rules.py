"""Zalo's rules as the stand-in plays them (docs/zalo.md): limits, error codes, request shapes.

Where the real OA behaves otherwise, change the rule here. Codes marked "unconfirmed" are our
best reading of Zalo's documentation; clients should rely only on the codes in docs/zalo.md's table.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT_LIMIT = 2000
WINDOW = timedelta(days=7)
IMAGE_LIMIT_BYTES = 1_000_000
ZNS_QUIET_FROM, ZNS_QUIET_UNTIL = dtime(22, 0), dtime(6, 0)
MAX_BUTTONS = 5  # unconfirmed
BUTTON_TYPES = ("oa.query.show", "oa.query.hide", "oa.open.url", "oa.open.phone", "oa.open.sms")
PHONE = re.compile(r"^84\d{9,10}$")

# error codes (docs/zalo.md, sending)
RATE_LIMITED = -32
INVALID_PARAM = -201  # also for a text over 2,000 characters (the doc's "a field is invalid")
NOT_FOLLOWER = -213
TOKEN_INVALID = -216  # wrong, superseded or expired token alike
OUTSIDE_WINDOW = -230
ZNS_QUIET_HOURS = -1139  # unconfirmed
ZNS_UNKNOWN_PHONE = -118  # unconfirmed: the phone has no Zalo account
ZNS_TEMPLATE_NOT_APPROVED = -124  # unconfirmed: the template is not approved (or its data does not match)
ZNS_QUOTA = -144  # unconfirmed: the OA's daily quota is spent
TEMPLATE_REFUSED = -240  # unconfirmed: a template by user id refused (not approved, or not for this user)
# OAuth v4 failures: no access_token in the reply, an error code and a description (unconfirmed codes).
OAUTH_BAD_APP = -14001
OAUTH_BAD_SECRET = -14002
OAUTH_BAD_REFRESH_TOKEN = -14014
OAUTH_BAD_CODE = -14016  # unconfirmed: unknown, used or expired authorization code
OAUTH_BAD_VERIFIER = -14017  # unconfirmed: the code_verifier does not hash to the code_challenge
OAUTH_BAD_GRANT = -14019


class StandinError(Exception):
    """A refusal that Zalo reports as `{"error": code, "message": ...}` inside HTTP 200."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def parse_buttons(attachment: dict) -> list[dict]:
    payload = attachment.get("payload")
    buttons = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        raise StandinError(INVALID_PARAM, f"buttons: 1 to {MAX_BUTTONS} expected")
    for button in buttons:
        if not isinstance(button, dict) or not str(button.get("title") or "").strip():
            raise StandinError(INVALID_PARAM, "button title is required")
        if button.get("type") not in BUTTON_TYPES or button.get("payload") in (None, ""):
            raise StandinError(INVALID_PARAM, "button type or payload is invalid")
    return [{"title": b["title"], "type": b["type"], "payload": b["payload"]} for b in buttons]


def parse_media(attachment: dict) -> str:
    """The attachment_id of a `media` template holding one uploaded image."""
    elements = (attachment.get("payload") or {}).get("elements")
    if not isinstance(elements, list) or len(elements) != 1:
        raise StandinError(INVALID_PARAM, "media: one element expected")
    element = elements[0] if isinstance(elements[0], dict) else {}
    if element.get("media_type") != "image" or not element.get("attachment_id"):
        raise StandinError(INVALID_PARAM, "media: an image attachment_id is required")
    return str(element["attachment_id"])


def parse_cs_body(body) -> dict:
    """The fields of a `message/cs` request, or -201 for anything malformed."""
    if not isinstance(body, dict):
        raise StandinError(INVALID_PARAM, "body must be a JSON object")
    recipient = body.get("recipient")
    user_id = recipient.get("user_id") if isinstance(recipient, dict) else None
    message = body.get("message")
    if not user_id or not isinstance(message, dict):
        raise StandinError(INVALID_PARAM, "recipient.user_id and message are required")
    text = message.get("text", "")
    if not isinstance(text, str):
        raise StandinError(INVALID_PARAM, "message.text must be a string")
    if len(text) > TEXT_LIMIT:
        raise StandinError(INVALID_PARAM, f"message.text is longer than {TEXT_LIMIT} characters")
    parsed = {"user_id": str(user_id), "text": text, "buttons": [], "attachment_id": None,
              "quote_message_id": message.get("quote_message_id")}
    attachment = message.get("attachment")
    if attachment is not None:
        if not isinstance(attachment, dict) or attachment.get("type") != "template":
            raise StandinError(INVALID_PARAM, "attachment type must be template")
        template_type = (attachment.get("payload") or {}).get("template_type")
        if template_type == "media":
            parsed["attachment_id"] = parse_media(attachment)
        else:
            parsed["buttons"] = parse_buttons(attachment)
    if not text.strip() and parsed["attachment_id"] is None:
        raise StandinError(INVALID_PARAM, "message.text is empty")
    return parsed


def image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def in_zns_quiet_hours(at: datetime) -> bool:
    wall = at.astimezone(VIETNAM).time()
    return wall >= ZNS_QUIET_FROM or wall < ZNS_QUIET_UNTIL


def template_text(template_id: str, template_data: dict) -> str:
    lines = [f"[Tin mẫu {template_id}]"] + [f"{key}: {value}" for key, value in template_data.items()]
    return "\n".join(lines)
