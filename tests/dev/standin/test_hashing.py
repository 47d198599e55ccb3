"""The stand-in's own hashes (it plays Zalo) against the same known answers as the bot's."""

from __future__ import annotations

from dev.standin.hashing import s256_challenge, signature_header
from tests.fixtures.known_answers import (
    EVENT_APP_ID,
    EVENT_BODY,
    EVENT_MAC,
    EVENT_OA_SECRET_KEY,
    EVENT_TIMESTAMP,
    RFC7636_CHALLENGE,
    RFC7636_VERIFIER,
)


def test_the_stand_in_signs_events_with_the_known_answer():
    assert signature_header(EVENT_APP_ID, EVENT_BODY, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY) == "mac=" + EVENT_MAC
    changed = EVENT_BODY.replace(b"a1b2", b"a1b3")
    assert signature_header(EVENT_APP_ID, changed, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY) != "mac=" + EVENT_MAC


def test_the_stand_in_checks_pkce_as_rfc_7636_appendix_b():
    assert s256_challenge(RFC7636_VERIFIER) == RFC7636_CHALLENGE
