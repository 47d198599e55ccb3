"""From the lines of a notice to its header and tasks.

1. Lines become paragraphs: a break inside a sentence or a word ("Văn" / "phòng Sở",
   "57-*" / "NQ/TW") is mended, a line that starts an item ("1.", "a)", "-", "+", "•", "*")
   never continues the one before.
2. The header (Quốc hiệu, "Số: …", place and date, "THÔNG BÁO" and the title, "Kính gửi: …")
   and the closing ("Trên đây …", "Nơi nhận:", the signature) are read and set aside.
3. The body becomes a tree by its markers: a marker not seen yet opens a level below the
   current one, a marker already open returns to that level (so "1." > "*" > "-" or any other
   nesting a notice uses). A paragraph without a marker belongs to the item above it.
4. Headings give the context of the tasks under them: a unit ("1. Văn phòng Sở:", "*Cục Chăn
   nuôi: …" with its task on the same line), a person ("Đồng chí X, PGĐ Sở:") or a topic
   ("1. Về Thủy lợi:", "II. NHIỆM VỤ …"). Every other item is a task; its sub-items and
   following paragraphs are part of it ("… cụ thể:" / "+ …"). A topic of evaluation
   ("Đánh giá chung", "Kết quả …") holds no tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from notices.deadlines import final_deadline, find_deadlines
from notices.model import Deadline, NoticeHeader, ParsedNotice, ParsedTask
from notices.people import (
    find_assignees,
    find_coordinating,
    find_people,
    is_unit_name,
    signer_name,
    starts_with_unit,
    unit_directed,
    unit_in_text,
)
from tasks.text import VN_LOWER, VN_UPPER, fold, simple
from notices.text import clean_line, strip_emphasis

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
    out: list[str] = []
    out_wrapped = False  # the last line reached the margin, and no blank line came after it
    for line, line_wrapped in zip(cleaned, wrapped):
        if not line or _PAGE_NUMBER.match(line):
            out_wrapped = False
            continue
        if _DECORATION.match(line):
            out.append("")
            out_wrapped = False
            continue
        glue = continues(out[-1], line, out_wrapped) if out and out[-1] else None
        if glue is None:
            out.append(line)
        else:
            out[-1] = out[-1] + glue + line
        out_wrapped = line_wrapped
    return [p for p in out if p]


def _hard_wrapped(lines: list[str]) -> list[bool]:
    """Which lines a fixed-width wrap broke: long ones that the next line's first word would not fit."""
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 8:
        return [False] * len(lines)
    width = max(lengths)
    if width > 100 or sum(n >= width - 12 for n in lengths) < 0.3 * len(lengths):
        return [False] * len(lines)
    following = [line.split(maxsplit=1)[0] if line else "" for line in lines[1:]] + [""]
    return [len(line) >= width - 12 and len(line) + 1 + len(word) > width for line, word in zip(lines, following)]


def to_paras(texts: list[str]) -> list[Para]:
    paras = []
    for text in texts:
        kind, label, marker, rest = split_marker(text)
        rest = strip_emphasis(rest)
        if rest or kind:
            paras.append(Para(rest, kind, label, marker))
    return paras


# --- Header and closing ---------------------------------------------------------------------------
_NUMBER = re.compile(
    rf"(?:Số|SỐ|số)\s*:?\s*(?P<number>\d+[a-zA-Z]?)?\s*/\s*(?P<symbol>[{VN_UPPER}0-9][{VN_UPPER}0-9&.\-/]*)"
)
_PLACE_DATE = re.compile(
    rf"(?<!\w)(?P<place>[{VN_UPPER}][{VN_LOWER}]*\.?(?:\s+[{VN_UPPER}][{VN_LOWER}]*){{0,3}})\s*,\s*[Nn]gày\s*(?P<d>\d{{1,2}})?"
    r"\s*(?:tháng|/|-|\.)\s*(?P<m>\d{1,2})?\s*(?:năm|/|-|\.)\s*(?P<y>\d{4})?"
)
_HEADER_LINES = re.compile(
    r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc|dang cong san viet nam"
    r"|dang bo|ubnd|uy ban nhan dan|so khoa hoc|chi bo)"
)
_BODY_OPENING = re.compile(r"^(?:ngay\s+\d+|vao\s+(?:luc|ngay)|sang|chieu|hom nay|can cu|thuc hien|tai)\b")
_CLOSING = re.compile(r"^(?:tren day la|noi nhan\b|tran trong\b)")
_AUTHORITY = re.compile(r"^(?:(?:tl|kt|tm|q|tuq)\s*\.?\s*[a-z]|(?:pho )?giam doc$)")
_CLOSING_SENTENCE = re.compile(r"\bthong bao (?:de|cho|den)\b")
_MEETING_WORDS = re.compile(r"hoi nghi|hop|giao ban|truc bao|lam viec")
_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*(?:/|-|\.|\s+thang\s+)\s*(\d{1,2})\s*(?:/|-|\.|,?\s*nam\s+)\s*(\d{4})")
_WEEK = re.compile(r"\btuan\s+(?:thu\s+)?(\d{1,2})(?:\s*(?:/|,?\s*nam)\s*(\d{4}))?")
_LEADIN = re.compile(r"nhu sau|ket luan|chi dao")
_SAYS_CONCLUSION = re.compile(r"\b(?:ket luan|thong bao)\b")


