"""Nhắc Việc: the Flask app factory."""

from __future__ import annotations

import logging

from flask import Flask

from bot.settings import Settings, load_settings


def create_app(config: Settings | dict | None = None, *, runtime=None) -> Flask:
    """Build the web app. `config` is a Settings, or overrides for the loaded settings."""
    import console
    from bot import web, webhook
    from bot.runtime import Runtime

    if isinstance(config, Settings):
        settings = config
    else:
        settings = load_settings(**(config or {}))
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing, MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    app.extensions["nhacviec"] = runtime or Runtime(settings)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(console.bp)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app
