"""Character-level repair of notice text.

Word, PDF and e-mail each damage text differently: decomposed Unicode, two styles of tone
placement ("hoà"/"hòa"), typographic dashes and quotes, non-breaking and doubled spaces, words
glued together when a line break was lost. `clean_line` undoes that for one line of a notice.
"""

from __future__ import annotations

import re
import unicodedata

from tasks.text import INVISIBLE, SPACES, VN_LOWER, VN_UPPER

# What a cleaned line keeps: the three dashes and the curly quotes people type stay as written;
# look-alikes that only come from converters become their usual form.
_CLEAN = str.maketrans(
    {
        **{c: " " for c in SPACES},
        **{c: None for c in INVISIBLE},
        **{c: "-" for c in "\u2010\u2011\u2012\u2212\ufe58\ufe63\uff0d"},
        "\u2015": "\u2014",
        **{c: '"' for c in "\u201e\u201f\u2033\uff02"},
        **{c: "\u2019" for c in "\u2032\u00b4"},
        "\u201a": "\u2018",
        "\u201b": "\u2018",
    }
)



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
