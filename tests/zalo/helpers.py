"""What the tests of `zalo` share: the people they write to, a client's settings, the stored pair."""

from __future__ import annotations

from sqlmodel import select

from storage.db import session_scope
from storage.models import Officer, OutboxMessage, ZaloToken
from zalo.messages import Outgoing
from zalo.outbox import enqueue

USER = "5000000000000000004"
BINH = "5000000000000000005"  # Phạm Thị Bình in the sample directory
OAUTH = "/v4/oa/access_token"


def client_settings(settings, standin, **overrides):
    return settings.with_overrides(**{**standin.settings_overrides(), "http_connect_timeout": 1.0,
                                      "http_read_timeout": 3.0, **overrides})


def stored_pair(engine) -> tuple[str, str]:
    with session_scope(engine) as session:
        row = session.get(ZaloToken, 1)
        return row.access_token, row.refresh_token


def officer(runtime, zalo_id=BINH) -> Officer:
    with runtime.session() as session:
        return session.exec(select(Officer).where(Officer.zalo_user_id == zalo_id)).one()


def set_last_interaction(runtime, when, zalo_id=BINH) -> None:
    with runtime.session() as session:
        row = session.exec(select(Officer).where(Officer.zalo_user_id == zalo_id)).one()
        row.last_interaction_at = when
        session.add(row)


def queue(runtime, key, text="Nhắc việc #7", kind="reminder", **extra) -> None:
    with runtime.session() as session:
        who = session.exec(select(Officer).where(Officer.zalo_user_id == BINH)).one()
        enqueue(session, key, Outgoing(BINH, text, officer_id=who.id, kind=kind, **extra))


def status(runtime, key) -> OutboxMessage:
    with runtime.session() as session:
        return session.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()
