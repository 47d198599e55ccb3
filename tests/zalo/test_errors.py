"""What each of Zalo's error codes means for a sender, read from the one table."""

from __future__ import annotations

import pytest

from zalo.errors import ZaloError


@pytest.mark.parametrize("code, kind", [
    (-216, "token_invalid"), (-220, "token_invalid"),
    (-32, "rate_limited"),
    (-230, "outside_window"), (-232, "outside_window"),
    (-213, "unreachable"), (-217, "unreachable"), (-227, "unreachable"), (-244, "unreachable"),
    (-201, "permanent"), (404, "permanent"),
])
def test_each_code_is_one_kind_of_failure(code, kind):
    error = ZaloError(code, "refused")
    kinds = ("token_invalid", "rate_limited", "outside_window", "unreachable", "permanent")
    assert [k for k in kinds if getattr(error, k)] == [kind]


def test_a_failed_refresh_counts_as_a_refused_token_whatever_its_code():
    assert ZaloError(-14014, "token refresh refused", refresh_failed=True).token_invalid
