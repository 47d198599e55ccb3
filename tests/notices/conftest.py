"""The sample notices read once a test module."""

from __future__ import annotations

import pytest

from notices import read_notice_text
from tests.notices.sample_notices import EMAIL, MINISTRY


@pytest.fixture(scope="module")
def ministry():
    return read_notice_text(MINISTRY)


@pytest.fixture(scope="module")
def email():
    return read_notice_text(EMAIL)
