"""The webhook signature against a known answer worked out apart from the code under test."""

from __future__ import annotations

import pytest

from tests.fixtures.known_answers import EVENT_APP_ID, EVENT_BODY, EVENT_MAC, EVENT_OA_SECRET_KEY, EVENT_TIMESTAMP
from zalo.signature import signature_header, signature_matches

SIGNED = (EVENT_APP_ID, EVENT_BODY, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY)


def test_the_header_is_the_known_answer():
    assert signature_header(*SIGNED) == "mac=" + EVENT_MAC


@pytest.mark.parametrize("header", ["mac=" + EVENT_MAC, EVENT_MAC, " mac=" + EVENT_MAC.upper() + " "])
def test_the_known_answer_is_accepted_with_or_without_mac(header):
    assert signature_matches(header, *SIGNED)


def test_a_one_byte_change_anywhere_is_refused():
    header = "mac=" + EVENT_MAC
    changed_body = EVENT_BODY.replace(b"a1b2", b"a1b3")
    assert len(changed_body) == len(EVENT_BODY) and changed_body != EVENT_BODY
    assert not signature_matches(header, EVENT_APP_ID, changed_body, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY)
    assert not signature_matches(header, EVENT_APP_ID, EVENT_BODY, "1739779200001", EVENT_OA_SECRET_KEY)
    assert not signature_matches(header, EVENT_APP_ID[:-1] + "9", EVENT_BODY, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY)
    assert not signature_matches(header, EVENT_APP_ID, EVENT_BODY, EVENT_TIMESTAMP, EVENT_OA_SECRET_KEY[:-1] + "m")
    flipped = EVENT_MAC[:-1] + ("3" if EVENT_MAC[-1] != "3" else "4")
    assert not signature_matches("mac=" + flipped, *SIGNED)


def test_no_header_or_no_secret_is_refused():
    assert not signature_matches(None, *SIGNED)
    assert not signature_matches("mac=" + EVENT_MAC, EVENT_APP_ID, EVENT_BODY, EVENT_TIMESTAMP, "")
