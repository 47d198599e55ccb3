"""Zalo's side of the two hashes the bot checks against: the webhook signature and PKCE's S256.

Written here rather than imported from the bot, so that a wrong formula on either side fails
the tests instead of agreeing with itself.
"""

from __future__ import annotations

import base64
import hashlib


def signature_header(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """`X-ZEvent-Signature`: "mac=" + hex sha256(app_id + raw body + timestamp + OA secret key)."""
    signed = app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    return "mac=" + hashlib.sha256(signed).hexdigest()


def s256_challenge(verifier: str) -> str:
    """RFC 7636's S256: base64url(sha256(ascii(code_verifier))), unpadded."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")
