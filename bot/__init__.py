"""Nhắc Việc's composition root: the app factory and the runtime with the conversation wired in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from config.logs import configure_logging
from config.settings import Settings, load_settings

if TYPE_CHECKING:
    from flask import Flask


def make_runtime(settings: Settings, **parts):
    """The process's runtime, its event worker dispatching to the conversation (`handlers`)."""
    # Imported when first used, so that `nhacviec --help` does not load the whole app.
    import handlers
    from zalo.runtime import Runtime

    return Runtime(settings, dispatch=handlers.Conversation(), **parts)


def create_app(config: Settings | dict | None = None, *, runtime=None) -> Flask:
    """Build the web app. `config` is a Settings, or overrides for the loaded settings."""
    # Imported when first used, so that `nhacviec --help` does not load the whole app.
    from flask import Flask

    # imported when first used, as above
    import console
    from bot import web, webhook

    if isinstance(config, Settings):
        settings = config
    else:
        settings = load_settings(**(config or {}))
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing, MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    app.extensions["nhacviec"] = runtime or make_runtime(settings)
    app.register_blueprint(webhook.bp)
    app.register_blueprint(web.bp)
    app.register_blueprint(console.bp)
    configure_logging()
    return app
