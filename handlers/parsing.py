"""Reading what an officer typed: folded words for matching, numbers, dates, the words after.

The text is normalised to NFC and cut into tokens that remember where they stand, so commands
are matched on folded words ("viec cua toi") while a note or a reason is kept as written.
Letters and digits are separate tokens ("xong7" reads as "xong 7"); "21/02" is one token.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tasks.text import fold

_TOKEN = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d+|[^\W\d_]+|[#:,;?]")
# Words that may stand between a command and its numbers: "xong việc 7", "chi tiết số 7".
_BEFORE_NUMBERS = {"viec", "so"}
# Between numbers: "xong 7, 8", "xong 7 và 8", "xong #7 #8".
_BETWEEN_NUMBERS = {"#", ",", ";", "va"}
# Leading characters dropped from a note or a reason: "xong 7: đã gửi" -> "đã gửi".
_NOTE_LEAD = " \t\n:;,.-–—"
# A number of more digits than this is no task's: it is never turned into an int (Python
# refuses past 4,300 digits), it stands for "too big" (`TOO_BIG`).
NUMBER_DIGITS = 10
TOO_BIG = 10**NUMBER_DIGITS
# One message acts on at most this many tasks ("xong 1, 2, …"): the rest are named as untouched.
MAX_TASKS = 20
# Politeness and filler after a command are not a note: "xong 7 rồi ạ!", "xong #2 nhé".
_FILLER = {"a", "roi", "nhe", "nha", "nhen", "nhi", "em", "anh", "chi", "oi", "voi", "ok", "da", "vang", "xong",
           "cam", "on"}


@dataclass(frozen=True)
class Token:
    text: str  # as written (NFC)
    key: str  # folded: lower case, no diacritics, đ -> d
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.text.isdigit()

    @property
    def is_date(self) -> bool:
        return "/" in self.text

    @property
    def number(self) -> int:
        """The number written, or `TOO_BIG` when it has more digits than any task number."""
        return int(self.text) if len(self.text) <= NUMBER_DIGITS else TOO_BIG


@dataclass(frozen=True)
class Message:
    text: str
    tokens: tuple[Token, ...]

    def find(self, phrase: tuple[str, ...]) -> int | None:
        """Index of the first token of `phrase` (folded words) in this message, if it is there."""
        keys = [t.key for t in self.tokens]
        size = len(phrase)
        return next((i for i in range(len(keys) - size + 1) if tuple(keys[i:i + size]) == phrase), None)

    def text_from(self, index: int) -> str:
        """The text as written from token `index` on, without leading punctuation."""
        if index >= len(self.tokens):
            return ""
        return self.text[self.tokens[index].start:].lstrip(_NOTE_LEAD).strip()

    def words_from(self, index: int) -> tuple[str, ...]:
        return tuple(t.key for t in self.tokens[index:])


def read(text: str) -> Message:
    text = unicodedata.normalize("NFC", text or "")
    tokens = tuple(Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text))
    return Message(text, tokens)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """'Việc của tôi' -> ('viec', 'cua', 'toi')."""
    return tuple(t.key for t in read(phrase).tokens)


def task_numbers(message: Message, index: int) -> tuple[list[int], int]:
    """Task numbers from token `index` on ("7", "#7", "7, 8", "7 và 8") and the index after them."""
    tokens = message.tokens
    while index < len(tokens) and tokens[index].key in _BEFORE_NUMBERS:
        index += 1
    numbers: list[int] = []
    while index < len(tokens):
        token = tokens[index]
        if token.is_number:
            numbers.append(token.number)
        elif token.key not in _BETWEEN_NUMBERS or (token.key == "va" and not numbers):
            break
        index += 1
    return list(dict.fromkeys(numbers)), index


# Words that may come before a command that must lead its message: "cho em tìm …", "anh muốn tổng hợp".
_LEAD = {"cho", "em", "anh", "chi", "oi", "bot", "muon", "can", "xin", "giup", "hay", "vui", "long", "nho"}


def leads(message: Message, start: int) -> bool:
    """Is token `start` the first word of the message, but for politeness before it?"""
    return all(t.key in _LEAD for t in message.tokens[:start])


def at_most(numbers: list[int]) -> tuple[list[int], list[int]]:
    """The numbers one message acts on (the first `MAX_TASKS`), and those left untouched."""
    return numbers[:MAX_TASKS], numbers[MAX_TASKS:]


def note_after(message: Message, index: int) -> str | None:
    """A note written after the command ("xong 7: đã gửi báo cáo"), or None when nothing but
    politeness follows ("xong 7 rồi ạ!")."""
    words = [t.key for t in message.tokens[index:] if t.key.isalnum()]
    if all(word in _FILLER for word in words):
        return None
    return message.text_from(index) or None


def parse_day(written: str, today: date) -> date | None:
    """'28/02', '28/02/2025' or '28/2/25' as a date; without a year, the such day nearest to
    today (in late December "05/01" is next January; a week after "20/11", "20/11" is that
    past day, not one a year away, so a slip is caught rather than granted a year).

    None when there is no such day (31/02).
    """
    parts = [int(p) for p in written.split("/")]
    day, month = parts[0], parts[1]
    if len(parts) == 3:
        years = [parts[2] + 2000 if parts[2] < 100 else parts[2]]
    else:
        years = [today.year - 1, today.year, today.year + 1]
    found = []
    for year in years:
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    # Nearest first; of two as near, the future one.
    return min(found, key=lambda d: (abs(d - today), d < today)) if found else None
