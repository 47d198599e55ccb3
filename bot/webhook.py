"""`POST /zalo/webhook`: verify, record, answer. The work happens afterwards, in the worker.

The accept path is kept cheap (it is what Zalo waits on): the body is parsed and its signature
checked in memory, then one INSERT that ignores a redelivered event is the only statement; no
read, no lock taken for reading (on SQLite into a file of its own, `storage.inbox`, so that it
never queues behind the worker). Every validly signed event gets 200, also those the bot has no
use for (recorded as `ignored` with the reason, for the log): Zalo redelivers what fails and in
the end disables a webhook that keeps failing. Refused, with the reason in the log: what is not
signed, what is malformed, and what is too old or too far ahead (`MAX_EVENT_AGE`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from flask import Blueprint, jsonify, request

from bot.metrics import WEBHOOK_SECONDS
from bot.strict_json import NotAcceptable, loads_strict
from storage.inbox import record_event
from storage.models import utcnow
from zalo.events import name_problem, stored_user_id, why_ignored
from zalo.runtime import current_runtime
from zalo.signature import signature_matches

MAX_BODY = 64 * 1024
# A signed event whose timestamp is further than this from now is a replay, or a clock gone wrong.
MAX_EVENT_AGE = timedelta(days=1)
bp = Blueprint("webhook", __name__)
log = logging.getLogger(__name__)


def _refuse(status: int, why: str, message: str):
    log.warning("webhook: refused (%s): %s", why, message)
    return jsonify({"message": message}), status


def _timestamp_problem(timestamp: str) -> tuple[str, str] | None:
    """(why, message) when Zalo's timestamp (epoch milliseconds as a string) is not one, or is
    further than MAX_EVENT_AGE from now; None when it is fine."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 16):
        return "malformed", "timestamp is not epoch milliseconds"
    if abs(int(timestamp) / 1000 - time.time()) > MAX_EVENT_AGE.total_seconds():
        return "too old", "timestamp is more than a day away from now"
    return None


@bp.post("/zalo/webhook")
def receive():
    with WEBHOOK_SECONDS.time():
        return _receive()


def _receive():
    if (request.content_length or 0) > MAX_BODY:
        return _refuse(413, "malformed", "body too large")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return _refuse(413, "malformed", "body too large")
    try:
        event = loads_strict(raw)
    except NotAcceptable as error:
        return _refuse(400, "malformed", str(error))
    if not isinstance(event, dict):
        return _refuse(400, "malformed", "body is not a JSON object")

    signature = request.headers.get("X-ZEvent-Signature")
    if not signature and "event_name" not in event:
        return jsonify({"message": "ok"}), 200  # Zalo's unsigned set-up probe: nothing to do

    settings = current_runtime().settings
    app_id, timestamp = event.get("app_id"), event.get("timestamp")
    if not isinstance(app_id, str) or not isinstance(timestamp, str):
        return _refuse(400, "malformed", "app_id and timestamp are required")
    if not signature_matches(signature, app_id, raw, timestamp, settings.zalo_oa_secret_key):
        return _refuse(401, "unsigned", "wrong signature" if signature else "no signature")
    if app_id != settings.zalo_app_id:
        return _refuse(401, "unsigned", "signed for another app")
    problem = name_problem(event)
    if problem:
        return _refuse(400, "malformed", problem)
    stale = _timestamp_problem(timestamp)
    if stale:
        return _refuse(400, *stale)

    ignored = why_ignored(event)
    if ignored:
        log.info("webhook: %s event recorded, not handled: %s", event["event_name"], ignored)
    fresh = _record(event, raw, ignored)
    worker = current_runtime().worker
    if fresh and not ignored and worker is not None:
        worker.wake.set()  # the worker in this process, if any; a worker process polls
    return jsonify({"message": "ok"}), 200


def _record(event: dict, raw: bytes, ignored: str | None) -> bool:
    """Store the event once (a redelivery, identical bytes, finds its key there); True when new."""
    key = hashlib.sha256(raw).hexdigest()
    now = utcnow()
    values = dict(event_key=key, event_name=event["event_name"], zalo_user_id=stored_user_id(event), payload=event,
                  received_at=now, status="ignored" if ignored else "pending",
                  handled_at=now if ignored else None, error=ignored)
    fresh = record_event(current_runtime().engine, values)
    if not fresh:
        log.info("webhook: redelivered event %s ignored", key[:12])
    return fresh
