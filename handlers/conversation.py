"""The conversation: the feature routers in order, help and the fallback last, and `handle_event`.

The order is the order help lists the commands in; which command a message means is decided
by where it is written (see `handlers.routing`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from config.settings import Settings
from handlers import closing, extension, linking, listing
from handlers.help import router as help_router
from handlers.routing import Context, Router
from storage.models import Officer
from zalo import events
from zalo.messages import Outgoing

router = Router()
router.include(listing.router, closing.router, extension.router, linking.router, help_router)


def handle_event(session: Session, settings: Settings, event: dict, officer: Officer | None,
                 now: datetime) -> list[Outgoing]:
    """The replies to one webhook event (called by the worker inside the event's transaction).

    An officer who is no longer active is treated as not linked: they see nothing.
    """
    user = events.user_id(event)
    if not user:
        return []
    if officer is not None and not officer.active:
        officer = None
    return router.dispatch(Context(session, settings, event, officer, now, user))
