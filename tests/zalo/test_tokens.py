"""The token pair against the stand-in: refreshed once and stored before use, granted again by an OA admin."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask, jsonify, request
from sqlalchemy import event

from dev.processes import free_port
from dev.standin.rules import OAUTH_BAD_VERIFIER
from dev.standin.server import serve_in_thread
from storage.db import make_engine, session_scope
from storage.models import ZaloToken, utcnow
from tests.fixtures.db import both_databases
from tests.fixtures.known_answers import RFC7636_CHALLENGE, RFC7636_VERIFIER
from tests.fixtures.standin import grant
from tests.zalo.helpers import OAUTH, USER, client_settings, stored_pair
from zalo.client import ZaloClient
from zalo.errors import ZaloError, ZaloTransportError
from zalo.tokens import code_challenge, consent_url, new_code_verifier


class TokenAudit(requests.Session):
    """As each API request leaves, notes whether its token is the one stored in the database."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine
        self.matches: list[bool] = []

    def request(self, method, url, **kwargs):
        token = (kwargs.get("headers") or {}).get("access_token")
        if token is not None:
            self.matches.append(token == stored_pair(self.engine)[0])
        return super().request(method, url, **kwargs)


# --- tokens ----------------------------------------------------------------------------------------

def test_an_expired_token_is_refreshed_stored_and_only_then_used(settings, standin, engine):
    standin.state.touch(USER)
    audit = TokenAudit(engine)
    zalo = ZaloClient(client_settings(settings, standin), engine, http=audit)
    zalo.send_text(USER, "trước")
    standin.state.expire_access_token()
    zalo.send_text(USER, "sau")
    assert [m["text"] for m in standin.state.messages(USER)] == ["trước", "sau"]
    assert standin.state.request_count(OAUTH) == 1
    live = standin.state.current_tokens()
    assert stored_pair(engine) == (live["access_token"], live["refresh_token"])
    assert audit.matches == [True, True, True]  # first send, refused resend, resend with the new token
    # The old refresh token is dead: Zalo refuses it.
    reused = requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                           data={"refresh_token": standin.refresh_token, "app_id": standin.app_id,
                                 "grant_type": "refresh_token"}).json()
    assert "access_token" not in reused


@both_databases
def test_clients_refreshing_at_once_make_one_oauth_call(settings, standin, engine):
    standin.state.touch(USER)
    config = client_settings(settings, standin)
    engines = [make_engine(config.database_url) for _ in range(4)]  # as if four processes
    clients = [ZaloClient(config, e) for e in engines]
    stale = clients[0].current_access_token()
    results: dict[str, list] = {"refresh": [], "send": []}

    def race(action: str, run) -> None:
        barrier = threading.Barrier(len(clients))

        def worker(client):
            barrier.wait()
            results[action].append(run(client))

        threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)

    try:
        race("refresh", lambda client: client.refresh_tokens(stale))
        assert standin.state.request_count(OAUTH) == 1
        assert set(results["refresh"]) == {standin.state.current_tokens()["access_token"]}
        standin.state.expire_access_token()
        race("send", lambda client: client.send_text(USER, "đồng thời"))
        assert standin.state.request_count(OAUTH) == 2
        assert len(results["send"]) == 4 and len(standin.state.messages(USER)) == 4
        live = standin.state.current_tokens()
        assert stored_pair(engine) == (live["access_token"], live["refresh_token"])
    finally:
        for e in engines:
            e.dispose()


def test_a_sender_reads_the_stored_token_once_not_before_every_send(zalo, standin, engine):
    reads = []

    def note(_conn, _cursor, statement, *_args):
        if "FROM zalotoken" in statement:
            reads.append(statement)

    zalo.send_text(USER, "đầu tiên")  # reads (and seeds) the stored pair
    event.listen(engine, "before_cursor_execute", note)
    try:
        for n in range(5):
            zalo.send_text(USER, f"tin {n}")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(standin.state.messages(USER)) == 6
    assert reads == []


@both_databases
def test_a_token_renewed_by_another_process_is_used_without_renewing_again(settings, standin, engine):
    standin.state.touch(USER)
    config = client_settings(settings, standin)
    other_engine = make_engine(config.database_url)
    try:
        ours, theirs = ZaloClient(config, engine), ZaloClient(config, other_engine)
        ours.send_text(USER, "trước")  # ours now remembers the token
        theirs.refresh_tokens(theirs.current_access_token())  # the old pair dies
        ours.send_text(USER, "sau")  # refused once, then sent with the stored token
    finally:
        other_engine.dispose()
    assert [m["text"] for m in standin.state.messages(USER)] == ["trước", "sau"]
    assert standin.state.request_count(OAUTH) == 1
    live = standin.state.current_tokens()
    assert stored_pair(engine) == (live["access_token"], live["refresh_token"])


