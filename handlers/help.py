"""Help, and what to say to anything else: a near miss ("viec cua toii") gets a suggestion with
a button; anything else a short line the first time, and the full help (what this reader may
do) only when asked ("giúp") or after two messages in a row not understood. Registered last."""

from __future__ import annotations

from difflib import SequenceMatcher

from handlers import replies
from handlers.parsing import Message
from handlers.routing import ANYONE, Command, Context, Router
from zalo.messages import Button, Outgoing

router = Router()

# How alike a mistyped command must be (difflib ratio over its letters) to be suggested.
NEAR_MISS = 0.75


def suggestion(message: Message, commands: list[Command]) -> str | None:
    """The command the message most likely meant, with what followed it: "xongg 7" -> "xong 7".

    The first words are compared letter by letter with each command, spaces ignored, so a
    missing, doubled or wrong letter, a missing space or a missing word still finds it.
    """
    best_ratio, best = NEAR_MISS, None
    tokens = message.tokens
    for command in commands:
        for written, key in zip(command.phrases, command.keys, strict=True):
            target = "".join(key)
            if not target.isalpha():
                continue
            for size in range(1, len(key) + 2):
                head = tokens[:size]
                if len(head) < size or not all(t.key.isalpha() for t in head):
                    continue
                ratio = SequenceMatcher(None, "".join(t.key for t in head), target).ratio()
                if ratio > best_ratio:
                    best_ratio, best = ratio, f"{written} {message.text_from(size)}".strip()
    return best


def _help_body(ctx: Context) -> str:
    commands = [(c.usage, c.what) for c in ctx.router.available(ctx)]
    return replies.help_text(commands, ctx.officer is not None)


def _help_buttons(ctx: Context) -> tuple[Button, ...]:
    return replies.NAVIGATION if ctx.officer is not None else ()


@router.command("giúp", "hướng dẫn", "help", "?", usage="giúp", what="xem hướng dẫn này", audience=ANYONE)
def show_help(ctx: Context) -> list[Outgoing]:
    return [ctx.reply(_help_body(ctx), _help_buttons(ctx))]


@router.fallback
def not_understood(ctx: Context) -> list[Outgoing]:
    ctx.understood = False
    meant = suggestion(ctx.message, ctx.router.available(ctx))
    if meant:
        return [ctx.reply(replies.did_you_mean(meant), (Button(meant[:1].upper() + meant[1:], meant),))]
    if ctx.state is not None and ctx.state.misunderstood >= 1:  # the second in a row
        return [ctx.reply(replies.not_understood(_help_body(ctx)), _help_buttons(ctx))]
    if ctx.officer is None:
        return [ctx.reply(replies.NOT_LINKED, (replies.HELP,))]
    return [ctx.reply(replies.NOT_UNDERSTOOD_ONCE, (replies.MY_TASKS, replies.HELP))]


@router.unlinked
def not_linked(ctx: Context) -> list[Outgoing]:
    """Someone not linked asked for something only officers get: no task, name or count."""
    return [ctx.reply(replies.NOT_LINKED, (replies.HELP,))]


# What Zalo sends for anything but typed text (docs/zalo.md, incoming events) that the bot does
# not take: photos and files go with progress reports (`handlers.progress`), stickers are small
# talk (`handlers.smalltalk`).
MEDIA_EVENTS = ("user_send_link", "user_send_audio", "user_send_video", "user_send_location",
                "user_send_business_card")


def only_text(ctx: Context) -> list[Outgoing]:
    return [ctx.reply(replies.ONLY_TEXT, _help_buttons(ctx) or (Button("Giúp", "giúp"),))]


for _name in MEDIA_EVENTS:
    router.event(_name)(only_text)
