"""What the stand-in remembers: followers, the 7-day window, the rate, both sides of every chat.

Zalo's rules are in `dev.standin.rules`; the token pair and OAuth in `dev.standin.oauth`.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import Counter, deque
from datetime import datetime, timezone
from typing import Callable

import requests

from dev.standin import events
from dev.standin.hashing import signature_header
from dev.standin.oauth import TokenDesk
from dev.standin.rules import (
    IMAGE_LIMIT_BYTES,
    INVALID_PARAM,
    NOT_FOLLOWER,
    OUTSIDE_WINDOW,
    PHONE,
    RATE_LIMITED,
    TEMPLATE_REFUSED,
    VIETNAM,
    WINDOW,
    ZNS_QUIET_HOURS,
    ZNS_QUOTA,
    ZNS_TEMPLATE_NOT_APPROVED,
    ZNS_UNKNOWN_PHONE,
    StandinError,
    image_type,
    in_zns_quiet_hours,
    parse_cs_body,
    template_text,
)

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
    "SLOW_FAULT_SECONDS": 4.0,  # how late a "slow" fault answers (set_faults)
    "RATE_LIMIT_PER_MINUTE": 4000,
    "RATE_WINDOW_SECONDS": 60,  # the "minute" of the rate limit; a test may shorten it
    "USERS": None,  # callable -> [{"zalo_user_id", "name", "title", "unit"}]
    "KNOWN_USERS_FOLLOW": True,
    "NOW": None,  # callable -> aware datetime; the real clock when None
    # Templates Zalo approved (None: any id is approved), by user id and by phone (ZNS).
    "TEMPLATES": None,
    "ZNS_TEMPLATES": None,
    # Phones (84…) that have no Zalo account; ZNS messages a day (None: no quota).
    "PHONES_WITHOUT_ZALO": (),
    "ZNS_DAILY_QUOTA": None,
    # callable -> {zalo_user_id: messages the bot holds for them} (the simulator shows it)
    "HELD": None,
}


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def simulated_user_id(name: str) -> str:
    """A stable Zalo-like id for a directory entry that has none yet (the officer links with a code)."""
    return "sim" + events.user_id_by_app(name)


class StandinState:
    """Thread-safe memory of one stand-in Zalo: followers, interactions, messages; `tokens` keeps the pair."""

    def __init__(self, config: dict | None = None):
        self.config = {**DEFAULTS, **(config or {})}
        cfg = self.config
        self.app_id, self.oa_id = cfg["APP_ID"], cfg["OA_ID"]
        self._oa_secret_key = cfg["OA_SECRET_KEY"]
        self._users: Callable[[], list[dict]] = cfg["USERS"] or (lambda: [])
        self._clock: Callable[[], datetime] = cfg["NOW"] or _utcnow
        self.tokens = TokenDesk(cfg, self._clock)
        self._lock = threading.RLock()
        self._latency = float(cfg["LATENCY"])
        self._webhook_url = cfg["WEBHOOK_URL"]
        self._rate_limit = int(cfg["RATE_LIMIT_PER_MINUTE"])
        self._rate_window = float(cfg["RATE_WINDOW_SECONDS"])
        self._recent: deque[float] = deque()
        # Every request admitted (monotonic seconds), for a test that counts requests per window.
        self.admitted: list[float] = []
        self.arrivals: list[float] = []
        self._faults: list[str] = []  # cycled through, one per API request; empty: no fault
        self._fault_turn = None
        self._user_latency: dict[str, float] = {}
        self._counts: Counter[str] = Counter()
        self._following: dict[str, bool] = {}
        self._last_interaction: dict[str, datetime] = {}
        self._images: dict[str, tuple[bytes, str]] = {}
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
        self.tokens.expire()

    def set_latency(self, seconds: float) -> None:
        with self._lock:
            self._latency = float(seconds)

    def set_rate_limit(self, per_minute: int) -> None:
        with self._lock:
            self._rate_limit = int(per_minute)

    def set_faults(self, *faults: str) -> None:
        """Spoil the API's answers, one fault per request in turn, until called with none.

        refuse: HTTP 503, nothing done. lose: done (a message is sent), then HTTP 500. garbage:
        done, then a body that is not JSON. no_id: done, success without the message id. slow:
        done, the answer comes too late for the caller's read timeout.
        """
        with self._lock:
            self._faults = list(faults)
            self._fault_turn = itertools.cycle(self._faults) if faults else None

    def next_fault(self) -> str | None:
        with self._lock:
            return next(self._fault_turn) if self._faults else None

    def set_user_latency(self, user_id: str, seconds: float) -> None:
        """Answer sends to this one user slowly (a slow Zalo call for one officer)."""
        with self._lock:
            self._user_latency[user_id] = float(seconds)

    def latency(self, user_id: str | None = None) -> float:
        with self._lock:
            return self._user_latency.get(user_id or "", self._latency)

    def set_webhook_url(self, url: str | None) -> None:
        with self._lock:
            self._webhook_url = url

    def current_tokens(self) -> dict:
        return self.tokens.current()

    def request_count(self, path: str | None = None) -> int:
        """Requests received (refused ones included), in all or for one path like "/v4/oa/access_token"."""
        with self._lock:
            return self._counts[path] if path else sum(self._counts.values())

    def messages(self, user_id: str | None = None) -> list[dict]:
        """What the OA sent and Zalo accepted, oldest first."""
        with self._lock:
            return [dict(e) for e in self._log
                    if e["side"] == "oa" and (user_id is None or e["user_id"] == user_id)]

    def arrived_by_way(self, user_id: str) -> dict[str, int]:
        """What reached this user, by way: text (with images), template, zns (by phone)."""
        with self._lock:
            counts = Counter("text" if e["kind"] == "image" else e["kind"] for e in self._log
                             if e["side"] == "oa" and e["user_id"] == user_id)
        return {way: counts.get(way, 0) for way in ("text", "template", "zns")}

    def held(self) -> dict[str, int]:
        held = self.config["HELD"]
        return held() if held else {}

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
                           "phone": person.get("phone"),
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

    def admit(self) -> None:
        """The per-app rate limit over a sliding minute (`RATE_WINDOW_SECONDS`)."""
        now = time.monotonic()
        with self._lock:
            while self._recent and self._recent[0] <= now - self._rate_window:
                self._recent.popleft()
            if len(self._recent) >= self._rate_limit:
                raise StandinError(RATE_LIMITED, "You have exceeded the rate limit of this app")
            self._recent.append(now)
            self.admitted.append(now)

    def arrive(self) -> None:
        """An API request arrived, whether it will be admitted or not (the rate a client keeps)."""
        with self._lock:
            self.arrivals.append(time.monotonic())

    def busiest_window(self, *, arrived: bool = True) -> int:
        """The most API requests that arrived (or were admitted) in any one rate window (sliding)."""
        with self._lock:
            times = list(self.arrivals if arrived else self.admitted)
        most, start = 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - self._rate_window:
                start += 1
            most = max(most, end - start + 1)
        return most

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
        approved = self.config["TEMPLATES"]
        if approved is not None and str(body["template_id"]) not in approved:
            raise StandinError(TEMPLATE_REFUSED, "The template is not approved for this OA")
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
        phone, approved = str(body["phone"]), self.config["ZNS_TEMPLATES"]
        if approved is not None and str(body["template_id"]) not in approved:
            raise StandinError(ZNS_TEMPLATE_NOT_APPROVED, "The ZNS template is not approved")
        if phone in self.config["PHONES_WITHOUT_ZALO"]:
            raise StandinError(ZNS_UNKNOWN_PHONE, "The phone number has no Zalo account")
        quota, user_id = self.config["ZNS_DAILY_QUOTA"], self._user_of_phone(phone)
        with self._lock:
            if quota is not None and sum(e["kind"] == "zns" for e in self._log) >= quota:
                raise StandinError(ZNS_QUOTA, "The daily ZNS quota is spent")
            entry = self._append(side="oa", user_id=user_id, phone=phone, message_id=events.new_msg_id(),
                                 kind="zns", text=template_text(str(body["template_id"]), body["template_data"]),
                                 at=now)
        return {"msg_id": entry["message_id"], "sent_time": str(int(now.timestamp() * 1000)),
                "tracking_id": body.get("tracking_id")}

    def recent_messages(self, user_id: str, offset=0, count=10) -> list[dict]:
        """Both sides of one conversation, newest first, a page at a time (at most 10 a page).

        `src` is 0 for what the OA sent and 1 for what the user sent (docs/zalo.md, reading back).
        """
        try:
            offset, count = max(0, int(offset)), int(count)
        except (TypeError, ValueError):
            raise StandinError(INVALID_PARAM, "offset and count must be numbers") from None
        if not 1 <= count <= 10:
            raise StandinError(INVALID_PARAM, "count must be 1 to 10")
        with self._lock:
            entries = [e for e in reversed(self._log) if e["user_id"] == user_id and e["side"] in ("oa", "user")]
        page = entries[offset:offset + count]
        return [{"message_id": e["message_id"], "src": 0 if e["side"] == "oa" else 1,
                 "time": int(e["at"].timestamp() * 1000), "type": "photo" if e["kind"] == "image" else "text",
                 "message": e.get("text") or "", "from_id": self.oa_id if e["side"] == "oa" else user_id,
                 "to_id": user_id if e["side"] == "oa" else self.oa_id} for e in page]

    def _user_of_phone(self, phone: str) -> str | None:
        """Whose phone it is, for the simulator (the directory's people carry their phone)."""
        for person in self.directory():
            if person.get("phone") == phone:
                return person["zalo_user_id"]
        return None

    def phone_messages(self, phone: str) -> list[dict]:
        with self._lock:
            return [dict(e) for e in self._log if e["kind"] == "zns" and e["phone"] == phone]

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
