"""Zalo's webhook signature (docs/zalo.md, incoming events): sha256(app_id + raw body + timestamp + OA secret key)."""

from __future__ import annotations

import hashlib
import hmac


def event_signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256()
    digest.update(app_id.encode())
    digest.update(raw_body)
    digest.update(timestamp.encode())
    digest.update(oa_secret_key.encode())
    return digest.hexdigest()


def signature_header(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The `X-ZEvent-Signature` header value Zalo sends."""
    return "mac=" + event_signature(app_id, raw_body, timestamp, oa_secret_key)


def signature_matches(header: str | None, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> bool:
    """Constant-time check of a header given with or without the `mac=` prefix."""
    if not header or not oa_secret_key:
        return False
    given = header.strip()
    if given.startswith("mac="):
        given = given[4:]
    expected = event_signature(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(given.lower().encode(), expected.encode())
