"""The office's web console: import notices, dashboard, directory, delivery log, Excel report,
Zalo connection.

`bp` is registered by `bot.create_app` under /console. It holds what every page shares (the
sign-in and CSRF guard, template helpers, error pages, the style sheet) and nests one blueprint
per concern, so an endpoint reads `console.imports.review`. Registering it also sets the app up
for the console (`_set_up`): sessions kept in the database, the trusted proxies, and a refusal
to start with a password but a weak SECRET_KEY.
"""

from flask import Blueprint

from console.auth import TrustedProxies
from console.pages import (
    access,
    common,
    dashboard,
    deliveries,
    directory,
    drafts,
    imports,
    people,
    report,
    tasks,
    zalo,
)
from console.sessions import DatabaseSessions, check_secret_key

bp = Blueprint("console", __name__, url_prefix=common.URL_PREFIX, template_folder="templates",
               static_folder="static")
bp.before_request(common.guard)
bp.url_value_preprocessor(common.bounded_ids)
bp.context_processor(common.template_helpers)
bp.register_error_handler(400, common.bad_request)
bp.register_error_handler(404, common.not_found)
bp.register_error_handler(413, common.too_large)
for page in (access, dashboard, imports, drafts, tasks, directory, people, deliveries, report, zalo):
    bp.register_blueprint(page.bp)


@bp.record_once
def _set_up(state) -> None:
    app = state.app
    runtime = app.extensions["nhacviec"]
    check_secret_key(runtime.settings)
    app.session_interface = DatabaseSessions(runtime)
    if runtime.settings.trusted_proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, runtime.settings.trusted_proxies)

__all__ = ["bp"]
