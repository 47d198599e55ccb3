"""The stand-in's OA admin grant (OAuth v4 with PKCE): the consent page and the code's rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests

from dev.standin.oauth import AUTH_CODE_TTL, CONSENT_REFUSED
from dev.standin.rules import OAUTH_BAD_CODE, OAUTH_BAD_SECRET, OAUTH_BAD_VERIFIER
from tests.fixtures.standin import CALLBACK, grant
from zalo.tokens import code_challenge, consent_url, new_code_verifier

USER = "5000000000000000004"
OAUTH = "/v4/oa/access_token"


def redeem(standin, code: str, verifier: str, *, secret_key: str | None = None) -> dict:
    response = requests.post(standin.url + OAUTH, timeout=5,
                             headers={"secret_key": standin.app_secret if secret_key is None else secret_key},
                             data={"code": code, "app_id": standin.app_id, "grant_type": "authorization_code",
                                   "code_verifier": verifier})
    assert response.status_code == 200
    return response.json()


def sends_with(standin, token: str) -> bool:
    reply = requests.post(standin.url + "/v3.0/oa/message/cs", headers={"access_token": token}, timeout=5,
                          json={"recipient": {"user_id": USER}, "message": {"text": "thử"}}).json()
    return reply["error"] == 0


def test_the_consent_page_asks_the_oa_admin_in_vietnamese(standin):
    challenge = code_challenge(new_code_verifier())
    page = requests.get(consent_url(standin.url, standin.app_id, CALLBACK, challenge, "s1"), timeout=5)
    assert page.status_code == 200
    html = page.text
    assert "Cho phép Nhắc Việc quản lý Official Account «Sở Khoa học và Công nghệ»" in html
    assert ">Cho phép</button>" in html and ">Từ chối</button>" in html
    assert f'value="{challenge}"' in html
    for bad in ({"app_id": "other-app"}, {"redirect_uri": "javascript:alert(1)"}, {"code_challenge": "short"}):
        query = {"app_id": standin.app_id, "redirect_uri": CALLBACK, "code_challenge": challenge, "state": "s1", **bad}
        refused = requests.get(standin.url + "/v4/oa/permission", params=query, timeout=5)
        assert refused.status_code == 400 and "Không mở được trang cấp quyền" in refused.text


def test_allow_sends_back_a_code_and_refuse_an_error(standin):
    challenge = code_challenge(new_code_verifier())
    allowed = grant(standin, challenge, state="abc", redirect_uri=CALLBACK + "?from=console")
    assert allowed["state"] == "abc" and allowed["oa_id"] == standin.oa_id and allowed["code"]
    assert allowed["from"] == "console"  # the app's own query is kept
    refused = grant(standin, challenge, decision="deny", state="abc")
    assert refused == {"error": CONSENT_REFUSED, "state": "abc"}


def test_a_code_gives_a_pair_that_supersedes_the_old_one_and_works_once(standin):
    standin.state.touch(USER)
    old = standin.state.current_tokens()
    verifier = new_code_verifier()
    code = grant(standin, code_challenge(verifier))["code"]
    fresh = redeem(standin, code, verifier)
    assert fresh["expires_in"] == "90000"
    assert sends_with(standin, fresh["access_token"]) and not sends_with(standin, old["access_token"])
    again = redeem(standin, code, verifier)
    assert "access_token" not in again and again["error"] == OAUTH_BAD_CODE
    stale = requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                          data={"refresh_token": old["refresh_token"], "app_id": standin.app_id,
                                "grant_type": "refresh_token"}).json()
    assert "access_token" not in stale
    assert standin.state.current_tokens()["access_token"] == fresh["access_token"]


def test_a_code_expires_after_ten_minutes(standin_factory):
    clock = [datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)]
    standin = standin_factory(NOW=lambda: clock[0])
    verifier = new_code_verifier()
    late, in_time = (grant(standin, code_challenge(verifier))["code"] for _ in range(2))
    clock[0] += AUTH_CODE_TTL - timedelta(seconds=1)
    assert "access_token" in redeem(standin, in_time, verifier)
    clock[0] += timedelta(seconds=1)
    assert redeem(standin, late, verifier)["error"] == OAUTH_BAD_CODE


@pytest.mark.parametrize("verifier", ["", "x" * 42, "wrong verifier with spaces but long enough to pass 43",
                                      new_code_verifier()])
def test_the_verifier_must_hash_to_the_challenge_and_a_wrong_one_spends_the_code(standin, verifier):
    right = new_code_verifier()
    code = grant(standin, code_challenge(right))["code"]
    before = standin.state.current_tokens()
    refused = redeem(standin, code, verifier)
    assert "access_token" not in refused and refused["error"] == OAUTH_BAD_VERIFIER
    assert standin.state.current_tokens() == before
    assert redeem(standin, code, right)["error"] == OAUTH_BAD_CODE  # no second guess


def test_the_code_grant_needs_the_app_secret(standin):
    verifier = new_code_verifier()
    code = grant(standin, code_challenge(verifier))["code"]
    assert redeem(standin, code, verifier, secret_key="wrong")["error"] == OAUTH_BAD_SECRET
    assert "access_token" in redeem(standin, code, verifier)  # not spent by a caller without the secret
