"""A local stand-in for the Zalo endpoints this project calls (docs/zalo.md, without Zalo).

One server plays the OpenAPI base, the OAuth base and the business (ZNS) base. Every reply is
HTTP 200 with `error` inside, as Zalo's are. The rules live in `dev.standin.rules`.
"""

from __future__ import annotations

import json
import time
from functools import wraps

from flask import Flask, jsonify, redirect, render_template, request

from dev.standin.oauth import CONSENT_PATH, OAUTH_PATH
from dev.standin.rules import IMAGE_LIMIT_BYTES, INVALID_PARAM, StandinError
from dev.standin.simulator import simulator
from dev.standin.state import StandinState


def create_standin_app(config: dict | None = None) -> Flask:
    """The stand-in; its state (`StandinState`) is `app.extensions["standin"]`. Config keys: see state.DEFAULTS."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.config["MAX_CONTENT_LENGTH"] = 4 * IMAGE_LIMIT_BYTES
    state = StandinState(config)
    app.extensions["standin"] = state
    _add_openapi(app, state)
    _add_oauth(app, state)
    app.register_blueprint(simulator)
    return app


def _zalo_api(state: StandinState):
    """A view decorator: counts, authenticates (`access_token` header), rate-limits, answers
    `{"error", "message", "data"}`; a fault set by a test (`StandinState.set_faults`) spoils the answer."""

    def decorate(view):
        @wraps(view)
        def wrapped():
            state.count(request.path)
            state.arrive()
            fault = state.next_fault()
            if fault == "refuse":  # a 5xx before anything was done
                return "Service Unavailable", 503
            try:
                state.tokens.authorize(request.headers.get("access_token"))
                state.admit()
                reply = {"error": 0, "message": "Success", "data": view()}
            except StandinError as exc:
                reply = {"error": exc.code, "message": exc.message}
            time.sleep(state.latency(_recipient(request)))
            return _spoiled(fault, reply, float(state.config["SLOW_FAULT_SECONDS"])) if fault else jsonify(reply)

        return wrapped

    return decorate


def _recipient(req) -> str | None:
    """The user a send is addressed to, for a latency set per user."""
    body = req.get_json(silent=True) if req.is_json else None
    if not isinstance(body, dict):
        return None
    recipient = body.get("recipient")
    return str((recipient.get("user_id") if isinstance(recipient, dict) else None) or body.get("user_id") or "")


def _spoiled(fault: str, reply: dict, slow_seconds: float):
    """The answer to a request that was done (a message sent is recorded) but whose answer went wrong."""
    if fault == "lose":
        return "Internal Server Error", 500
    if fault == "garbage":
        return "<html><body>502 Bad Gateway</body></html>", 200
    if fault == "no_id" and isinstance(reply.get("data"), dict):
        reply = {**reply, "data": {k: v for k, v in reply["data"].items() if k not in ("message_id", "msg_id")}}
    if fault == "slow":
        time.sleep(slow_seconds)
    return jsonify(reply)


def _data_query() -> dict:
    """The `data={"user_id": ...}` query string of Zalo's GET endpoints, or -201."""
    try:
        query = json.loads(request.args.get("data", ""))
    except ValueError:
        query = None
    if not isinstance(query, dict) or not query.get("user_id"):
        raise StandinError(INVALID_PARAM, 'data={"user_id": ...} is required')
    return query


def _add_openapi(app: Flask, state: StandinState) -> None:
    """Messages, uploads and profiles (the OpenAPI base) and ZNS (the business base)."""
    zalo_api = _zalo_api(state)

    @app.post("/v3.0/oa/message/cs")
    @zalo_api
    def message_cs():
        return state.accept_cs(request.get_json(silent=True))

    @app.post("/v3.0/oa/message/template")
    @zalo_api
    def message_template():
        return state.accept_template(request.get_json(silent=True))

    @app.post("/message/template")
    @zalo_api
    def zns_template():
        return state.accept_zns(request.get_json(silent=True))

    @app.post("/v3.0/oa/upload/image")
    @zalo_api
    def upload_image():
        upload = request.files.get("file")
        if upload is None:
            raise StandinError(INVALID_PARAM, "file is required")
        return state.store_image(upload.read())

    @app.get("/v3.0/oa/user/detail")
    @zalo_api
    def user_detail():
        return state.user_detail(str(_data_query()["user_id"]))

    @app.get("/v2.0/oa/conversation")
    @zalo_api
    def conversation():
        query = _data_query()
        return state.recent_messages(str(query["user_id"]), query.get("offset", 0), query.get("count", 10))

    @app.get("/v2.0/oa/getoa")
    @zalo_api
    def get_oa():
        return state.oa_info()


def _add_oauth(app: Flask, state: StandinState) -> None:
    """The token endpoint and the OA admin's consent page (the OAuth base)."""

    @app.post(OAUTH_PATH)
    def access_token():
        state.count(OAUTH_PATH)
        return jsonify(state.tokens.grant(request.headers.get("secret_key"), request.form.to_dict()))

    @app.route(CONSENT_PATH, methods=["GET", "POST"])
    def permission():
        """The OA admin's consent page (GET); their answer (POST) sends the browser back to the app."""
        try:
            consent = state.tokens.consent_request(request.values)
        except StandinError as exc:
            return render_template("consent.html", config=state.config, error=exc.message), 400
        if request.method == "GET":
            return render_template("consent.html", config=state.config, consent=consent)
        allowed = request.form.get("decision") == "allow"
        return redirect(state.tokens.approve(consent) if allowed else state.tokens.refuse(consent))
