"""The chat simulator: a person plays an officer on Zalo and talks to the bot through the stand-in."""

from __future__ import annotations

import requests
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from dev.standin import events
from dev.standin.rules import VIETNAM
from dev.standin.state import StandinState

simulator = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")


def _state() -> StandinState:
    return current_app.extensions["standin"]


def _entry_json(entry: dict) -> dict:
    image = entry.get("attachment_id")
    return {"seq": entry["seq"], "side": entry["side"], "kind": entry["kind"], "text": entry.get("text") or "",
            "buttons": entry.get("buttons") or [], "message_id": entry.get("message_id"),
            "quote_message_id": entry.get("quote_message_id"),
            "image_url": url_for("simulator.image", attachment_id=image) if image else None,
            "time": entry["at"].astimezone(VIETNAM).strftime("%H:%M")}


def _deliver(send) -> tuple[Response, int]:
    """Post an event to the bot; a failure is shown to the person, not raised."""
    try:
        send()
    except (requests.RequestException, RuntimeError) as exc:
        current_app.logger.warning("simulator could not reach the webhook: %s", type(exc).__name__)
        return jsonify({"ok": False, "error": "Không gửi được tới bot. Bot có đang chạy không?"}), 502
    return jsonify({"ok": True}), 200


def _user_id(body: dict) -> str:
    user_id = str(body.get("user_id") or "").strip()
    if not user_id:
        abort(400, "user_id is required")
    return user_id


@simulator.get("")
def index():
    state = _state()
    return render_template("simulator.html", oa_name=state.config["OA_NAME"])


@simulator.get("/api/users")
def users():
    state = _state()
    held = state.held()
    return jsonify({"users": [{**person, "following": state.is_follower(person["zalo_user_id"]),
                               "arrived": state.arrived_by_way(person["zalo_user_id"]),
                               "held": held.get(person["zalo_user_id"], 0)}
                              for person in state.directory()]})


@simulator.get("/api/conversation")
def conversation():
    user_id = _user_id(request.args)
    after = request.args.get("after", default=0, type=int)
    return jsonify({"entries": [_entry_json(e) for e in _state().conversation(user_id, after)]})


@simulator.post("/api/send")
def send():
    body = request.get_json(silent=True) or {}
    user_id = _user_id(body)
    text = str(body.get("text") or "").strip()
    if not text:
        return jsonify({"ok": False, "error": "Tin nhắn trống."}), 400
    state = _state()
    return _deliver(lambda: state.send_user_text(user_id, text, body.get("quote_msg_id") or None))


@simulator.post("/api/follow")
def follow():
    body = request.get_json(silent=True) or {}
    user_id = _user_id(body)
    state = _state()
    event = events.follow(state.app_id, state.oa_id, user_id, following=bool(body.get("following", True)))
    return _deliver(lambda: state.send_event(event))


@simulator.get("/api/image/<attachment_id>")
def image(attachment_id: str):
    found = _state().image(attachment_id)
    if found is None:
        abort(404)
    data, content_type = found
    return Response(data, mimetype=content_type)