def test_the_token_job_refreshes_only_when_expiring(zalo, standin, engine):
    # A pair seeded from settings has an unknown age: it counts as expiring.
    assert zalo.refresh_if_expiring(timedelta(hours=2)) is True
    assert zalo.refresh_if_expiring(timedelta(hours=2)) is False
    assert standin.state.request_count(OAUTH) == 1
    assert stored_pair(engine)[0] == standin.state.current_tokens()["access_token"]


def test_a_refused_refresh_says_so(zalo, standin):
    # Someone else used the refresh token behind our back: ours is dead.
    live = standin.state.current_tokens()
    requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                  data={"refresh_token": live["refresh_token"], "app_id": standin.app_id,
                        "grant_type": "refresh_token"})
    with pytest.raises(ZaloError) as raised:
        zalo.send_text(USER, "x")
    assert raised.value.refresh_failed and raised.value.token_invalid and not raised.value.permanent


def test_tokens_never_reach_logs_or_exceptions(settings, standin, engine, caplog):
    caplog.set_level(logging.DEBUG)
    standin.state.touch(USER)
    zalo = ZaloClient(client_settings(settings, standin), engine)
    seen = {standin.access_token, standin.refresh_token, standin.app_secret}
    zalo.send_text(USER, "một")
    standin.state.expire_access_token()
    zalo.send_text(USER, "hai")  # refresh
    seen |= {standin.state.current_tokens()["access_token"], standin.state.current_tokens()["refresh_token"]}
    failures = []
    standin.state.set_follower(USER, False)
    with pytest.raises(ZaloError) as refused:
        zalo.send_text(USER, "ba")
    failures.append(refused.value)
    requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                  data={"refresh_token": standin.state.current_tokens()["refresh_token"], "app_id": standin.app_id,
                        "grant_type": "refresh_token"})
    seen |= {standin.state.current_tokens()["access_token"], standin.state.current_tokens()["refresh_token"]}
    with pytest.raises(ZaloError) as refresh_refused:
        zalo.user_detail(USER)
    failures.append(refresh_refused.value)
    offline = ZaloClient(client_settings(settings, standin, zalo_api_base=f"http://127.0.0.1:{free_port()}"), engine)
    with pytest.raises(ZaloTransportError) as unreachable:
        offline.send_text(USER, "bốn")
    failures.append(unreachable.value)
    texts = [caplog.text] + [f"{f!s} {f!r} {f.args!r}" for f in failures]
    assert "token refresh refused" in caplog.text  # the refusal is logged, without the token
    for secret in seen:
        assert all(secret not in text for text in texts), "a token or secret leaked"


# --- an OA admin grants access again (OAuth v4 with PKCE) ----------------------------------------

def test_pkce_helpers_follow_rfc_7636():
    assert code_challenge(RFC7636_VERIFIER) == RFC7636_CHALLENGE
    verifiers = {new_code_verifier() for _ in range(50)}
    assert len(verifiers) == 50
    assert all(43 <= len(v) <= 128 and v.replace("-", "").replace("_", "").isalnum() for v in verifiers)
    url = consent_url("https://oauth.zaloapp.com/", "app 1", "https://bot.example/console/zalo/callback?x=1",
                      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "st&te")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "oauth.zaloapp.com", "/v4/oa/permission")
    assert parse_qs(parts.query) == {"app_id": ["app 1"], "redirect_uri": ["https://bot.example/console/zalo/callback?x=1"],
                                     "code_challenge": ["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"],
                                     "state": ["st&te"]}


def kill_pair(standin) -> None:
    """Someone else spends the refresh token: the pair the bot holds is dead."""
    requests.post(standin.url + OAUTH, headers={"secret_key": standin.app_secret}, timeout=5,
                  data={"refresh_token": standin.state.current_tokens()["refresh_token"], "app_id": standin.app_id,
                        "grant_type": "refresh_token"})


