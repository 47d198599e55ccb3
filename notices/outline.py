"""The body of a notice as a tree of headings and items.

A marker not seen yet opens a level below the current one, a marker already open returns to
that level (so "1." > "*" > "-" or any other nesting a notice uses). A paragraph without a
marker belongs to the item above it. A heading names a unit ("1. Văn phòng Sở:", "*Cục Chăn
nuôi: …" with its task on the same line), a person ("Đồng chí X, PGĐ Sở:") or a topic
("1. Về Thủy lợi:", "II. NHIỆM VỤ …"); what it means for the tasks is `notices.collect`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from notices.doers import starts_assignment, unit_in_brackets
from notices.paragraphs import NUMBERED, Para, is_caps
from notices.people import find_people, is_unit_name
from tasks.text import fold


@dataclass(frozen=True)
class Heading:
    role: str  # unit, person or topic
    name: str
    inline: str  # a task written on the heading's own line
    unit: str | None = None  # a topic's unit, named in brackets: "Hồ sơ đề án (Trung tâm X)"


@dataclass
class Item:
    para: Para | None
    kind: str | None
    heading: Heading | None = None
    children: list[Item] = field(default_factory=list)
    more: list[Para] = field(default_factory=list)


_LEAD = re.compile(r"^(?:đối với|về phía|giao cho|giao|đề nghị)\s+", re.IGNORECASE)
_TOPIC_WORDS = re.compile(r"^(?:ve|doi voi|linh vuc|cong tac|nhiem vu|ket qua|danh gia|tinh hinh|mot so)\b")
_FOLLOW_UP = re.compile(r"^(?:thoi han|thoi gian|han\b|hoan thanh (?:truoc|trong)|bao cao ket qua)")
_LEADIN = re.compile(r"nhu sau|ket luan|chi dao")
# Words that open a task of their own, even without naming who does it.
_ACTION_OPENING = re.compile(r"^(?:giao|de nghi|yeu cau|phan cong|dong y|chap thuan|chu tri|tiep tuc|khan truong)\b")


def heading_of(para: Para) -> Heading | None:
    """What a paragraph heads, if it is a heading (see the module docstring)."""
    text = para.text.strip(" *")
    colon = text.find(":")
    if colon > 0:
        head, inline = text[:colon].strip(" *"), text[colon + 1:].strip(" *")
        if len(head.split()) > 14:
            return None
        name = _after_lead(head)
        if is_unit_name(name):
            return Heading("unit", name, inline)
        # "Đồng chí X, PGĐ Sở:" heads tasks; "Giao đồng chí X:" too when nothing follows the colon
        # ("giao đ/c Dũng – PGĐ Sở: chỉ đạo …" is one task).
        people = find_people(head if inline else name)
        if people and people[0][1] == 0:
            return Heading("person", people[0][0], inline)
        if not inline and _topic_like(para, head):
            return Heading("topic", head, "", unit_in_brackets(head))
        return None
    if len(text.split()) > 14 or text.endswith((".", ";", ",")):
        return None
    name = _after_lead(text)
    if is_unit_name(name):
        return Heading("unit", name, "")
    if para.kind in NUMBERED:  # "II. NHIỆM VỤ TUẦN TỚI"; a task if nothing comes under it
        return Heading("topic", text, "", unit_in_brackets(text))
    return None


def _after_lead(head: str) -> str:
    """A heading's name without its lead word: "Đề nghị các sở, ngành" -> "Các sở, ngành"."""
    name = _LEAD.sub("", head)
    return name[:1].upper() + name[1:] if name != head else name


def _topic_like(para: Para, head: str) -> bool:
    return para.kind in NUMBERED or is_caps(head) or bool(_TOPIC_WORDS.match(fold(head)))


def tasks_start(paras: list[Para]) -> int:
    """Index of the first paragraph of the tasks: after the last lead-in ("… như sau:") that comes
    before the first unit heading, else at the first item."""
    first_unit = next((i for i, p in enumerate(paras) if (h := heading_of(p)) and h.role != "topic"), len(paras))
    leadins = [
        i for i, p in enumerate(paras[:first_unit])
        if not p.kind and p.text.endswith(":") and _LEADIN.search(fold(p.text))
    ]
    if leadins:
        return leadins[-1] + 1
    first_item = next((i for i, p in enumerate(paras) if p.kind or heading_of(p) or starts_assignment(p.text)),
                      len(paras))
    return min(first_item, first_unit)


def build_tree(paras: list[Para]) -> Item:
    """The tasks' paragraphs as a tree under a root item (see the module docstring)."""
    root = Item(None, None)
    stack = [root]
    for para in paras:
        heading = heading_of(para)
        kind = para.kind or ("heading" if heading else None)
        if kind is None:
            top = stack[-1]
            last = top.children[-1] if top.children else None
            if top is root or top.heading:
                if last is not None and last.kind == "plain" and _follows(last, para, top is root):
                    last.more.append(para)
                else:
                    top.children.append(Item(para, "plain"))
            elif starts_assignment(para.text):  # "1. … ." then "Giao Thanh tra Sở …": a task of its own
                top.children.append(Item(para, "assignment"))
            elif last is not None and last.kind == "assignment":
                last.more.append(para)
            else:
                top.more.append(para)  # the next paragraph of a task
            continue
        for depth in range(len(stack) - 1, 0, -1):
            if stack[depth].kind == kind:
                del stack[depth:]
                break
        item = Item(para, kind, heading)
        stack[-1].children.append(item)
        stack.append(item)
    return root


def _follows(previous: Item, para: Para, at_root: bool) -> bool:
    """Whether a paragraph without a marker carries on the plain task before it: it says when, or
    the task announced it (":"); outside any heading, also when it gives no one new work."""
    last = (previous.more or [previous.para])[-1]
    if last.text.endswith(":") or _FOLLOW_UP.match(fold(para.text)):
        return True
    return at_root and not starts_assignment(para.text) and not _ACTION_OPENING.match(fold(para.text))


def descendants(item: Item):
    """Every item below `item`, depth first."""
    for child in item.children:
        yield child
        yield from descendants(child)


def item_text(item: Item, depth: int = 0) -> list[str]:
    """The lines of an item: its text, its following paragraphs, its sub-items with their markers."""
    lines = [(f"{item.para.marker} " if depth and item.para.marker else "") + item.para.text]
    lines += [p.text for p in item.more]
    for child in item.children:
        lines += item_text(child, depth + 1)
    return lines