@dataclass
class _Header:
    fields: dict = field(default_factory=dict)
    title: list[str] = field(default_factory=list)
    body_start: int = 0


def _is_caps(text: str) -> bool:
    letters = [c for c in text[:80] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def read_header(paras: list[Para]) -> _Header:
    """Number, symbol, place, date and title; `body_start` is the first paragraph after them."""
    header = _Header()
    in_title = False
    kinh_gui = False
    i = 0
    for i, para in enumerate(paras):
        text, key = para.text, fold(para.text)
        if kinh_gui and (para.kind or _addressee(text)):
            continue
        kinh_gui = False
        if key.startswith("kinh gui"):
            kinh_gui, in_title = True, False
            continue
        if in_title:
            opening = (_BODY_OPENING.match(key) or para.kind or text.endswith((".", ";", ":"))
                       or len(header.title) >= 2 or heading_of(para))
            if not opening and len(text.split()) <= 40:
                header.title.append(text)
                continue
            header.body_start = i
            return header
        found = False
        if "symbol" not in header.fields and (m := _NUMBER.search(text)):
            header.fields.update(number=m["number"], symbol=m["symbol"].strip("-./"))
            found = True
        if "place" not in header.fields and (m := _PLACE_DATE.search(text)):
            d, mo, y = (int(m[g]) if m[g] else None for g in ("d", "m", "y"))
            header.fields.update(place=m["place"], issued_on=_valid_date(y, mo, d), issue_year=y)
            found = True
        if key.startswith("thong bao") and (_is_caps(text[:9]) or len(key.split()) <= 2):
            rest = text[9:].strip(" :-–")
            header.title = [rest] if rest else []
            in_title = True
            continue
        if key.startswith("ket luan") and not para.kind and not text.endswith((".", ":")):
            header.title, in_title = [text], True  # a notice pasted without its "THÔNG BÁO"
            continue
        if found or _HEADER_LINES.match(key) or (_is_caps(text) and not para.kind and len(text.split()) <= 12):
            continue
        header.body_start = i
        return header
    header.body_start = len(paras) if in_title else i
    return header


def _addressee(text: str) -> bool:
    """A line of a "Kính gửi:" block written without a bullet: "Các phòng, đơn vị thuộc Sở"."""
    return len(text.split()) <= 14 and (starts_with_unit(text) or fold(text).startswith(("dong chi", "ong ", "ba ")))


def _valid_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def closing_start(paras: list[Para], start: int) -> int:
    """Where the closing begins ("Trên đây …", "Nơi nhận:", the signature, or after "./.")."""
    for i in range(start, len(paras)):
        key = fold(paras[i].text)
        if _CLOSING.match(key) or (_AUTHORITY.match(key) and _is_caps(paras[i].text)):
            return i
        if not paras[i].kind and _CLOSING_SENTENCE.search(key):
            return i
        if paras[i].text.rstrip("* ").endswith("./."):
            return i + 1
    return len(paras)


def read_signer(closing: list[Para]) -> str | None:
    for para in reversed(closing):
        name = signer_name(para.text)
        if name:
            return name
    for para in reversed(closing):  # a signature run into the line before it
        words = para.text.split()
        for size in (3, 4, 2, 5):
            name = signer_name(" ".join(words[-size:])) if len(words) > size else None
            if name:
                return name
    return None


def read_meeting(paras: list[Para], fallback_year: int | None) -> tuple[date | None, int | None, int | None, str | None]:
    """(meeting day, week, year, chair) from the title and the opening paragraphs."""
    meeting_on = week = year = chair = None
    for para in paras:
        key = simple(para.text)
        if meeting_on is None and _MEETING_WORDS.search(key) and (m := _FULL_DATE.search(key)):
            try:
                meeting_on = date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                pass
        if week is None and (m := _WEEK.search(key)):
            week, year = int(m[1]), int(m[2]) if m[2] else None
            if year is None and (y := re.search(r"\bnam\s+(\d{4})", key[m.end():m.end() + 12])):
                year = int(y[1])
        if chair is None and "chu tri" in key:
            chair = _chair(para.text, key)
    year = year or (meeting_on.year if meeting_on else fallback_year)
    return meeting_on, week, year, chair


def _chair(text: str, key: str) -> str | None:
    """The person who chaired: named just before "chủ trì", or after "chủ trì của"/"Chủ trì:"."""
    people = find_people(text)
    at = key.index("chu tri")
    after = [p for p in people if p[1] > at and key[at:p[1]].strip() in ("chu tri cua", "chu tri:", "chu tri")]
    before = [p for p in people if p[2] <= at]
    if after:
        return after[0][0]
    return before[-1][0] if before else None


# --- The body as a tree ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    role: str  # unit, person or topic
    name: str
    inline: str  # a task written on the heading's own line


@dataclass
class Item:
    para: Para | None
    kind: str | None
    heading: Heading | None = None
    children: list[Item] = field(default_factory=list)
    more: list[Para] = field(default_factory=list)


_LEAD = re.compile(r"^(?:đối với|về phía|giao cho|giao|đề nghị)\s+", re.IGNORECASE)
_TOPIC_WORDS = re.compile(r"^(?:ve|doi voi|linh vuc|cong tac|nhiem vu|ket qua|danh gia|tinh hinh|mot so)\b")
_EVALUATION = re.compile(r"\b(?:danh gia|ket qua|tinh hinh|thanh phan|tham du)\b")
_TASK_WORDS = re.compile(r"\b(?:nhiem vu|giao|trien khai|thoi gian toi|tuan toi|can thuc hien)\b")
_WORK_DONE = re.compile(r"\b(?:thuc hien|hoan thanh|trien khai)\s+(?:cac\s+)?nhiem vu\b")
_REPORTED = re.compile(r"^\W*(?:da|dang|vua|cung da|deu da)\b")
_ASSIGNING_LEAD = re.compile(r"^(?:giao|de nghi|yeu cau|phan cong|dong chi|d/c)\b")
_FOLLOW_UP = re.compile(r"^(?:thoi han|thoi gian|han\b|hoan thanh (?:truoc|trong)|bao cao ket qua)")
_ACTION_START = re.compile(
    r"^(?:giao|de nghi|yeu cau|phan cong|chu tri|phoi hop|tiep tuc|khan truong|tham muu|xay dung|trien khai"
    r"|hoan thanh|hoan thien|thuc hien|to chuc|ra soat|chuan bi|kiem tra|theo doi|don doc|bao cao|tong hop"
    r"|cap nhat|sap xep|chi dao|nghien cuu|dong chi|d/c)\b"
)


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
            return Heading("topic", head, "")
        return None
    if len(text.split()) > 14 or text.endswith((".", ";", ",")):
        return None
    name = _after_lead(text)
    if is_unit_name(name):
        return Heading("unit", name, "")
    if para.kind in NUMBERED:  # "II. NHIỆM VỤ TUẦN TỚI"; a task if nothing comes under it
        return Heading("topic", text, "")
    return None


def _after_lead(head: str) -> str:
    """A heading's name without its lead word: "Đề nghị các sở, ngành" -> "Các sở, ngành"."""
    name = _LEAD.sub("", head)
    return name[:1].upper() + name[1:] if name != head else name


def _topic_like(para: Para, head: str) -> bool:
    return para.kind in NUMBERED or _is_caps(head) or bool(_TOPIC_WORDS.match(fold(head)))


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
        unit = part and (unit_in_text(part) or unit_directed(part))
        if unit:
            return unit
    return None


def _reports_the_past(text: str) -> bool:
    """"Các đơn vị đã hoàn thành …" tells what was done; "Văn phòng Sở chủ trì …" gives a task."""
    unit = unit_in_text(text)
    return bool(unit) and bool(_REPORTED.match(fold(text[text.find(unit) + len(unit):])))


def build_tree(paras: list[Para]) -> Item:
    root = Item(None, None)
    stack = [root]
    for para in paras:
        heading = heading_of(para)
        kind = para.kind or ("heading" if heading else None)
        if kind is None:
            top = stack[-1]
            if top is root or top.heading:
                last = top.children[-1] if top.children else None
                if last is not None and last.kind == "plain" and _follows(last, para):
                    last.more.append(para)
                else:
                    top.children.append(Item(para, "plain"))
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


def _follows(previous: Item, para: Para) -> bool:
    """Whether a paragraph without a marker carries on the plain task before it."""
    last = (previous.more or [previous.para])[-1]
    return last.text.endswith(":") or bool(_FOLLOW_UP.match(fold(para.text)))


# --- Tasks ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    unit: str | None = None
    people: tuple[str, ...] = ()
    ref: tuple[str, ...] = ()
    stated: bool = False  # under a unit or person heading


def _descendants(item: Item):
    for child in item.children:
        yield child
        yield from _descendants(child)


def _item_text(item: Item, depth: int = 0) -> list[str]:
    lines = [(f"{item.para.marker} " if depth and item.para.marker else "") + item.para.text]
    lines += [p.text for p in item.more]
    for child in item.children:
        lines += _item_text(child, depth + 1)
    return lines


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
            has_heading_below = any(d.heading and d.heading.role != "topic" for d in _descendants(child))
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
            if child.kind == "plain" and not context.stated and (
                    (not _ACTION_START.match(fold(child.para.text)) and not starts_with_unit(child.para.text))
                    or _reports_the_past(child.para.text)):
                continue  # a narrative paragraph, not a task
            position += 1
            self._add(child, context, position, child.para.label)

    @staticmethod
    def _enter(context: _Context, heading: Heading | None, segment: str) -> _Context:
        ref = (*context.ref, segment)
        if heading and heading.role == "unit":
            return _Context(heading.name, context.people, ref, True)
        if heading and heading.role == "person":
            return _Context(context.unit, (*context.people, heading.name), ref, True)
        return _Context(context.unit, context.people, ref, context.stated)

    def _add(self, item: Item, context: _Context, number: int, label: str | None = None) -> None:
        text = "\n".join(_item_text(item))
        people = list(dict.fromkeys([*context.people, *find_assignees(text)]))
        deadline, warnings = self._deadline(text)
        self.tasks.append(ParsedTask(
            ref=".".join((*context.ref, label or str(number))),
            unit=context.unit or _named_unit(item.para.text),
            assignees=people,
            coordinating=find_coordinating(text),
            text=text,
            deadline=deadline,
            warnings=warnings,
        ))

    def _deadline(self, text: str) -> tuple[Deadline | None, list[str]]:
        found = find_deadlines(text, self.ref_day)
        if not found:
            return None, []
        last = final_deadline(found)
        warnings = []
        distinct = list(dict.fromkeys((d.kind, d.date, d.time, d.start) for d in found))
        if len(distinct) > 1:
            written = ", ".join(f"“{d.raw}”" for d in found)
            warnings.append(f"có {len(found)} thời hạn ({written}): lấy thời hạn muộn nhất “{last.raw}”")
        if self.meeting_on and last.date and last.date < self.meeting_on and last.kind != "period":
            warnings.append(f"thời hạn “{last.raw}” đã qua so với ngày họp {self.meeting_on:%d/%m/%Y}")
        return last, warnings


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
    first_item = next((i for i, p in enumerate(paras) if p.kind or heading_of(p)), len(paras))
    return min(first_item, first_unit)


def read_paragraphs(texts: list[str]) -> ParsedNotice:
    """The notice in paragraphs (see `paragraphs`)."""
    paras = to_paras(texts)
    header = read_header(paras)
    end = closing_start(paras, header.body_start)
    body = paras[header.body_start:end]
    start = tasks_start(body)
    fields = header.fields
    title = " ".join(header.title) or None
    intro = [Para(title)] if title else []
    said = fold(" ".join(p.text for p in intro + body[:start]))
    is_conclusion = bool(title) or (fields.get("symbol") or "").startswith("TB") or bool(_SAYS_CONCLUSION.search(said))
    meeting_on, week, year, chair = read_meeting(intro + body[:start], fields.get("issue_year"))
    issued_on = fields.get("issued_on")
    ref_day = meeting_on or issued_on or (date(year, 1, 1) if year else None)
    collector = _Collector(ref_day, meeting_on)
    collector.collect(build_tree(body[start:]), _Context())
    warnings = list(collector.warnings)
    if meeting_on is None:
        reading = (f"tính từ ngày ban hành {issued_on:%d/%m/%Y}" if issued_on
                   else f"tính từ đầu năm {year}" if year else "không hiểu được")
        warnings.insert(0, f"không thấy ngày họp: ngày không ghi năm {reading}")
    header_out = NoticeHeader(
        number=fields.get("number"),
        symbol=fields.get("symbol"),
        place=fields.get("place"),
        issued_on=issued_on,
        meeting_on=meeting_on,
        week=week,
        year=year,
        title=title,
        chair=chair,
        signer=read_signer(paras[end:]),
    )
    return ParsedNotice(header_out, collector.tasks, warnings, is_conclusion)
