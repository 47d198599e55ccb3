"""The all-in-one dev server behind `make run`: the sample directory and notice loaded and
published, the bot, and the Zalo stand-in with its chat simulator, on one port.

Dev-only: nothing in the product imports this module.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bot import create_app, make_runtime
from bot.serving import serve_forever
from config.logs import configure_logging
from config.settings import Settings, load_settings
from dev.standin.app import create_standin_app
from dev.standin.server import make_server
from notices.importer import import_file, publish_notice
from storage.db import init_db
from storage.directory import load_directory
from storage.models import Officer, OutboxMessage, Unit, utcnow
from zalo.channels import zns_phone
from zalo.runtime import Runtime

log = logging.getLogger(__name__)
SAMPLES = Path(__file__).resolve().parent / "samples"
SAMPLE_NOTICE = SAMPLES / "thong-bao-ket-luan-tuan-7-2025.txt"
# Credentials shared by the bot and the stand-in when nothing else is configured.
DEV_CREDENTIALS = {
    "zalo_app_id": "dev-app",
    "zalo_app_secret": "dev-app-secret",
    "zalo_oa_secret_key": "dev-oa-secret",
    "zalo_oa_id": "dev-oa",
    "zalo_access_token": "dev-access-token",
    "zalo_refresh_token": "dev-refresh-token",
}
STANDIN_PREFIX = "/standin"
# Templates the stand-in approves: officers outside the window, or with no Zalo link, are reached.
DEV_TEMPLATES = {"zalo_template_id": "dev-template", "zalo_zns_template_id": "dev-zns"}


def directory_users(runtime: Runtime):
    """The simulator's picker: every officer; the stand-in gives those not linked a made-up id."""

    def users() -> list[dict]:
        with runtime.session() as session:
            rows = session.exec(
                select(Officer, Unit).join(Unit, Unit.id == Officer.unit_id).order_by(Officer.id)
            ).all()
        return [
            {"zalo_user_id": o.zalo_user_id, "name": o.full_name, "title": o.title, "unit": u.name,
             "phone": zns_phone(o.phone)}
            for o, u in rows
        ]

    return users


def held_counts(runtime: Runtime):
    """For the simulator: how many messages the bot holds for each Zalo account."""

    def held() -> dict[str, int]:
        with runtime.session(read_only=True) as session:
            return dict(session.exec(select(OutboxMessage.zalo_user_id, func.count())
                                     .where(OutboxMessage.status == "held").group_by(OutboxMessage.zalo_user_id)).all())

    return held


def prepare_samples(runtime: Runtime) -> None:
    """Load the sample directory and publish the sample notice (both safe to repeat)."""
    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
    with runtime.session() as session:
        report = import_file(session, SAMPLE_NOTICE, settings=runtime.settings)
        publish_notice(session, report.notice_id, runtime.settings, utcnow())


def standin_config(settings: Settings, **extra) -> dict:
    """Configuration for a Zalo stand-in that accepts this bot's credentials."""
    return {"APP_ID": settings.zalo_app_id, "APP_SECRET": settings.zalo_app_secret,
            "OA_SECRET_KEY": settings.zalo_oa_secret_key, "OA_ID": settings.zalo_oa_id,
            "ACCESS_TOKEN": settings.zalo_access_token, "REFRESH_TOKEN": settings.zalo_refresh_token, **extra}


def serve_dev(settings: Settings, *, port: int) -> None:
    base = f"http://127.0.0.1:{port}{STANDIN_PREFIX}"
    overrides = {k: v for k, v in {**DEV_CREDENTIALS, **DEV_TEMPLATES}.items() if not getattr(settings, k)}
    settings = settings.with_overrides(**overrides, zalo_api_base=base, zalo_oauth_base=base, zalo_business_api_base=base)
    runtime = make_runtime(settings)
    init_db(runtime.engine)
    prepare_samples(runtime)
    standin = create_standin_app(standin_config(settings, WEBHOOK_URL=f"http://127.0.0.1:{port}/zalo/webhook",
                                                USERS=directory_users(runtime), HELD=held_counts(runtime)))
    app = create_app(settings, runtime=runtime)
    app.config["STANDIN_URL"] = f"{STANDIN_PREFIX}/simulator"
    log.info("Nhắc Việc on http://127.0.0.1:%s — simulator at %s/simulator", port, STANDIN_PREFIX)

    def serve_with_zalo_headers(wsgi, host, port):
        return make_server(wsgi, host, port, quiet=False)

    serve_forever(runtime, host="127.0.0.1", port=port, with_scheduler=True, make_server=serve_with_zalo_headers, worker="threads",
                  wsgi_app=DispatcherMiddleware(app, {STANDIN_PREFIX: standin}))


def main() -> None:
    """`make run` (`python -m dev [--port P]`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m dev", description="Nhắc Việc with the Zalo stand-in")
    parser.add_argument("--port", type=int, default=8000)
    port = parser.parse_args().port
    configure_logging()
    serve_dev(load_settings(), port=port)
