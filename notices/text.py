"""Character-level repair of notice text, and the folded form used for matching everywhere.

Word, PDF and e-mail each damage text differently: decomposed Unicode, two styles of tone
placement ("hoà"/"hòa"), typographic dashes and quotes, non-breaking and doubled spaces, words
glued together when a line break was lost. `clean_line` undoes that for one line of a notice;
`fold` gives the key that every comparison in the project uses.

Two views of a cleaned text keep the same length as the text itself, so a match found in a view
is sliced from the text as written: `simple` (lower case, no diacritics, ASCII dashes and
quotes) and `lower`.
"""

from __future__ import annotations

import re
import unicodedata

VN_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
VN_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DOUBLE_QUOTES = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02"
SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032\u00b4`"
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"

# What a cleaned line keeps: the three dashes and the curly quotes people type stay as written;
# look-alikes that only come from converters become their usual form.
_CLEAN = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        **{c: None for c in _INVISIBLE},
        **{c: "-" for c in "\u2010\u2011\u2012\u2212\ufe58\ufe63\uff0d"},
        "\u2015": "\u2014",
        **{c: '"' for c in "\u201e\u201f\u2033\uff02"},
        **{c: "\u2019" for c in "\u2032\u00b4"},
        "\u201a": "\u2018",
        "\u201b": "\u2018",
    }
)


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
    **{ord(c): " " for c in _SPACES},
    **{ord(c): None for c in _INVISIBLE},
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


# --- Tone placement -------------------------------------------------------------------------
# The old style puts the tone of an open "oa", "oe", "uy" on the first vowel ("hòa", "thủy",
# "Ủy ban"); the new style on the second ("hoà", "thuỷ", "Uỷ ban"). Notices mix them; the seed
# and most official documents use the old style, so that is the one kept. "quý" is not "uy":
# its "u" belongs to "qu".
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_NEW_STYLE_TONE = re.compile(rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{_TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])")


def old_style_tones(text: str) -> str:
    """NFC text with the tone of open oa/oe/uy syllables on the first vowel."""
    decomposed = unicodedata.normalize("NFD", text)
    if not _NEW_STYLE_TONE.search(decomposed):
        return unicodedata.normalize("NFC", text)
    moved = _NEW_STYLE_TONE.sub(lambda m: m[1][0] + m[2] + m[1][1], decomposed)
    return unicodedata.normalize("NFC", moved)


# --- Line repair ------------------------------------------------------------------------------
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# "phòngSở": a line break lost between two words. Only inside a word with a Vietnamese letter,
# so "PowerPoint", "eKYC", "ThS" and "CN&ĐMST" stay as they are.
_GLUED_CASE = re.compile(rf"(?<=[{VN_LOWER}][{VN_LOWER}])(?=[{VN_UPPER}][{VN_LOWER}])")
_GLUED_SENTENCE = re.compile(rf"(?<=[{VN_LOWER}][{VN_LOWER}])([.;,:!?])(?=[{VN_UPPER}][{VN_LOWER}])")
_WORD_THEN_NUMBER = re.compile(r"(?i)\b(ngày|tháng|năm|tuần|quý|trước|lúc|giờ|số)(?=\d)")
_NUMBER_THEN_WORD = re.compile(rf"(?<=\d)(?=[{VN_LOWER}]{{2,}})")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,;:!?])|(?<=[^\s.]) +(?=\.(?:\s|$))")
_NO_SPACE_AFTER_COMMA = re.compile(rf"(?<=[{VN_LOWER}])([,;])(?=[{VN_LOWER}{VN_UPPER}])")
_NON_ASCII_LETTER = re.compile(r"[À-ỹ]")


def _unglue(match: re.Match) -> str:
    word = match.group()
    if not _NON_ASCII_LETTER.search(word):
        return word
    return _GLUED_CASE.sub(" ", word)


_WORD = re.compile(rf"[{VN_LOWER}{VN_UPPER}]+")


def clean_line(line: str) -> str:
    """One line as a careful clerk would retype it (see the module docstring)."""
    text = old_style_tones(line.translate(_CLEAN))
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    if _GLUED_CASE.search(text):
        text = _WORD.sub(_unglue, text)
    text = _GLUED_SENTENCE.sub(r"\1 ", text)
    text = _NUMBER_THEN_WORD.sub(" ", text)
    text = _WORD_THEN_NUMBER.sub(r"\1 ", text)
    text = _SPACE_BEFORE_PUNCT.sub("", " ".join(text.split()))
    return _NO_SPACE_AFTER_COMMA.sub(r"\1 ", text)


_EMPHASIS = re.compile(r"\(\*+\)|\*+|(?<![\w])__|__(?![\w])")


def strip_emphasis(text: str) -> str:
    """Remove Markdown `**bold**` / `*italic*` marks; a mark between two letters was also a lost
    space ("BÁO**Kết" -> "BÁO Kết"). A footnote "(*)" stays."""

    def replace(match: re.Match) -> str:
        mark = match.group()
        if mark.startswith("("):
            return mark
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        return " " if before.isalnum() and after.isalnum() else ""

    if "*" not in text and "__" not in text:
        return text
    return " ".join(_EMPHASIS.sub(replace, text).split())
