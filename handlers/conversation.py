"""The conversation: the feature routers in order, help and the fallback last, and `handle_event`.

The order is the order help lists the commands in; which command a message means is decided
by where it is written (see `handlers.routing`). What the conversation remembers of an account
between its messages (`ChatState`: misunderstandings in a row, the question it waits an answer
to, for half an hour) is read before the handlers and written after them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from config.settings import Settings
from handlers import closing, delegation, extension, linking, listing, progress, reports, smalltalk
from handlers.help import router as help_router
from handlers.routing import Context, Router
from storage.models import ChatState, Officer
from zalo import events
from zalo.messages import Outgoing

router = Router()
router.include(smalltalk.router, listing.router, reports.router, progress.router, closing.router,
               delegation.router, extension.router, linking.router, help_router)

# How long a question the bot asked ("Lý do?") waits for its answer.
ANSWER_WITHIN = timedelta(minutes=30)
_NOTHING_KEPT = {"misunderstood": 0, "awaiting": None, "awaiting_task_id": None, "awaiting_until": None}
# `session.info` key: what the conversation remembers of the accounts of the worker's batch, read
# in one statement (`prepare`) and kept current by each event (`remember`).
_STATES = "chat_states"


class Conversation:
    """`handle_event` as the event worker drives it (zalo.worker): `prepare` a batch, then each event."""

    def prepare(self, session: Session, users: set[str]) -> None:
        """Read what is remembered of the batch's accounts at once, instead of once an event."""
        found = {state.zalo_user_id: state
                 for state in session.exec(select(ChatState).where(ChatState.zalo_user_id.in_(users)))}
        session.info[_STATES] = {user: found.get(user) for user in users}

    def __call__(self, session: Session, settings: Settings, event: dict, officer: Officer | None,
                 now: datetime) -> list[Outgoing]:
        return handle_event(session, settings, event, officer, now)


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
    known = session.info.get(_STATES, {})
    state = known[user] if user in known else session.get(ChatState, user)
    ctx = Context(session, settings, event, officer, now, user, state=state)
    replies = router.dispatch(ctx)
    remember(session, ctx)
    return replies


def remember(session: Session, ctx: Context) -> None:
    """Keep what the next message needs: misunderstandings in a row, the question now asked
    (any other message drops an earlier one). Nothing is written when nothing changes; written,
    it is one upsert, so two processes handling one account's messages never collide."""
    state = ctx.state
    misunderstood = 0 if ctx.understood else (state.misunderstood if state else 0) + 1
    awaiting, task_id = ctx.asking or (None, None)
    kept = {"misunderstood": misunderstood, "awaiting": awaiting, "awaiting_task_id": task_id,
            "awaiting_until": ctx.now + ANSWER_WITHIN if ctx.asking else None}
    before = {name: getattr(state, name) for name in kept} if state else _NOTHING_KEPT
    if kept != before:
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(ChatState.__table__).values(zalo_user_id=ctx.user_id, **kept)
                        .on_conflict_do_update(index_elements=["zalo_user_id"], set_=kept))
        state = ChatState(zalo_user_id=ctx.user_id, **kept)
    session.info.setdefault(_STATES, {})[ctx.user_id] = state  # what the next event of the batch reads
