"""The console's session: a random id whose contents stay in the database, revoked by signing out
or changing the password; the cookie's flags; no weak SECRET_KEY; loopback only without a
password; wrong passwords counted per client, as the trusted proxy reports it, across processes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot import create_app, make_runtime
from console.sessions import COOKIE, WeakSecretKey
from storage.models import ConsoleSession, SignInFailure
from tests.fixtures.console import PASSWORD, SECRET_KEY, post_form


def sign_in(client):
    return post_form(client, "/console/sign-in", {"password": PASSWORD}, page="/console/sign-in")


def cookie_header(response) -> str:
    (header,) = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith(COOKIE)]
    return header


def test_the_cookie_holds_only_a_random_id_and_its_flags_are_set(locked_client, locked_runtime):
    response = sign_in(locked_client)
    header = cookie_header(response)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    session_id = header.split(";")[0].split("=", 1)[1]
    assert len(session_id) >= 40 and PASSWORD not in header
    with locked_runtime.session(read_only=True) as session:
        rows = session.exec(select(ConsoleSession)).all()
    assert rows and all(session_id not in row.key for row in rows)  # only its hash is stored
    secure = locked_client.application.test_client()
    over_https = post_form(secure, "/console/sign-in", {"password": PASSWORD}, page="/console/sign-in",
                           base_url="https://localhost")
    assert "Secure" in cookie_header(over_https)


def test_signing_out_revokes_the_session_even_for_a_copied_cookie(locked_client):
    sign_in(locked_client)
    copied = locked_client.get_cookie(COOKIE).value
    post_form(locked_client, "/console/sign-out")
    thief = locked_client.application.test_client()
    thief.set_cookie(COOKIE, copied)
    assert thief.get("/console/").status_code == 302


def test_a_new_password_signs_everyone_out(locked_client, settings, engine, fake_zalo):
    sign_in(locked_client)
    assert locked_client.get("/console/").status_code == 200
    copied = locked_client.get_cookie(COOKIE).value
    changed = make_runtime(settings.with_overrides(admin_password="Mật khẩu mới 2026!", secret_key=SECRET_KEY),
                           engine=engine, zalo=fake_zalo)
    client = create_app(changed.settings, runtime=changed).test_client()
    client.set_cookie(COOKIE, copied)
    assert client.get("/console/").status_code == 302
    changed.stop()


@pytest.mark.parametrize("key", ["", "dev-only-change-me", "short-key", "a" * 64])
def test_a_password_without_a_strong_secret_key_refuses_to_start(settings, engine, fake_zalo, key):
    runtime = make_runtime(settings.with_overrides(admin_password=PASSWORD, secret_key=key), engine=engine,
                           zalo=fake_zalo)
    with pytest.raises(WeakSecretKey, match="SECRET_KEY"):
        create_app(runtime.settings, runtime=runtime)
    runtime.stop()


def test_without_a_password_only_loopback_names_and_origins_are_answered(client):
    assert client.get("/console/").status_code == 200  # Host: localhost
    assert client.get("/console/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/console/", headers={"Host": "[::1]:8000"}).status_code == 200
    rebound = client.get("/console/directory", headers={"Host": "attacker.example:8000"})
    assert rebound.status_code == 403 and "0900000001" not in rebound.get_data(as_text=True)
    assert client.get("/console/", headers={"Origin": "http://attacker.example"}).status_code == 403
    assert client.get("/console/", headers={"Origin": "http://localhost:8000"}).status_code == 200


def _wrong(client, address: str | None = None, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    environ = {"REMOTE_ADDR": address} if address else {}
    return post_form(client, "/console/sign-in", {"password": "sai"}, page="/console/sign-in", headers=headers,
                     environ_base=environ)


def test_wrong_passwords_are_counted_in_the_database_across_processes(locked_runtime, settings, engine, fake_zalo):
    first = create_app(locked_runtime.settings, runtime=locked_runtime).test_client()
    for _ in range(5):
        assert _wrong(first).status_code == 401
    other = make_runtime(locked_runtime.settings, engine=engine, zalo=fake_zalo)  # another process, or a restart
    second = create_app(other.settings, runtime=other).test_client()
    blocked = post_form(second, "/console/sign-in", {"password": PASSWORD}, page="/console/sign-in")
    assert blocked.status_code == 429
    other.stop()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(settings, engine, fake_zalo):
    runtime = make_runtime(settings.with_overrides(admin_password=PASSWORD, secret_key=SECRET_KEY,
                                                   trusted_proxies=("10.0.0.2",)), engine=engine, zalo=fake_zalo)
    client = create_app(runtime.settings, runtime=runtime).test_client()
    for _ in range(5):
        _wrong(client, "10.0.0.2", "203.0.113.7")
    assert post_form(client, "/console/sign-in", {"password": PASSWORD}, page="/console/sign-in",
                     headers={"X-Forwarded-For": "203.0.113.8"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 302
    # Not from the proxy: the header is the sender's own claim and is not believed.
    stranger = create_app(runtime.settings, runtime=runtime).test_client()
    for _ in range(5):
        _wrong(stranger, "198.51.100.4", "203.0.113.9")
    with runtime.session(read_only=True) as session:
        addresses = sorted({f.address for f in session.exec(select(SignInFailure))})
    assert addresses == ["198.51.100.4", "203.0.113.7"]
    runtime.stop()
