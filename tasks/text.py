"""Vietnamese text for matching: `fold` gives the key that every comparison in the project uses,
whatever the keyboard produced (NFC or NFD, with or without diacritics, đ or d, any case).

Two views keep the same length as the text itself, so a match found in a view is sliced from
the text as written: `simple` (lower case, no diacritics, ASCII dashes and quotes) and `lower`.
"""

from __future__ import annotations

import unicodedata

VN_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VN_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u00b4`"
SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"

def _letter_table() -> dict[int, str]:
    """Every Latin letter a Vietnamese text uses -> its lower-case base letter (đ -> d)."""
    table = {}
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        if char.isalpha():
            base = unicodedata.normalize("NFD", char)[0].lower()
            if base.isascii():
                table[code] = base
    table.update({ord("Đ"): "d", ord("đ"): "d", ord("Ð"): "d", ord("ð"): "d"})
    return table


_PUNCTUATION = {
    **{ord(c): "-" for c in DASHES},
    **{ord(c): '"' for c in DOUBLE_QUOTES},
    **{ord(c): "'" for c in SINGLE_QUOTES},
}
# 1:1 in length: a position in the simple view is the same position in the text.
_SIMPLE = {**_letter_table(), **_PUNCTUATION}
_FOLD = {
    **_SIMPLE,
    **{ord(c): " " for c in SPACES},
    **{ord(c): None for c in INVISIBLE},
    **{code: None for code in range(0x300, 0x370)},
}


def fold(text: str) -> str:
    """The matching key of a text: lower case, no diacritics (NFC or NFD alike), đ -> d, one kind
    of dash and quote, single spaces. "Việc  của TÔI" and "viec cua toi" fold the same."""
    return " ".join(unicodedata.normalize("NFC", text).lower().translate(_FOLD).split())


def simple(text: str) -> str:
    """`text` lower-cased without diacritics and with ASCII dashes/quotes, same length as `text`
    (which must be NFC, as every cleaned line is)."""
    return text.translate(_SIMPLE)


def lower(text: str) -> str:
    """`text` in lower case, same length (Vietnamese letters lower-case one to one)."""
    low = text.lower()
    return low if len(low) == len(text) else text
