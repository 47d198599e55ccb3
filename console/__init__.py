"""The office's web console: import notices, dashboard, directory, delivery log, Excel report,
Zalo connection.

`bp` is registered by `bot.create_app` under /console. It holds what every page shares (the
sign-in and CSRF guard, template helpers, error pages, the style sheet) and nests one blueprint
per concern, so an endpoint reads `console.imports.review`.
"""

from flask import Blueprint

from console.pages import access, common, dashboard, deliveries, directory, imports, report, zalo

bp = Blueprint("console", __name__, url_prefix=common.URL_PREFIX, template_folder="templates",
               static_folder="static")
bp.before_request(common.guard)
bp.context_processor(common.template_helpers)
bp.register_error_handler(400, common.bad_request)
bp.register_error_handler(413, common.too_large)
for page in (access, dashboard, imports, directory, deliveries, report, zalo):
    bp.register_blueprint(page.bp)

__all__ = ["bp"]
