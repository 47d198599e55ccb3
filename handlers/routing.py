"""The machinery of the conversation: a `Router` of handlers registered per feature, in order,
with a fallback last (as python-telegram-bot and aiogram do), and the `Context` a handler gets.

A text command is a phrase ("việc của tôi") found among the words the officer wrote, so
"Cho em xem việc của tôi!" works too. When several commands appear in one message, the one
written first wins ("chưa xong 7" is not "xong 7"); on the same word, the one registered first.

Before the commands: the answer to a question the bot asked ("Lý do?"), when the message does
not begin with a command, then the listeners (small talk, questions in everyday words).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from config.settings import Settings
from handlers.parsing import Message, phrase_key, read, task_numbers
from handlers.replies import MAX_BUTTONS
from storage.models import ChatState, Officer
from tasks.permissions import DELEGATOR_ROLES, is_decider
from zalo.messages import Button, Outgoing
from zalo.outbox import task_for_message

# Who a command is for: anyone, Zalo users not linked yet (a linked one is told they are),
# linked officers, those who decide extension requests, or those who hand tasks to officers.
# A user who is not linked gets only the first two; help lists only what the reader may do.
ANYONE, GUESTS, OFFICERS, DECIDERS, HEADS = "anyone", "guests", "officers", "deciders", "heads"


@dataclass
class Context:
    """One event being handled, inside the worker's transaction."""

    session: Session
    settings: Settings
    event: dict
    officer: Officer | None
    now: datetime
    user_id: str
    message: Message | None = None
    # Index of the first token after the command's words: where its arguments start.
    after: int = 0
    router: Router | None = None
    # What the conversation remembers of this account (None: nothing yet), and what the
    # handlers leave for the next message: whether this one was understood, what is asked.
    state: ChatState | None = None
    understood: bool = True
    asking: tuple[str, int | None] | None = None

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    def quoted_task_id(self) -> int | None:
        """The task of the bot message this one replies to (Zalo "Trả lời"), if any."""
        quoted = (self.event.get("message") or {}).get("quote_msg_id")
        return task_for_message(self.session, str(quoted)) if quoted else None

    def numbers(self) -> tuple[list[int], int]:
        """Task numbers after the command, else the quoted message's task; and where they end."""
        numbers, end = task_numbers(self.message, self.after)
        if not numbers:
            quoted = self.quoted_task_id()
            numbers = [quoted] if quoted else []
        return numbers, end

    def reply(self, text: str, buttons: tuple[Button, ...] = (), task_id: int | None = None) -> Outgoing:
        return Outgoing(self.user_id, text, tuple(buttons)[:MAX_BUTTONS], task_id=task_id,
                        officer_id=self.officer.id if self.officer else None)

    def awaited(self) -> tuple[str, int | None] | None:
        """The question this account was asked and has not answered yet, if it still stands."""
        state = self.state
        if state is None or not state.awaiting or state.awaiting_until is None or state.awaiting_until <= self.now:
            return None
        return state.awaiting, state.awaiting_task_id


Handler = Callable[[Context], list[Outgoing]]
# A listener answers before the commands, or returns None to let them try.
Listener = Callable[[Context], "list[Outgoing] | None"]
# The answer to a question the bot asked: (context, the task it was about).
Answer = Callable[[Context, "int | None"], list[Outgoing]]


# Whether a phrase found in a message is the command: (message, where it starts, index after it).
# "giao" is the command in "giao 9 cho Châu", not in "việc được giao cho em là gì".
Fits = Callable[[Message, int, int], bool]


@dataclass(frozen=True)
class Command:
    phrases: tuple[str, ...]  # as written: "việc của tôi"
    keys: tuple[tuple[str, ...], ...]  # folded words of each phrase
    handler: Handler
    usage: str  # how help shows it: "xong N"
    what: str  # what it does, for help
    audience: str = OFFICERS
    fits: Fits | None = None


