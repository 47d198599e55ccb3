"""The Zalo OA client: sending, uploading and profiles (docs/zalo.md, sending), over one HTTP session.

Every reply is read for `error` (`zalo.errors`); a refused token is renewed by `zalo.tokens`
and the request sent once more. Texts over Zalo's limit go in parts, cut at line boundaries.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import unicodedata
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy.engine import Engine

from config.settings import Settings
from zalo.budget import SharedBudget
from zalo.errors import ZaloError, ZaloTransportError, error_code, reply_body, scrub, transport_error
from zalo.tokens import TokenRenewal, ZaloTokens

log = logging.getLogger(__name__)

TEXT_LIMIT = 2000


def _text_units(text: str) -> int:
    """Length as Zalo may count it (UTF-16 code units): never less than the number of characters."""
    return len(text.encode("utf-16-le")) // 2


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut one overlong line into pieces within `limit`, preferring to cut after a space."""
    pieces, current, size = [], [], 0
    for char in line:
        units = _text_units(char)
        if size + units > limit:
            piece = "".join(current)
            cut = piece.rfind(" ")
            if cut > limit // 2:
                pieces.append(piece[:cut])
                current = list(piece[cut + 1:])
            else:
                pieces.append(piece)
                current = []
            size = _text_units("".join(current))
        current.append(char)
        size += units
    pieces.append("".join(current))
    return pieces


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` units each, cut at line boundaries (an overlong line is cut inside)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _hard_split(line, limit) if _text_units(line) > limit else [line]:
            joined = f"{current}\n{piece}" if current else piece
            if current and _text_units(joined) > limit:
                parts.append(current)
                joined = piece
            current = joined
    parts.append(current)
    return [part.strip("\n") for part in parts if part.strip()]


def buttons_attachment(buttons: list[dict]) -> dict:
    """Quick-reply buttons: tapping one sends its payload back as the user's text."""
    return {"type": "template", "payload": {"buttons": [
        {"title": b["title"], "type": b.get("type", "oa.query.show"), "payload": b["payload"]} for b in buttons]}}


def image_attachment(attachment_id: str) -> dict:
    return {"type": "template", "payload": {"template_type": "media",
                                            "elements": [{"media_type": "image", "attachment_id": attachment_id}]}}


def read_entry(entry: dict, user_id: str) -> dict:
    """A conversation entry in our terms. From the OA: `src` 0, or sent to the user (`to_id`)."""
    to_id = str(entry.get("to_id") or "")
    from_oa = to_id == user_id if to_id else str(entry.get("src")) == "0"
    text = entry.get("message")
    return {"message_id": str(entry.get("message_id") or entry.get("msg_id") or ""), "from_oa": from_oa,
            "text": unicodedata.normalize("NFC", text) if isinstance(text, str) else ""}


class ZaloClient:
    """Talks to Zalo (or the stand-in) at the base URLs in settings."""

    def __init__(self, settings: Settings, engine: Engine, http: requests.Session | None = None):
        self.settings = settings
        self.engine = engine
        self.http = http or self._pooled_session(settings.send_concurrency)
        self.timeout = (settings.http_connect_timeout, settings.http_read_timeout)
        self.limiter = SharedBudget(engine, settings.send_rate_per_minute, settings.send_rate_window_seconds)
        self.tokens = ZaloTokens(settings, engine, self.http, self.timeout)

    @staticmethod
    def _pooled_session(connections: int) -> requests.Session:
        """Enough kept-alive connections for every concurrent sender thread."""
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(10, connections))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    # --- sending ---------------------------------------------------------------------------------

    def send_text(self, user_id: str, text: str, *, buttons: list[dict] | None = None,
                  quote_message_id: str | None = None, skip_parts: int = 0) -> list[str]:
        """Send a text (in parts when over 2,000 characters); returns Zalo's message id of each part.

        The quote goes on the first part, the buttons on the last. When a part fails, the
        exception's `sent_ids` holds the parts delivered by this call; a retry passes how many
        parts went out before as `skip_parts`, so that none of them is sent twice.
        """
        parts = split_text(unicodedata.normalize("NFC", text))
        if not parts:
            raise ValueError("cannot send an empty text")
        sent: list[str] = []
        for index, part in enumerate(parts):
            if index < skip_parts:
                continue
            message: dict = {"text": part}
            if quote_message_id and index == 0:
                message["quote_message_id"] = quote_message_id
            if buttons and index == len(parts) - 1:
                message["attachment"] = buttons_attachment(buttons)
            try:
                sent.append(self._send_cs(user_id, message))
            except (ZaloError, ZaloTransportError) as exc:
                exc.sent_ids = list(sent)
                raise
        return sent

    def send_image(self, user_id: str, attachment_id: str, text: str = "") -> str:
        message: dict = {"attachment": image_attachment(attachment_id)}
        if text:
            message["text"] = unicodedata.normalize("NFC", text)
        return self._send_cs(user_id, message)

    def send_template(self, user_id: str, template_id: str, template_data: dict) -> str:
        """A pre-approved template message by user id: reaches users outside the 7-day window."""
        data = self._api("POST", "/v3.0/oa/message/template",
                         json={"user_id": user_id, "template_id": template_id, "template_data": template_data})
        return self._message_id(data, "message/template")

    def send_zns(self, phone: str, template_id: str, template_data: dict, tracking_id: str) -> str:
        """A ZNS template by phone (84… form), on the business API base; returns Zalo's msg_id."""
        data = self._api("POST", "/message/template", base=self.settings.zalo_business_api_base,
                         json={"phone": phone, "template_id": template_id, "template_data": template_data,
                               "tracking_id": tracking_id})
        return self._message_id(data, "ZNS message/template")

    def upload_image(self, path: str | Path) -> str:
        """Upload a JPG/PNG (at most 1 MB); returns the attachment_id for `send_image`."""
        path = Path(path)
        content = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = self._api("POST", "/v3.0/oa/upload/image", files={"file": (path.name, content, mime)})
        if not data.get("attachment_id"):
            raise ZaloError(-1, "upload reply has no attachment_id")
        return str(data["attachment_id"])

    def recent_messages(self, user_id: str, offset: int = 0, count: int = 10) -> list[dict]:
        """One page of a conversation, newest first (docs/zalo.md, reading back): each entry as
        {"message_id", "from_oa", "text"}; entries that are not readable are left out."""
        data = self._api("GET", "/v2.0/oa/conversation", list_reply=True,
                         params={"data": json.dumps({"user_id": user_id, "offset": offset, "count": count})})
        return [read_entry(entry, user_id) for entry in data if isinstance(entry, dict)]

    def user_detail(self, user_id: str) -> dict:
        return self._api("GET", "/v3.0/oa/user/detail", params={"data": json.dumps({"user_id": user_id})})

    def _send_cs(self, user_id: str, message: dict) -> str:
        data = self._api("POST", "/v3.0/oa/message/cs", json={"recipient": {"user_id": user_id}, "message": message})
        return self._message_id(data, "message/cs")

    @staticmethod
    def _message_id(data: dict, what: str) -> str:
        message_id = data.get("message_id") or data.get("msg_id")
        if not message_id:
            # Zalo said success, so the message most likely went out; we just cannot name it.
            raise ZaloTransportError(f"{what}: success without a message id", maybe_delivered=True)
        return str(message_id)

    # --- requests --------------------------------------------------------------------------------

    def _api(self, method: str, path: str, *, list_reply: bool = False, **kwargs):
        """One OpenAPI call; on a refused token, refresh once and send once more. The reply's
        `data`: a dict (empty when it is not one), or a list with `list_reply`."""
        expected = list if list_reply else dict
        data = self._api_data(method, path, **kwargs)
        if not isinstance(data, expected):
            if list_reply and data is not None:
                raise ZaloTransportError(f"{path}: the reply's data is not a list", maybe_delivered=False)
            return expected()
        return data

    def _api_data(self, method: str, path: str, **kwargs):
        token = self.tokens.current_access_token()
        try:
            return self._call(method, path, token, **kwargs)
        except ZaloError as exc:
            if not exc.token_invalid:
                raise
            log.info("Zalo refused the access token (error %s) on %s; refreshing", exc.code, path)
        try:
            token = self.tokens.refresh_tokens(token)
        except ZaloTransportError as exc:
            # Whatever became of the refresh, this request itself was refused: it was not delivered.
            exc.maybe_delivered = False
            raise
        return self._call(method, path, token, **kwargs)

    def _call(self, method: str, path: str, token: str, *, base: str | None = None, **kwargs):
        url = (base or self.settings.zalo_api_base).rstrip("/") + path
        self.limiter.wait()
        try:
            response = self.http.request(method, url, headers={"access_token": token}, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise transport_error(path, exc) from None
        body = reply_body(response, path)
        code = error_code(body)
        if code != 0:
            raise ZaloError(code, scrub(str(body.get("message") or ""), (token,)))
        return body.get("data")

    # --- the token pair (kept by `zalo.tokens`; these are what the scheduler and console call) ---

    @property
    def last_renewal(self) -> TokenRenewal | None:
        return self.tokens.last_renewal

    def current_access_token(self) -> str:
        return self.tokens.current_access_token()

    def refresh_tokens(self, stale_access_token: str) -> str:
        return self.tokens.refresh_tokens(stale_access_token)

    def refresh_if_expiring(self, within: timedelta) -> bool:
        return self.tokens.refresh_if_expiring(within)

    def exchange_code(self, code: str, code_verifier: str) -> None:
        self.tokens.exchange_code(code, code_verifier)
