"""The office's web console: import notices, dashboard, directory, delivery log, Excel report.

`bp` is registered by `bot.create_app` under /console.
"""

from console.views import bp

__all__ = ["bp"]
