"""Fixtures of the conversation's tests."""

from __future__ import annotations

import pytest

from tests.handlers.factories import office_week


@pytest.fixture
def week(chat, runtime) -> dict[str, int]:
    """The sample directory with a small week of work (see `factories.office_week`)."""
    with runtime.session() as session:
        return office_week(session)
