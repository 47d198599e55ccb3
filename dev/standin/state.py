"""What the stand-in remembers, and Zalo's rules (zalo-oa.md §2-§5) in one place.

Where the real OA behaves otherwise, change the rule here. Codes marked "unconfirmed" are our
best reading of Zalo's documentation; clients should rely only on the codes in zalo-oa.md's table.
"""

from __future__ import annotations

import hmac
import itertools
import re
import secrets
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime, time as dtime, timedelta, timezone
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import requests

from zalo.signature import signature_header
from zalo.client import code_challenge
from dev.standin import events

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT_LIMIT = 2000
WINDOW = timedelta(days=7)
IMAGE_LIMIT_BYTES = 1_000_000
ZNS_QUIET_FROM, ZNS_QUIET_UNTIL = dtime(22, 0), dtime(6, 0)
MAX_BUTTONS = 5  # unconfirmed
BUTTON_TYPES = ("oa.query.show", "oa.query.hide", "oa.open.url", "oa.open.phone", "oa.open.sms")
PHONE = re.compile(r"^84\d{9,10}$")

# error codes (zalo-oa.md §2)
RATE_LIMITED = -32
INVALID_PARAM = -201  # also for a text over 2,000 characters (the doc's "a field is invalid")
NOT_FOLLOWER = -213
TOKEN_INVALID = -216  # wrong, superseded or expired token alike
OUTSIDE_WINDOW = -230
ZNS_QUIET_HOURS = -1139  # unconfirmed
# OAuth v4 failures: no access_token in the reply, an error code and a description (unconfirmed codes).
OAUTH_BAD_APP = -14001
OAUTH_BAD_SECRET = -14002
OAUTH_BAD_REFRESH_TOKEN = -14014
OAUTH_BAD_CODE = -14016  # unconfirmed: unknown, used or expired authorization code
OAUTH_BAD_VERIFIER = -14017  # unconfirmed: the code_verifier does not hash to the code_challenge
OAUTH_BAD_GRANT = -14019

OAUTH_PATH = "/v4/oa/access_token"
CONSENT_PATH = "/v4/oa/permission"
# The OA admin's grant (OAuth v4 with PKCE, S256 only): an authorization code works once, for this long.
AUTH_CODE_TTL = timedelta(minutes=10)
PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")  # RFC 7636
PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url of a SHA-256, unpadded
# Assumption (not in Zalo's documentation): a refused consent comes back as ?error=access_denied&state=…
CONSENT_REFUSED = "access_denied"

DEFAULTS = {
    "APP_ID": "standin-app",
    "APP_NAME": "Nhắc Việc",  # shown on the consent page
    "APP_SECRET": "standin-app-secret",
    "OA_SECRET_KEY": "standin-oa-secret-key",
    "OA_ID": "standin-oa",
    "OA_NAME": "Sở Khoa học và Công nghệ",
    "ACCESS_TOKEN": None,  # None: a random one
    "REFRESH_TOKEN": None,
    "TOKEN_TTL": 90000,
    "WEBHOOK_URL": None,
    "LATENCY": 0.0,
    "RATE_LIMIT_PER_MINUTE": 4000,
    "USERS": None,  # callable -> [{"zalo_user_id", "name", "title", "unit"}]
    "KNOWN_USERS_FOLLOW": True,
    "NOW": None,  # callable -> aware datetime; the real clock when None
}


class StandinError(Exception):
    """A refusal that Zalo reports as `{"error": code, "message": ...}` inside HTTP 200."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _same(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def simulated_user_id(name: str) -> str:
    """A stable Zalo-like id for a directory entry that has none yet (the officer links with a code)."""
    return "sim" + events.user_id_by_app(name)


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


@dataclass(frozen=True)
class ConsentRequest:
    """An app asking an OA admin for access, as read from the consent page's query."""

    redirect_uri: str
    code_challenge: str
    state: str


def with_query(url: str, params: dict) -> str:
    """`url` with `params` added to its query (whatever query it already had is kept)."""
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit(parts._replace(query=query))


