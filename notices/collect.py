"""Tasks from the tree of a notice's body.

Headings give the context of the tasks under them: a unit heading names the doer, a person
heading the assignee, a topic only its number in the reference ("II.1.2"). Every other item is
a task; its sub-items and following paragraphs are part of it ("… cụ thể:" / "+ …"). A topic of
evaluation ("Đánh giá chung", "Kết quả …") holds no tasks, and a paragraph that tells rather
than assigns is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from notices.deadlines import final_deadline, read_deadlines
from notices.doers import doers, names_own_office, starts_assignment, unit_in_brackets
from notices.model import Deadline, ParsedTask
from notices.outline import Heading, Item, descendants, item_text
from notices.paragraphs import NUMBERED, Para
from notices.people import find_assignees, find_coordinating, starts_with_unit, unit_directed, unit_in_text
from tasks.text import fold

_EVALUATION = re.compile(r"\b(?:danh gia|ket qua|tinh hinh|thanh phan|tham du)\b")
_TASK_WORDS = re.compile(r"\b(?:nhiem vu|giao|trien khai|thoi gian toi|tuan toi|can thuc hien)\b")
_WORK_DONE = re.compile(r"\b(?:thuc hien|hoan thanh|trien khai)\s+(?:cac\s+)?nhiem vu\b")
_REPORTED = re.compile(r"^\W*(?:da|dang|vua|cung da|deu da)\b")
_ASSIGNING_LEAD = re.compile(r"^(?:giao|de nghi|yeu cau|phan cong|dong chi|d/c)\b")
_ACTION_START = re.compile(
    r"^(?:giao|de nghi|yeu cau|phan cong|dong y|chap thuan|chu tri|phoi hop|tiep tuc|khan truong|tham muu|xay dung|trien khai"
    r"|hoan thanh|hoan thien|thuc hien|to chuc|ra soat|chuan bi|kiem tra|theo doi|don doc|bao cao|tong hop"
    r"|cap nhat|sap xep|chi dao|nghien cuu|dong chi|d/c)\b"
)


def collect_tasks(root: Item, ref_day: date | None, meeting_on: date | None) -> tuple[list[ParsedTask], list[str]]:
    """The tasks under `root` and the warnings about its headings; dates without a year are read
    from `ref_day`, a deadline before `meeting_on` is warned of."""
    collector = _Collector(ref_day, meeting_on)
    collector.collect(root, _Context())
    return collector.tasks, collector.warnings


def _one_task(item: Item) -> bool:
    """A numbered item that holds its sub-items as parts of one task, not as tasks of a topic:
    "a) Rà soát quy chế" alone, "b) Rà soát quy chế, cụ thể:" + "- …"; but "2. Tổ chức Hội nghị:"
    + "- Văn phòng Sở chuẩn bị …" + "- Phòng KH-TC bố trí …" gives each unit its task."""
    if not item.children:
        return True
    key = fold(item.heading.name)
    work = (bool(_ACTION_START.match(key)) and not _ASSIGNING_LEAD.match(key)) or key.endswith(("cu the", "nhu sau"))
    return work and not any(_named_unit(child.para.text) for child in item.children)


def _evaluation(name: str) -> bool:
    """A topic that reports ("I. Về tình hình thực hiện nhiệm vụ quý I") rather than assigns."""
    key = _WORK_DONE.sub(" ", fold(name))
    return bool(_EVALUATION.search(key)) and not _TASK_WORDS.search(key)


def _named_unit(text: str) -> str | None:
    """The unit a task outside any unit heading names as its doer, also after a short lead:
    "Các nội dung khác: Giao Văn phòng Sở theo dõi …"."""
    lead, colon, rest = text.partition(":")
    for part in (text, rest.strip() if colon and len(lead.split()) <= 8 else ""):
        unit = part and (doers(part) or unit_directed(part) or unit_in_brackets(part))
        if unit:
            return unit
    return None


def _narrative(text: str) -> bool:
    """A paragraph outside any heading that tells rather than gives work."""
    opens_work = _ACTION_START.match(fold(text)) or starts_with_unit(text) or starts_assignment(text)
    return not opens_work or _reports_the_past(text)


def _reports_the_past(text: str) -> bool:
    """"Các đơn vị đã hoàn thành …" tells what was done; "Văn phòng Sở chủ trì …" gives a task."""
    unit = unit_in_text(text)
    return bool(unit) and bool(_REPORTED.match(fold(text[text.find(unit) + len(unit):])))


@dataclass(frozen=True)
class _Context:
    unit: str | None = None
    people: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    stated: bool = False  # under a unit or person heading


class _Collector:
    def __init__(self, ref_day: date | None, meeting_on: date | None):
        self.ref_day = ref_day
        self.meeting_on = meeting_on
        self.tasks: list[ParsedTask] = []
        self.warnings: list[str] = []

    def collect(self, parent: Item, context: _Context, first: int = 0) -> None:
        """Tasks under `parent`, numbered after the first `first` (a heading's own line)."""
        position = first
        flat: _Context | None = None  # "- Văn phòng Sở:" with no items of its own heads the bullets after it
        flat_tasks = 0
        for child in parent.children:
            heading = child.heading
            if heading and heading.role == "topic" and _one_task(child):
                heading = None
            has_heading_below = any(d.heading and d.heading.role != "topic" for d in descendants(child))
            if heading or has_heading_below:
                position += 1
                segment = child.para.label or str(position)
                if heading and heading.role == "topic" and _evaluation(heading.name):
                    flat = None
                    continue
                inner = self._enter(context, heading, segment)
                before = len(self.tasks)
                inline = heading.inline if heading else ""
                if inline and not (inline.endswith(":") and child.children):
                    self._add(Item(Para(inline), "inline", more=child.more), inner, 1)
                    self.collect(child, inner, 1)
                else:
                    self.collect(child, inner)
                bullet_heading = child.kind not in NUMBERED and not child.children and not inline
                flat = inner if heading and heading.role != "topic" and bullet_heading else None
                flat_tasks = 0
                if heading and heading.role == "unit" and len(self.tasks) == before and not flat:
                    self.warnings.append(f"mục {'.'.join(inner.ref)} “{heading.name}” không có nhiệm vụ nào")
                continue
            if flat is not None:
                flat_tasks += 1
                self._add(child, flat, flat_tasks)
                continue
            if child.kind == "plain" and not context.stated and _narrative(child.para.text):
                continue  # a narrative paragraph, not a task
            position += 1
            extra = [c for c in child.children if c.kind == "assignment"]
            if extra:  # "1. Văn phòng Sở …" then "Giao Thanh tra Sở …": 1.1 and 1.2
                inner = self._enter(context, None, child.para.label or str(position))
                own = [c for c in child.children if c.kind != "assignment"]
                self._add(Item(child.para, child.kind, children=own, more=child.more), inner, 1)
                for number, assignment in enumerate(extra, start=2):
                    self._add(assignment, inner, number)
                continue
            self._add(child, context, position, child.para.label)

    @staticmethod
    def _enter(context: _Context, heading: Heading | None, segment: str) -> _Context:
        ref = (*context.ref, segment)
        if heading and heading.role == "unit":
            return _Context(heading.name, context.people, ref, True)
        if heading and heading.role == "person":
            return _Context(context.unit, (*context.people, heading.name), ref, True)
        if heading and heading.unit:  # "2. Hồ sơ đề án (Trung tâm X)"
            return _Context(heading.unit, context.people, ref, True)
        return _Context(context.unit, context.people, ref, context.stated)

    def _add(self, item: Item, context: _Context, number: int, label: str | None = None) -> None:
        text = "\n".join(item_text(item))
        people = list(dict.fromkeys([*context.people, *find_assignees(text)]))
        deadline, warnings, unread = self._deadline(text)
        unit = context.unit or _named_unit(item.para.text)
        self.tasks.append(ParsedTask(
            ref=".".join((*context.ref, label or str(number))),
            unit=unit,
            unread_deadlines=unread,
            whole_office=names_own_office(unit),
            assignees=people,
            coordinating=find_coordinating(text),
            text=text,
            deadline=deadline,
            warnings=warnings,
        ))

    def _deadline(self, text: str) -> tuple[Deadline | None, list[str], list[str]]:
        """The task's deadline, the warnings about it, and the sentences whose deadline was not read."""
        found, unread = read_deadlines(text, self.ref_day)
        sentences = list(dict.fromkeys(_sentence(text, phrase) for phrase in unread))
        warnings = [f"chưa đọc được thời hạn “{phrase}”: cần xem lại" for phrase in unread]
        if not found:
            return None, warnings, sentences
        last = final_deadline(found)
        distinct = list(dict.fromkeys((d.kind, d.date, d.time, d.start) for d in found))
        if len(distinct) > 1:
            written = ", ".join(f"“{d.raw}”" for d in found)
            warnings.append(f"có {len(found)} thời hạn ({written}): lấy thời hạn muộn nhất “{last.raw}”")
        if self.meeting_on and last.date and last.date < self.meeting_on and last.kind != "period":
            warnings.append(f"thời hạn “{last.raw}” đã qua so với ngày họp {self.meeting_on:%d/%m/%Y}")
        return last, warnings, sentences


_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n")


def _sentence(text: str, phrase: str) -> str:
    """The sentence of `text` that holds `phrase` (the phrase itself if it is not found whole)."""
    return next((s.strip() for s in _SENTENCE_END.split(text) if phrase in " ".join(s.split())), phrase)
