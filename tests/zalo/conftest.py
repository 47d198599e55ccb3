"""Fixtures of the tests of `zalo`."""

from __future__ import annotations

import pytest

from tests.zalo.helpers import USER, client_settings
from zalo.client import ZaloClient


@pytest.fixture
def zalo(settings, standin, engine) -> ZaloClient:
    """A client talking to the stand-in, to a user who wrote to the OA just now."""
    standin.state.touch(USER)
    return ZaloClient(client_settings(settings, standin), engine)
