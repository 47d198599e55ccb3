"""`POST /zalo/webhook`: verify, record, answer. The work happens afterwards, in the worker."""

from __future__ import annotations

import hashlib
import json
import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.models import InboundEvent, utcnow
from zalo.events import shape_problem, user_id
from zalo.runtime import current_runtime
from zalo.signature import signature_matches

MAX_BODY = 64 * 1024
bp = Blueprint("webhook", __name__)
log = logging.getLogger(__name__)


def _answer(status: int, message: str):
    return jsonify({"message": message}), status


@bp.post("/zalo/webhook")
def receive():
    if (request.content_length or 0) > MAX_BODY:
        return _answer(413, "body too large")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return _answer(413, "body too large")
    try:
        event = json.loads(raw)
    except ValueError:
        return _answer(400, "body is not JSON")
    if not isinstance(event, dict):
        return _answer(400, "body is not a JSON object")

    signature = request.headers.get("X-ZEvent-Signature")
    if not signature and "event_name" not in event:
        return _answer(200, "ok")  # Zalo's unsigned set-up probe: nothing to do

    settings = current_runtime().settings
    app_id, timestamp = event.get("app_id"), event.get("timestamp")
    if not isinstance(app_id, str) or not isinstance(timestamp, str):
        return _answer(400, "app_id and timestamp are required")
    if not signature_matches(signature, app_id, raw, timestamp, settings.zalo_oa_secret_key):
        log.warning("webhook: rejected an event with a %s signature", "wrong" if signature else "missing")
        return _answer(401, "bad signature")
    if app_id != settings.zalo_app_id:
        log.warning("webhook: rejected an event for another app")
        return _answer(401, "wrong app")
    problem = shape_problem(event)
    if problem:
        return _answer(400, problem)

    _record(event, raw)
    current_runtime().worker.wake.set()
    return _answer(200, "ok")


def _record(event: dict, raw: bytes) -> None:
    """Store the event once: a redelivery (identical bytes) finds its key already there."""
    key = hashlib.sha256(raw).hexdigest()
    row = InboundEvent(
        event_key=key,
        event_name=event["event_name"],
        zalo_user_id=user_id(event),
        payload=event,
        received_at=utcnow(),
    )
    runtime = current_runtime()
    try:
        with runtime.session() as session:
            if session.exec(select(InboundEvent.id).where(InboundEvent.event_key == key)).first() is None:
                session.add(row)
    except IntegrityError:
        current_app.logger.info("webhook: redelivered event %s ignored", key[:12])
