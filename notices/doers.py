"""The bodies a sentence gives work to: "Giao Sở Y tế, Sở Tài chính và UBND các huyện phối hợp …".

A sentence that assigns work opens with a lead ("Giao", "Yêu cầu", "Đề nghị", "Phân công"; or
"Đồng ý …; giao …"; or after its opening clause: "Để …, Giám đốc Sở đề nghị các phòng …") or with
the doer itself ("Sở Xây dựng có trách nhiệm …"). The doers run until the first action verb and
are separated by commas, "và", "cùng": a piece in lower case continues the group before it ("UBND
các huyện, thị xã, thành phố"), a piece without a lower-case letter continues the name before it
("Trung tâm Nghiên cứu, CGCN&ĐMST"), "và" joins two names only when a unit's name follows it ("Sở
Giáo dục và Đào tạo" is one). After a lead, a body the unit words do not know is kept by its
capitalised name ("Viễn thông Quảng Trị"). A leader stands for the body they head: "Giao Giám đốc
Sở Y tế" is Sở Y tế. A heading may name its unit in brackets: "Hồ sơ đề án (Trung tâm X)". Names
are returned as written; the directory is the importer's (`notices.resolve`).
"""

from __future__ import annotations

import re

from notices.people import (
    ASSIGN_LEAD,
    HEAD_OF,
    LIST_WINDOW,
    find_assignees,
    find_people,
    is_unit_name,
    name_end,
    starts_with_unit,
)
from notices.resolve import unit_key
from tasks.text import fold, simple

_AGREEING = re.compile(r"(?:dong y|chap thuan|thong nhat)\b[^.]*?[;,]\s*(?=(?:giao|de nghi|yeu cau)\s)")
# A lead after the opening clause, said by the one who gives the work (not "đã đề nghị", "đề nghị của").
_LATER_LEAD = re.compile(r",\s*(?:[^,.;:]{1,60}?\s)?(?=(?:giao|de nghi|yeu cau)\s+(?!cua\b|tai\b))")
_NOT_GIVING = re.compile(r"\b(?:da|dang|duoc|theo|xet)\s*$")
_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+(?:và|cùng|va|cung)\s+(?=\S)")
_AND = re.compile(r"\s+(?:và|cùng|va|cung)\s+")
_BRACKETED = re.compile(r"\(([^()]{3,120})\)\s*[:.]?\s*$")
_BRACKET_VERB = re.compile(r"\s+(?:chủ trì|thực hiện|chu tri|thuc hien)\s*$")
_MOST_WORDS = 10
_OWN_OFFICE = ("so", "kh", "cn")  # the key of "Sở Khoa học và Công nghệ" (notices.resolve.unit_key)


def doers(text: str) -> str | None:
    """Who the sentence opening `text` gives the work to, as written (one body or a list), or None."""
    text = text[:LIST_WINDOW]
    view = simple(text)
    at = _lead_from(text, view)
    lead = ASSIGN_LEAD.match(view, at)
    led = bool(lead)
    if lead:
        at = lead.end()
    if any(start == at for _, start, _ in find_people(text[:at + 60])):
        return None  # given to a person ("Giao đồng chí X …"): see people.find_assignees
    if head := HEAD_OF.match(view, at):
        at = head.end()
    region = text[at:at + name_end(text[at:], r"[;:(.]")]
    return _listed(region, led or bool(head), capital=bool(head))


def starts_assignment(text: str) -> bool:
    """Whether a paragraph opens a new assignment: it names who is given the work (a body or,
    after a lead, a person)."""
    if doers(text):
        return True
    return bool(ASSIGN_LEAD.match(simple(text[:20]))) and bool(find_assignees(text[:LIST_WINDOW]))


def unit_in_brackets(text: str) -> str | None:
    """The unit a heading names in brackets at its end: "Hồ sơ đề án (Trung tâm X)", "(Văn phòng
    Sở chủ trì)"."""
    found = _BRACKETED.search(text[-130:])
    if not found:
        return None
    name = _BRACKET_VERB.sub("", found[1]).strip()
    return name if is_unit_name(name) else None


def _lead_from(text: str, view: str) -> int:
    """Where the words that give the work begin: the start, after "Đồng ý …;", or at a lead after
    the opening clause."""
    if agreeing := _AGREEING.match(view):  # "Đồng ý chủ trương …; giao Sở X …"
        return agreeing.end()
    if ASSIGN_LEAD.match(view) or starts_with_unit(text) or HEAD_OF.match(view):
        return 0
    sentence = view.split(".", 1)[0]
    for later in _LATER_LEAD.finditer(sentence):
        if not _NOT_GIVING.search(sentence[:later.end()]):
            return later.end()
    return 0


def _listed(region: str, led: bool, capital: bool) -> str | None:
    """The bodies listed at the start of `region`, as written."""
    end, group = 0, False
    for number, (_, piece_end, text) in enumerate(_pieces(region)):
        if capital and number == 0:
            text = text[:1].upper() + text[1:]
        if _body(text, led):
            end, group = piece_end, " cac " in f" {fold(text)}"
        elif number and ((text[:1].islower() and group) or not any(c.islower() for c in text)):
            end = piece_end  # "… các huyện, thị xã" or "Trung tâm Nghiên cứu, CGCN&ĐMST"
        else:
            break
    name = region[:end].strip(" ,-–")
    if not name or fold(name) == "so":  # "Giám đốc Sở" alone: the title of the notice's own leader
        return None
    return name[:1].upper() + name[1:] if capital else name


def _pieces(region: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the pieces between separators; "và" separates only before a unit."""
    out, start = [], 0
    for separator in _SEPARATOR.finditer(region):
        if _AND.fullmatch(separator.group()) and not starts_with_unit(region[separator.end():]):
            continue
        out.append((start, separator.start(), region[start:separator.start()]))
        start = separator.end()
    out.append((start, len(region.rstrip()), region[start:].rstrip()))
    return [piece for piece in out if piece[2].strip()]


def _body(text: str, led: bool) -> bool:
    """A body's name: begins like a unit ("Sở …", "UBND …", "các sở …"), or, after a lead, any
    capitalised name of a few words ("Viễn thông Quảng Trị", "Công an tỉnh")."""
    words = text.split()
    if not words or len(words) > _MOST_WORDS:
        return False
    if starts_with_unit(text):
        return text[0].isupper() or fold(text).startswith("cac ")
    return led and text[0].isupper()


def names_own_office(written: str | None) -> bool:
    """Whether a unit as written is the Sở Khoa học và Công nghệ itself (the whole Sở, whose
    leaders decide who does the work): "Sở KH&CN", "Sở Khoa học và Công nghệ", "Sở KHCN"."""
    key = unit_key(written or "")
    return any(key[i:i + 3] == _OWN_OFFICE for i in range(len(key) - 2))