class StandinState:
    """Thread-safe memory of one stand-in Zalo: tokens, followers, interactions, messages."""

    def __init__(self, config: dict | None = None):
        self.config = {**DEFAULTS, **(config or {})}
        cfg = self.config
        self.app_id, self.oa_id = cfg["APP_ID"], cfg["OA_ID"]
        self._app_secret, self._oa_secret_key = cfg["APP_SECRET"], cfg["OA_SECRET_KEY"]
        self._ttl = int(cfg["TOKEN_TTL"])
        self._users: Callable[[], list[dict]] = cfg["USERS"] or (lambda: [])
        self._clock: Callable[[], datetime] = cfg["NOW"] or _utcnow
        self._lock = threading.RLock()
        self._access = cfg["ACCESS_TOKEN"] or secrets.token_urlsafe(32)
        self._refresh = cfg["REFRESH_TOKEN"] or secrets.token_urlsafe(32)
        self._access_expires = self._clock() + timedelta(seconds=self._ttl)
        self._latency = float(cfg["LATENCY"])
        self._webhook_url = cfg["WEBHOOK_URL"]
        self._rate_limit = int(cfg["RATE_LIMIT_PER_MINUTE"])
        self._recent: deque[float] = deque()
        self._counts: Counter[str] = Counter()
        self._following: dict[str, bool] = {}
        self._last_interaction: dict[str, datetime] = {}
        self._images: dict[str, tuple[bytes, str]] = {}
        self._codes: dict[str, tuple[str, datetime]] = {}  # authorization code -> (challenge, expires)
        # Both sides of every conversation, in order; `seq` lets the simulator poll for news.
        self._log: list[dict] = []
        self._seq = itertools.count(1)

    # --- test and simulator controls ----------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def touch(self, user_id: str, at: datetime | None = None) -> None:
        """Record an interaction (restarts the user's 7-day window)."""
        with self._lock:
            self._last_interaction[user_id] = at or self._clock()

    def last_interaction(self, user_id: str) -> datetime | None:
        with self._lock:
            return self._last_interaction.get(user_id)

    def set_follower(self, user_id: str, following: bool) -> None:
        with self._lock:
            self._following[user_id] = following

    def is_follower(self, user_id: str) -> bool:
        with self._lock:
            return self._following.get(user_id, bool(self.config["KNOWN_USERS_FOLLOW"]))

    def expire_access_token(self) -> None:
        with self._lock:
            self._access_expires = self._clock() - timedelta(seconds=1)

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self._latency = float(seconds)

    def set_rate_limit(self, per_minute: int) -> None:
        with self._lock:
            self._rate_limit = int(per_minute)

    def latency(self) -> float:
        with self._lock:
            return self._latency

    def set_webhook_url(self, url: str | None) -> None:
        with self._lock:
            self._webhook_url = url

    def current_tokens(self) -> dict:
        with self._lock:
            return {"access_token": self._access, "refresh_token": self._refresh,
                    "expires_at": self._access_expires}

    def request_count(self, path: str | None = None) -> int:
        """Requests received (refused ones included), in all or for one path like "/v4/oa/access_token"."""
        with self._lock:
            return self._counts[path] if path else sum(self._counts.values())

    def messages(self, user_id: str | None = None) -> list[dict]:
        """What the OA sent and Zalo accepted, oldest first."""
        with self._lock:
            return [dict(e) for e in self._log
                    if e["side"] == "oa" and (user_id is None or e["user_id"] == user_id)]

    def conversation(self, user_id: str, after: int = 0) -> list[dict]:
        """Both sides of one user's conversation (for the simulator), newer than `after`."""
        with self._lock:
            return [dict(e) for e in self._log if e["user_id"] == user_id and e["seq"] > after]

    def image(self, attachment_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._images.get(attachment_id)

    def directory(self) -> list[dict]:
        """The people the simulator offers; those without a Zalo id get a stable simulated one."""
        people = []
        for person in self._users():
            user_id = person.get("zalo_user_id") or simulated_user_id(person.get("name", ""))
            people.append({"zalo_user_id": str(user_id), "name": person.get("name", ""),
                           "title": person.get("title") or "", "unit": person.get("unit") or "",
                           "linked": bool(person.get("linked", person.get("zalo_user_id")))})
        return people

    # --- simulated users (webhook events) ------------------------------------------------------

    def send_user_text(self, user_id: str, text: str, quote_msg_id: str | None = None) -> dict:
        """The user types `text` in Zalo: a signed `user_send_text` reaches the webhook."""
        event = events.user_send_text(self.app_id, self.oa_id, user_id, text, quote_msg_id)
        self.send_event(event)
        return event

    def send_event(self, event: dict, *, num_retry: int | None = None) -> requests.Response:
        """Apply an event's effect on Zalo's side, then sign it and POST it to the webhook.

        Raises on a network failure or a non-2xx answer. The same event always gives the same
        bytes, so sending it again with `num_retry` is a faithful redelivery.
        """
        self._record_event(event)
        with self._lock:
            url = self._webhook_url
        if not url:
            raise RuntimeError("the stand-in has no WEBHOOK_URL to post events to")
        body = events.raw_body(event)
        headers = {"Content-Type": "application/json",
                   "X-ZEvent-Signature": signature_header(str(event.get("app_id", "")), body,
                                                          str(event.get("timestamp", "")), self._oa_secret_key)}
        if num_retry is not None:
            headers["num_retry"] = str(num_retry)
        response = requests.post(url, data=body, headers=headers, timeout=(3.05, 10))
        response.raise_for_status()
        return response

    def _record_event(self, event: dict) -> None:
        user_id = events.event_user_id(event)
        name = event.get("event_name", "")
        if not user_id:
            return
        at = self._clock()
        with self._lock:
            if events.is_interaction(event):
                self._last_interaction[user_id] = at
            if name in ("follow", "unfollow"):
                self._following[user_id] = name == "follow"
            message = event.get("message") or {}
            if name == "user_send_text":
                self._append(side="user", user_id=user_id, kind="text", text=message.get("text", ""),
                             message_id=message.get("msg_id"), quote_message_id=message.get("quote_msg_id"), at=at)
            elif name in ("follow", "unfollow"):
                self._append(side="system", user_id=user_id, kind=name, text="", at=at)

    def _append(self, **entry) -> dict:
        """Record one log entry (caller holds the lock)."""
        full = {"message_id": None, "buttons": [], "quote_message_id": None, "attachment_id": None,
                "phone": None, **entry, "seq": next(self._seq)}
        self._log.append(full)
        return full

    # --- the Zalo API's rules -------------------------------------------------------------------

    def count(self, path: str) -> None:
        with self._lock:
            self._counts[path] += 1

    def authorize(self, token: str | None) -> None:
        with self._lock:
            if not _same(token, self._access):
                raise StandinError(TOKEN_INVALID, "Access token is invalid")
            if self._clock() >= self._access_expires:
                raise StandinError(TOKEN_INVALID, "Access token has expired")

    def admit(self) -> None:
        """The per-app rate limit over a sliding minute."""
        now = time.monotonic()
        with self._lock:
            while self._recent and self._recent[0] <= now - 60:
                self._recent.popleft()
            if len(self._recent) >= self._rate_limit:
                raise StandinError(RATE_LIMITED, "You have exceeded the rate limit of this app")
            self._recent.append(now)

    def _require_follower(self, user_id: str) -> None:
        if not self.is_follower(user_id):
            raise StandinError(NOT_FOLLOWER, "User has not followed the OA")

    def _require_window(self, user_id: str) -> None:
        last = self.last_interaction(user_id)
        if last is None or self._clock() - last > WINDOW:
            raise StandinError(OUTSIDE_WINDOW, "User has not interacted with the OA in the last 7 days")

    def accept_cs(self, body) -> dict:
        """A consultation message (text, buttons, quote, or an uploaded image)."""
        parsed = parse_cs_body(body)
        user_id = parsed["user_id"]
        self._require_follower(user_id)
        self._require_window(user_id)
        with self._lock:
            if parsed["attachment_id"] and parsed["attachment_id"] not in self._images:
                raise StandinError(INVALID_PARAM, "unknown attachment_id")
            entry = self._append(side="oa", user_id=user_id, message_id=events.new_msg_id(),
                                 kind="image" if parsed["attachment_id"] else "text", text=parsed["text"],
                                 buttons=parsed["buttons"], quote_message_id=parsed["quote_message_id"],
                                 attachment_id=parsed["attachment_id"], at=self._clock())
        return {"message_id": entry["message_id"], "user_id": user_id}

    def accept_template(self, body) -> dict:
        """A pre-approved template message by user id: billed, not bound to the 7-day window."""
        if not isinstance(body, dict) or not body.get("user_id") or not body.get("template_id") \
                or not isinstance(body.get("template_data"), dict):
            raise StandinError(INVALID_PARAM, "user_id, template_id and template_data are required")
        user_id = str(body["user_id"])
        self._require_follower(user_id)
        with self._lock:
            entry = self._append(side="oa", user_id=user_id, message_id=events.new_msg_id(), kind="template",
                                 text=template_text(str(body["template_id"]), body["template_data"]),
                                 at=self._clock())
        return {"message_id": entry["message_id"], "user_id": user_id}

    def accept_zns(self, body) -> dict:
        """A template message by phone (ZNS); Zalo does not deliver these 22:00-06:00 Vietnam time."""
        if not isinstance(body, dict) or not PHONE.match(str(body.get("phone", ""))) \
                or not body.get("template_id") or not isinstance(body.get("template_data"), dict):
            raise StandinError(INVALID_PARAM, "phone (84...), template_id and template_data are required")
        now = self._clock()
        if in_zns_quiet_hours(now):
            raise StandinError(ZNS_QUIET_HOURS, "ZNS messages are not sent between 22:00 and 06:00")
        with self._lock:
            entry = self._append(side="oa", user_id=None, phone=str(body["phone"]), message_id=events.new_msg_id(),
                                 kind="zns", text=template_text(str(body["template_id"]), body["template_data"]),
                                 at=now)
        return {"msg_id": entry["message_id"], "sent_time": str(int(now.timestamp() * 1000)),
                "tracking_id": body.get("tracking_id")}

    def store_image(self, data: bytes) -> dict:
        content_type = image_type(data)
        if content_type is None:
            raise StandinError(INVALID_PARAM, "file must be a JPG or PNG image")
        if len(data) > IMAGE_LIMIT_BYTES:
            raise StandinError(INVALID_PARAM, "image is larger than 1 MB")
        attachment_id = secrets.token_urlsafe(24)
        with self._lock:
            self._images[attachment_id] = (data, content_type)
        return {"attachment_id": attachment_id}

    def user_detail(self, user_id: str) -> dict:
        last = self.last_interaction(user_id)
        follower = self.is_follower(user_id)
        if not follower and last is None:
            raise StandinError(NOT_FOLLOWER, "User has not followed the OA")
        person = next((p for p in self.directory() if p["zalo_user_id"] == user_id), {})
        return {"user_id": user_id, "user_id_by_app": events.user_id_by_app(user_id),
                "display_name": person.get("name") or "Người dùng Zalo", "user_alias": "",
                "user_is_follower": follower, "avatar": "",
                "user_last_interaction_date": last.astimezone(VIETNAM).strftime("%d/%m/%Y") if last else ""}

    def oa_info(self) -> dict:
        return {"oa_id": self.oa_id, "name": self.config["OA_NAME"], "description": "Zalo stand-in",
                "is_verified": True, "avatar": "", "cover": ""}

    def consent_request(self, args) -> ConsentRequest:
        """The consent page's query checked: our app, an http(s) redirect_uri, an S256 challenge."""
        if args.get("app_id") != self.app_id:
            raise StandinError(OAUTH_BAD_APP, "Invalid app id")
        redirect_uri = str(args.get("redirect_uri") or "")
        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StandinError(INVALID_PARAM, "redirect_uri must be an http(s) address")
        challenge = str(args.get("code_challenge") or "")
        if not PKCE_CHALLENGE.match(challenge):
            raise StandinError(INVALID_PARAM, "code_challenge must be base64url(sha256(code_verifier))")
        return ConsentRequest(redirect_uri, challenge, str(args.get("state") or ""))

    def approve(self, consent: ConsentRequest) -> str:
        """The OA admin allowed access: where Zalo sends the browser, with a fresh single-use code."""
        code, now = secrets.token_urlsafe(32), self._clock()
        with self._lock:
            self._codes = {c: held for c, held in self._codes.items() if held[1] > now}  # forget dead codes
            self._codes[code] = (consent.code_challenge, now + AUTH_CODE_TTL)
        return with_query(consent.redirect_uri, {"code": code, "state": consent.state, "oa_id": self.oa_id})

    def refuse(self, consent: ConsentRequest) -> str:
        return with_query(consent.redirect_uri, {"error": CONSENT_REFUSED, "state": consent.state})

    def oauth(self, secret_key: str | None, form: dict) -> dict:
        """OAuth v4 token endpoint: a refresh token or an authorization code works once, and the
        pair it brings supersedes the old one, which dies."""
        with self._lock:
            self._counts[OAUTH_PATH] += 1
            try:
                if not _same(secret_key, self._app_secret):
                    raise StandinError(OAUTH_BAD_SECRET, "Invalid secret key")
                if form.get("app_id") != self.app_id:
                    raise StandinError(OAUTH_BAD_APP, "Invalid app id")
                if form.get("grant_type") == "refresh_token":
                    if not _same(form.get("refresh_token"), self._refresh):
                        raise StandinError(OAUTH_BAD_REFRESH_TOKEN, "Invalid refresh token")
                elif form.get("grant_type") == "authorization_code":
                    self._redeem(form.get("code"), form.get("code_verifier"))
                else:
                    raise StandinError(OAUTH_BAD_GRANT, "Unsupported grant type")
            except StandinError as exc:
                return self._oauth_error(exc.code, exc.message)
            self._access = secrets.token_urlsafe(32)
            self._refresh = secrets.token_urlsafe(32)
            self._access_expires = self._clock() + timedelta(seconds=self._ttl)
            return {"access_token": self._access, "refresh_token": self._refresh, "expires_in": str(self._ttl)}

    def _redeem(self, code: str | None, verifier: str | None) -> None:
        """Spend an authorization code (caller holds the lock): presented once, right or wrong."""
        challenge, expires = self._codes.pop(code or "", (None, None))
        if challenge is None or self._clock() >= expires:
            raise StandinError(OAUTH_BAD_CODE, "Invalid or expired authorization code")
        if not PKCE_VERIFIER.match(verifier or "") or not _same(code_challenge(verifier), challenge):
            raise StandinError(OAUTH_BAD_VERIFIER, "Invalid code verifier")

    @staticmethod
    def _oauth_error(code: int, description: str) -> dict:
        return {"error": code, "error_name": "Invalid parameter", "error_reason": description,
                "error_description": description}
