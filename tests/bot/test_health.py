"""`/healthz` names what is wrong (non-200); `/metrics` counts what an operator watches."""

from __future__ import annotations

from datetime import timedelta

from storage.db import beat
from storage.models import ZaloToken, utcnow
from tests.fixtures.db import both_databases
from zalo.messages import Outgoing
from zalo.outbox import enqueue


def test_healthz_is_ok_and_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["problems"] == []
    assert {"last_sweep_seconds_ago", "outbox_backlog", "outbox_held", "zalo_token_expires_in_seconds",
            "events_pending"} <= set(body["checks"])


@both_databases
def test_healthz_says_503_and_why_for_a_late_sweep_a_stuck_outbox_or_an_expired_token(client, runtime):
    now = utcnow()
    beat(runtime.engine, "sweep", now - timedelta(minutes=1))
    assert client.get("/healthz").status_code == 200
    beat(runtime.engine, "sweep", now - timedelta(minutes=8))
    late = client.get("/healthz")
    assert late.status_code == 503 and "swept" in " ".join(late.get_json()["problems"])
    beat(runtime.engine, "sweep", now)
    with runtime.session() as session:
        message = enqueue(session, "stuck", Outgoing("5000000000000000005", "xin chào"))
        message.created_at = now - timedelta(minutes=30)
        session.add(message)
    stuck = client.get("/healthz")
    assert stuck.status_code == 503 and stuck.get_json()["checks"]["outbox_backlog"] == 1
    with runtime.session() as session:
        session.get(type(message), message.id).status = "sent"
        session.merge(ZaloToken(id=1, access_token="a", refresh_token="r", expires_at=now - timedelta(hours=1),
                                updated_at=now - timedelta(hours=26)))
    expired = client.get("/healthz")
    assert expired.status_code == 503 and "token" in " ".join(expired.get_json()["problems"])


def test_metrics_count_events_messages_and_the_webhook_latency(chat, client):
    chat.say("Phạm Thị Bình", "giúp")
    text = client.get("/metrics").get_data(as_text=True)
    assert "nhacviec_events_accepted_total 1.0" in text
    assert 'nhacviec_events_handled_total{outcome="done"} 1.0' in text
    assert 'nhacviec_messages{channel="reply",status="sent"}' in text
    assert "nhacviec_webhook_seconds_count" in text and "nhacviec_zalo_rate_budget_used" in text