@dataclass
class Router:
    commands: list[Command] = field(default_factory=list)
    events: dict[str, Handler] = field(default_factory=dict)
    fallback_handler: Handler | None = None
    # What a Zalo user who is not linked gets for a command meant for officers.
    unlinked_handler: Handler | None = None
    listeners: list[Listener] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)

    def command(self, *phrases: str, usage: str = "", what: str = "", audience: str = OFFICERS,
                fits: Fits | None = None):
        def register(handler: Handler) -> Handler:
            keys = tuple(phrase_key(p) for p in phrases)
            self.commands.append(Command(phrases, keys, handler, usage or phrases[0], what, audience, fits))
            return handler
        return register

    def event(self, name: str):
        def register(handler: Handler) -> Handler:
            self.events[name] = handler
            return handler
        return register

    def fallback(self, handler: Handler) -> Handler:
        self.fallback_handler = handler
        return handler

    def unlinked(self, handler: Handler) -> Handler:
        self.unlinked_handler = handler
        return handler

    def listener(self, handler: Listener) -> Listener:
        self.listeners.append(handler)
        return handler

    def answer(self, question: str):
        """Register what takes the answer to `question` (a name the asking handler sets in `ctx.asking`)."""
        def register(handler: Answer) -> Answer:
            self.answers[question] = handler
            return handler
        return register

    def include(self, *routers: Router) -> None:
        """Take the routers' handlers, in the order given, after those already here."""
        for other in routers:
            self.commands.extend(other.commands)
            self.events.update(other.events)
            self.listeners.extend(other.listeners)
            self.answers.update(other.answers)
            self.fallback_handler = other.fallback_handler or self.fallback_handler
            self.unlinked_handler = other.unlinked_handler or self.unlinked_handler

    def match(self, message: Message) -> tuple[Command, int] | None:
        """The command written first in `message`, and the token index after its words."""
        found = self._first(message)
        return (found[2], found[3]) if found else None

    def _first(self, message: Message) -> tuple[int, int, Command, int] | None:
        """(where it starts, order, command, index after it) of the command written first."""
        best: tuple[int, int, Command, int] | None = None
        for order, command in enumerate(self.commands):
            for phrase in command.keys:
                start = message.find(phrase)
                if start is None or (best is not None and (start, order) >= best[:2]):
                    continue
                if command.fits is None or command.fits(message, start, start + len(phrase)):
                    best = (start, order, command, start + len(phrase))
        return best

    def command_for(self, phrase: str) -> Command:
        """The command registered under `phrase` ("việc của tôi")."""
        return next(c for c in self.commands if phrase in c.phrases)

    def run(self, ctx: Context, command: Command, after: int) -> list[Outgoing]:
        """Run `command` with its arguments from token `after` on (refused to those not linked)."""
        ctx.after = after
        if command.audience not in (ANYONE, GUESTS) and ctx.officer is None:
            return self.unlinked_handler(ctx)
        return command.handler(ctx)

    def dispatch(self, ctx: Context) -> list[Outgoing]:
        ctx.router = self
        name = ctx.event.get("event_name", "")
        if name in self.events:
            return self.events[name](ctx)
        if name != "user_send_text":
            return []
        ctx.message = read((ctx.event.get("message") or {}).get("text", ""))
        found = self._first(ctx.message)
        awaited = ctx.awaited()
        # An answer is what does not begin with a command ("dự thảo chưa xong" is a reason).
        if awaited is not None and awaited[0] in self.answers and (found is None or found[0] > 0):
            return self.answers[awaited[0]](ctx, awaited[1])
        for listener in self.listeners:
            answered = listener(ctx)
            if answered is not None:
                return answered
        if found is None:
            return self.fallback_handler(ctx)
        return self.run(ctx, found[2], found[3])

    def available(self, ctx: Context) -> list[Command]:
        """The commands this reader may use, in order (for help and near-miss suggestions)."""
        officer = ctx.officer
        audiences = {ANYONE, GUESTS} if officer is None else {ANYONE, OFFICERS}
        if officer is not None and is_decider(ctx.session, officer):
            audiences.add(DECIDERS)
        if officer is not None and officer.role in DELEGATOR_ROLES:
            audiences.add(HEADS)
        return [c for c in self.commands if c.audience in audiences]
