"""A bot that listens: greetings, thanks, "ok", an emoji or a sticker get one short, friendly
line — and nothing at all when they answer a reminder; a question in everyday words ("em có
việc gì không ạ", "hôm nay có họp gì không") is understood as the command it means.

`intent` says what a message means, in the order the conversation decides it: small talk
first (when every word is small talk: "cảm ơn đã giúp" is thanks, not a call for help), then a
command written in it, then a question in everyday words. Small talk never gets the full help.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from handlers import replies
from handlers.parsing import Message, read
from handlers.routing import Context, Router
from storage.models import OutboxMessage, SentPart
from zalo.messages import Outgoing

router = Router()

GREETING, THANKS, ACK, BYE = "chào", "cảm ơn", "đã nhận", "tạm biệt"
SMALL_TALK = (GREETING, THANKS, ACK, BYE)

_GREETING = {"chao", "hello", "hi", "hii", "hey", "alo", "helo", "xin"}
_THANKS = {"cam", "on", "thanks", "thank", "tks", "thks", "thx", "camon", "cmon", "ty"}
_ACK = {"ok", "oke", "okay", "okie", "oki", "okela", "vang", "da", "u", "uh", "um", "uhm", "duoc", "dc",
        "nhan", "ro", "hieu", "biet", "yes", "roger", "r"}
_BYE = {"tam", "biet", "bye", "goodbye", "bai", "pp"}
# Politeness around small talk: "dạ em cảm ơn anh nhiều ạ", "ok rồi nhé".
_FILLER = {"a", "ah", "ak", "em", "anh", "chi", "oi", "nhe", "nha", "nhen", "nhi", "ne", "bot", "ban", "moi",
           "nguoi", "minh", "ca", "nhieu", "rat", "lam", "qua", "vay", "the", "ha", "hen", "roi", "you", "so",
           "much", "rui", "luon", "thay", "co", "sep", "buoi", "sang", "trua", "chieu", "toi"}
_GRATEFUL_FOR = {"giup", "ho", "tro", "nhac"}  # "cảm ơn đã giúp", "cảm ơn đã nhắc"
# Zalo's emoticons arrive as text codes ("/-strong" is a thumbs-up, ":)" a smile).
_EMOTICON = re.compile(r"/-[a-z]+|[:;8][-']?[()pdoDPO|*$>3]+|<3|_\(\)_", re.IGNORECASE)
_BOTS_NAME = ("nhac", "viec")

# Questions in everyday words -> the command they mean (folded words, all present).
_QUESTIONS = (
    (("hom", "nay", "hop"), "việc hôm nay"),
    (("hom", "nay", "lich"), "việc hôm nay"),
    (("hom", "nay", "viec"), "việc hôm nay"),
    (("hom", "nay", "gi"), "việc hôm nay"),
    (("qua", "han"), "quá hạn"),
    (("tre",), "quá hạn"),
    (("tuan", "nay"), "tuần này"),
    (("viec", "phong"), "việc phòng"),
    (("viec", "don", "vi"), "việc phòng"),
    (("viec", "gi"), "việc của tôi"),
    (("viec", "nao"), "việc của tôi"),
    (("duoc", "giao"), "việc của tôi"),
    (("can", "lam"), "việc của tôi"),
    (("phai", "lam"), "việc của tôi"),
    (("lam", "sao"), "giúp"),
    (("the", "nao"), "giúp"),
    (("cach", "dung"), "giúp"),
    (("huong", "dan"), "giúp"),
)
# What a reply with nothing to say answers: a message we sent on our own, not long ago.
_ANSWERABLE = ("reminder", "notice", "digest", "summary")
_ANSWER_WITHIN = timedelta(hours=12)


def small_talk(message: Message) -> str | None:
    """GREETING, THANKS, ACK or BYE when every word of the message is small talk; else None."""
    words = [t.key for t in read(_EMOTICON.sub(" ", message.text)).tokens if t.key not in (",", ";", ":")]
    for start in range(len(words) - 1, -1, -1):  # "chào Nhắc Việc": the bot's name is not a word said
        if tuple(words[start:start + 2]) == _BOTS_NAME:
            del words[start:start + 2]
    said = set(words) - _FILLER
    allowed = _GREETING | _THANKS | _ACK | _BYE | (_GRATEFUL_FOR if said & _THANKS else set())
    if not said <= allowed or (not words and not message.text.strip()):
        return None
    for kind, vocabulary in ((THANKS, _THANKS), (GREETING, _GREETING), (BYE, _BYE)):
        if said & vocabulary:
            return kind
    return ACK


def meant(message: Message) -> str | None:
    """The command a question in everyday words means ("em có việc gì không" -> "việc của tôi")."""
    words = {t.key for t in message.tokens}
    return next((command for needed, command in _QUESTIONS if set(needed) <= words), None)


def intent(message: Message, commands: Router) -> str | None:
    """What a text means: a kind of small talk, else the command it holds or means (its first
    phrase: "việc của tôi"), else None (not understood)."""
    found = commands.match(message)
    return small_talk(message) or (found[0].phrases[0] if found else meant(message))


def answers_ours(ctx: Context) -> bool:
    """Does this message answer a message we sent on our own (a reminder, a notice, a summary)?
    Either it quotes one, or the last message to this account was one, not long ago."""
    quoted = (ctx.event.get("message") or {}).get("quote_msg_id")
    query = select(OutboxMessage.kind, OutboxMessage.created_at)
    if quoted:
        query = query.join(SentPart, SentPart.outbox_id == OutboxMessage.id).where(
            SentPart.zalo_message_id == str(quoted))
    else:
        query = query.where(OutboxMessage.zalo_user_id == ctx.user_id).order_by(OutboxMessage.id.desc())
    last = ctx.session.exec(query.limit(1)).first()
    return last is not None and last.kind in _ANSWERABLE and (quoted or last.created_at > ctx.now - _ANSWER_WITHIN)


def answer_small_talk(ctx: Context, kind: str) -> list[Outgoing]:
    if ctx.officer is None:
        return [ctx.reply(replies.NOT_LINKED, (replies.HELP,))]
    if kind in (ACK, THANKS) and answers_ours(ctx):
        return []
    if kind == GREETING:
        return [ctx.reply(replies.greeting(ctx.officer.full_name), (replies.MY_TASKS, replies.HELP))]
    text = {THANKS: replies.THANKS, ACK: replies.NOTED, BYE: replies.GOODBYE}[kind]
    return [ctx.reply(text)]


def chatter(ctx: Context, question: tuple[str, int | None]) -> list[Outgoing] | None:
    """Small talk while an answer is awaited ("ok" to "Lý do?") is no answer: it is answered as
    small talk and the question stands; None when the message may be the answer."""
    kind = small_talk(ctx.message)
    if kind is None:
        return None
    ctx.asking = question
    return answer_small_talk(ctx, kind)


@router.listener
def listen(ctx: Context) -> list[Outgoing] | None:
    """Small talk is answered here; a question in everyday words runs the command it means."""
    kind = intent(ctx.message, ctx.router)
    if kind in SMALL_TALK:
        return answer_small_talk(ctx, kind)
    if kind is not None and ctx.router.match(ctx.message) is None:
        return ctx.router.run(ctx, ctx.router.command_for(kind), len(ctx.message.tokens))
    return None


@router.event("user_send_sticker")
@router.event("user_send_gif")
def sticker(ctx: Context) -> list[Outgoing]:
    return answer_small_talk(ctx, ACK)
