"""Lines become paragraphs, and a paragraph's list marker is read.

A break inside a sentence or a word ("Văn" / "phòng Sở", "57-*" / "NQ/TW") is mended; a line
that starts an item ("1.", "a)", "-", "+", "•", "*") never continues the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notices.text import clean_line, strip_emphasis
from tasks.text import VN_UPPER

# --- Markers ------------------------------------------------------------------------------------
_MARKER = re.compile(
    r"^(?:(?P<roman>[IVX]{1,4})\s*[.)]\s+"
    r"|(?P<number>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.)](?!\d)\s*"
    r"|(?P<numbers>\d{1,2}(?:\.\d{1,2}){1,3})\s+"
    rf"|(?P<letter>[a-zđ])\s*[).]\s+|(?P<LETTER>[A-ZĐ])\s*[.)]\s+(?=[{VN_UPPER}])"
    r"|(?P<bullet>[-–—+•·●○◦▪■□►▸➢✓✔❖→])\s*)"
)
_BULLET_KIND = {"–": "-", "—": "-", "·": "•", "●": "•", "○": "◦", "▪": "■", "□": "■", "▸": "►", "✔": "✓"}
_SINGLE_STAR = re.compile(r"(?<!\*)\*(?!\*)")
NUMBERED = frozenset({"roman", "number", "number2", "number3", "number4", "LETTER", "letter"})


@dataclass
class Para:
    """A paragraph: its marker (`kind` groups equivalent markers, `label` is "1", "II", "a")
    and its text without marker or emphasis."""

    text: str
    kind: str | None = None
    label: str | None = None
    marker: str = ""


def split_marker(line: str) -> tuple[str | None, str | None, str, str]:
    """(kind, label, marker as written, rest) of a line that may start with a list marker."""
    body = re.sub(r"^(?:#{1,6}\s+|>\s*)+", "", line)
    if body.startswith("**"):
        body = body[2:].lstrip()
    elif body.startswith("*") and (body[1:2] == " " or len(_SINGLE_STAR.findall(body)) % 2):
        # "* Cục Thú y:" or "*Cục Chăn nuôi: …" (no closing star): a bullet, not italics.
        return "*", None, "*", body[1:].strip()
    match = _MARKER.match(body)
    if not match:
        return None, None, "", body
    kind = match.lastgroup
    label = match[kind]
    if (kind == "number" and "." in label) or kind == "numbers":
        kind = f"number{label.count('.') + 1}"
    elif kind == "bullet":
        kind = _BULLET_KIND.get(label, label)
        label = None
    return kind, label, match.group().strip(), body[match.end():].strip()


def is_caps(text: str) -> bool:
    """Written in capitals ("THÔNG BÁO", "KT. GIÁM ĐỐC"), judged on its first 80 characters."""
    letters = [c for c in text[:80] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


# --- Lines to paragraphs ---------------------------------------------------------------------------
_CONNECTORS = frozenset(
    "với của và cho tại theo về các những để trong ngày số là được đã sẽ từ đến trên khi hoặc nhằm vào "
    "lúc thuộc cùng giữa do bởi mà như tháng năm tuần quý đồng chí đ/c ban phòng "
    "trước sau đến tới hết gửi trình lên nhất hạn bằng giao".split()
)
_DAY_OPENING = re.compile(r"^Ngày \d{1,2}(?:/| tháng )")
_DECORATION = re.compile(r"^[-_=*~.·•\s]{3,}$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$", re.IGNORECASE)
def continues(prev: str, nxt: str, wrapped: bool = False) -> str | None:
    """How line `nxt` joins line `prev` when the break fell inside a sentence: " " between words,
    "" inside a word or code ("57-" + "NQ/TW"), None when `nxt` starts a paragraph."""
    p = prev.rstrip(" *_")
    n = nxt.lstrip()
    if not p or not n or _DECORATION.match(n) or _DECORATION.match(p):
        return None
    kind, _, _, text = split_marker(p)
    if kind and not text:  # "1." alone on its line, its words on the next
        return " "
    if split_marker(n)[0]:
        return None
    n = n.lstrip("*_")
    if not n:
        return None
    if p[-1] in "-/&" and len(p) > 1 and p[-2].isalnum() and n[0].isalnum():
        return ""
    if p[-1] in ".!?;:" and not wrapped:
        return None
    if n[0].islower() or n[0].isdigit() or p[-1] in ",(-–":  # no paragraph starts so
        return " "
    if wrapped:  # but "Ngày 17/02/2025, …" opens the body after a title that filled the line
        return None if _DAY_OPENING.match(n) else " "
    last = p.split()[-1]
    return " " if last in _CONNECTORS else None


def paragraphs(lines: list[str], wrapped: list[bool] | None = None) -> list[str]:
    """Cleaned lines joined into paragraphs (blank lines do not matter: a sentence may cross one).

    `wrapped[i]` says line i reached the right margin (PDF); for plain text a hard wrap is
    inferred when most lines end near the same width (e-mail at 72-80 columns).
    """
    cleaned = [clean_line(line) for line in lines]
    if wrapped is None:
        wrapped = _hard_wrapped(cleaned)
    out: list[_Growing] = []
    out_wrapped = False  # the last line reached the margin, and no blank line came after it
    for line, line_wrapped in zip(cleaned, wrapped, strict=True):
        if not line or _PAGE_NUMBER.match(line):
            out_wrapped = False
            continue
        if _DECORATION.match(line):
            out.append(_Growing(""))
            out_wrapped = False
            continue
        glue = continues(out[-1].view(), line, out_wrapped) if out and out[-1].parts[0] else None
        if glue is None:
            out.append(_Growing(line))
        else:
            out[-1].add(glue, line)
        out_wrapped = line_wrapped
    return [text for paragraph in out if (text := "".join(paragraph.parts))]


_EDGE = 120


class _Growing:
    """A paragraph being joined from lines: its parts, and its start and end for `continues`
    (which looks at nothing else), so joining stays linear in the text."""

    def __init__(self, line: str):
        self.parts = [line]
        self.head = line[:_EDGE]
        self.tail = line[-_EDGE:]
        self.long = len(line) > _EDGE

    def add(self, glue: str, line: str) -> None:
        self.parts += [glue, line]
        self.long = self.long or len(self.head) + len(glue) + len(line) > _EDGE
        self.head = (self.head + glue + line[:_EDGE])[:_EDGE]
        self.tail = (self.tail + glue + line[-_EDGE:])[-_EDGE:]

    def view(self) -> str:
        """The paragraph as `continues` sees it: whole, or its start and its end."""
        return self.head + " … " + self.tail if self.long else self.head


def _hard_wrapped(lines: list[str]) -> list[bool]:
    """Which lines a fixed-width wrap broke: long ones that the next line's first word would not fit."""
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 8:
        return [False] * len(lines)
    width = max(lengths)
    if width > 100 or sum(n >= width - 12 for n in lengths) < 0.3 * len(lengths):
        return [False] * len(lines)
    following = [line.split(maxsplit=1)[0] if line else "" for line in lines[1:]] + [""]
    return [len(line) >= width - 12 and len(line) + 1 + len(word) > width for line, word in zip(lines, following, strict=True)]


def to_paras(texts: list[str]) -> list[Para]:
    """Paragraphs with their markers read apart; one left empty by its emphasis marks is dropped."""
    paras = []
    for text in texts:
        kind, label, marker, rest = split_marker(text)
        rest = strip_emphasis(rest)
        if rest or kind:
            paras.append(Para(rest, kind, label, marker))
    return paras