@both_databases
def test_a_fresh_grant_replaces_a_dead_pair_and_sending_works_again(zalo, standin, engine):
    zalo.send_text(USER, "trước")
    kill_pair(standin)
    standin.state.expire_access_token()
    with pytest.raises(ZaloError) as dead:
        zalo.send_text(USER, "không tới")
    assert dead.value.refresh_failed
    verifier = new_code_verifier()
    code = grant(standin, code_challenge(verifier))["code"]
    zalo.exchange_code(code, verifier)
    live = standin.state.current_tokens()
    assert stored_pair(engine) == (live["access_token"], live["refresh_token"])
    with session_scope(engine) as session:
        row = session.get(ZaloToken, 1)
        assert abs((row.expires_at - utcnow()) - timedelta(seconds=90000)) < timedelta(minutes=1)
    zalo.send_text(USER, "sau")
    assert [m["text"] for m in standin.state.messages(USER)] == ["trước", "sau"]
    assert zalo.last_renewal.grant == "authorization_code" and zalo.last_renewal.error is None


def test_a_grant_fills_an_empty_token_table(settings, standin, engine):
    standin.state.touch(USER)
    zalo = ZaloClient(client_settings(settings, standin, zalo_access_token="", zalo_refresh_token=""), engine)
    with pytest.raises(ZaloError):
        zalo.send_text(USER, "chưa có mã")
    verifier = new_code_verifier()
    zalo.exchange_code(grant(standin, code_challenge(verifier))["code"], verifier)
    assert stored_pair(engine)[0] == standin.state.current_tokens()["access_token"]
    assert zalo.send_text(USER, "đã có mã")


def test_a_refused_code_raises_with_zalos_reason_and_keeps_the_pair(zalo, standin, engine):
    zalo.send_text(USER, "một")
    before = stored_pair(engine)
    code = grant(standin, code_challenge(new_code_verifier()))["code"]
    with pytest.raises(ZaloError) as refused:
        zalo.exchange_code(code, new_code_verifier())  # not the verifier behind the challenge
    assert refused.value.code == OAUTH_BAD_VERIFIER and "Invalid code verifier" in str(refused.value)
    assert stored_pair(engine) == before
    assert zalo.last_renewal.grant == "authorization_code" and "Invalid code verifier" in zalo.last_renewal.error
    zalo.send_text(USER, "hai")  # the old pair still works
    assert len(standin.state.messages(USER)) == 2


def test_a_grant_never_puts_a_token_or_code_in_logs_or_exceptions(settings, engine, caplog):
    """Even when Zalo's refusal repeats what it was sent, and when Zalo cannot be reached."""
    caplog.set_level(logging.DEBUG)
    echo = Flask("echoing_oauth")

    @echo.post(OAUTH)
    def refuse():
        return jsonify({"error": -14016, "error_description": f"bad grant {request.form.to_dict()}"})

    verifier = new_code_verifier()
    failures = []
    with serve_in_thread(echo) as server:
        zalo = ZaloClient(settings.with_overrides(zalo_oauth_base=server.url), engine)
        with pytest.raises(ZaloError) as refused:
            zalo.exchange_code("the-secret-code", verifier)
        failures.append(refused.value)
    offline = ZaloClient(settings.with_overrides(zalo_oauth_base=f"http://127.0.0.1:{free_port()}"), engine)
    with pytest.raises(ZaloTransportError) as unreachable:
        offline.exchange_code("the-secret-code", verifier)
    failures.append(unreachable.value)
    texts = [caplog.text, offline.last_renewal.error] + [f"{f!s} {f!r} {f.args!r}" for f in failures]
    assert "authorization code exchange refused" in caplog.text and "bad grant" in caplog.text
    for secret in ("the-secret-code", verifier, settings.zalo_app_secret):
        assert all(secret not in text for text in texts), "a code, verifier or secret leaked"


def test_a_slow_token_renewal_does_not_hold_up_the_webhook(settings, engine, client, directory):
    """The renewal holds a lease, not the database: events are still recorded meanwhile."""
    from tests.fixtures.chat import signed_post, text_event

    answered = threading.Event()
    release = threading.Event()
    oauth = Flask("slow_oauth")

    @oauth.post("/v4/oa/access_token")
    def slow_token():
        answered.set()
        release.wait(10)
        return jsonify({"access_token": "new-access", "refresh_token": "new-refresh", "expires_in": "90000"})

    with serve_in_thread(oauth) as server:
        zalo = ZaloClient(settings.with_overrides(zalo_oauth_base=server.url), engine)
        renewal = threading.Thread(target=zalo.refresh_tokens, args=(zalo.current_access_token(),))
        renewal.start()
        assert answered.wait(5)  # Zalo is now "thinking" about the refresh
        response = signed_post(client, text_event("5000000000000000005", "giúp"))
        still_renewing = renewal.is_alive()
        release.set()
        renewal.join(10)
    assert response.status_code == 200 and still_renewing
    assert stored_pair(engine) == ("new-access", "new-refresh")
