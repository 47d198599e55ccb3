"""What the reader finds in a notice (docs/notices.md). Plain data: no database, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class NoticeError(ValueError):
    """A file that cannot be read as a notice; the message is one line for the office."""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class Deadline:
    """A deadline as written (`raw`) and as understood.

    `kind`: `on` (that day at the latest), `before` (`date` is the day written after "trước"),
    `meeting` (`date`/`time` of the meeting to be ready for), `period` (`start`..`date`, both
    included) or `recurring`. `every` (recurring only: day, week, month, quarter, half-year,
    year) is for the importer and is not part of the §4 JSON.
    """

    raw: str
    kind: str
    date: date | None
    time: str | None = None
    start: date | None = None
    every: str | None = None

    def to_dict(self) -> dict:
        return {"raw": self.raw, "kind": self.kind, "date": _iso(self.date), "time": self.time,
                "start": _iso(self.start)}

    def understood(self) -> str:
        """A short Vietnamese reading of the deadline, for people checking the reader."""
        day = f"{self.date:%d/%m/%Y}" if self.date else ""
        at = f" {self.time}" if self.time else ""
        if self.kind == "before":
            return f"trước {day}{at}"
        if self.kind == "meeting":
            return f"họp {day}{at}"
        if self.kind == "period":
            return f"{self.start:%d/%m/%Y}–{day}" if self.start else day
        if self.kind == "recurring":
            every = {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý",
                     "half-year": "6 tháng", "year": "năm"}.get(self.every or "", "kỳ")
            return f"hằng {every}" + (f", lần tới {day}" if day else "")
        return f"hết {day}{at}"


@dataclass(frozen=True)
class NoticeHeader:
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    issued_on: date | None = None
    meeting_on: date | None = None
    week: int | None = None
    year: int | None = None
    title: str | None = None
    chair: str | None = None
    signer: str | None = None

    def to_dict(self) -> dict:
        return {"number": self.number, "symbol": self.symbol, "place": self.place,
                "issued_on": _iso(self.issued_on), "meeting_on": _iso(self.meeting_on),
                "week": self.week, "year": self.year, "title": self.title, "chair": self.chair,
                "signer": self.signer}


@dataclass
class ParsedTask:
    """One task: `ref` is its place in the notice ("1.1"); names are as written."""

    ref: str
    unit: str | None
    assignees: list[str]
    coordinating: list[str]
    text: str
    deadline: Deadline | None
    warnings: list[str] = field(default_factory=list)
    # Sentences holding a phrase that looks like a deadline but was not read ("cuối kỳ", "30/02",
    # "sau khi …", a named day not placed): for review, never silently dropped.
    unread_deadlines: list[str] = field(default_factory=list)
    # The task is given to the Sở Khoa học và Công nghệ as a whole: its leaders decide who does it.
    whole_office: bool = False

    def to_dict(self) -> dict:
        return {"ref": self.ref, "unit": self.unit, "assignees": list(self.assignees),
                "coordinating": list(self.coordinating), "text": self.text,
                "deadline": self.deadline.to_dict() if self.deadline else None}


@dataclass
class ParsedNotice:
    notice: NoticeHeader
    tasks: list[ParsedTask]
    warnings: list[str] = field(default_factory=list)
    # What the document is ("thông báo kết luận", "công văn truyền đạt ý kiến chỉ đạo", "kế hoạch"),
    # None when it does not say; and its heading line as written ("THÔNG BÁO", "V/v …").
    kind: str | None = None
    heading: str | None = None
    # Whether the document says what it is (its kind, a title, "thông báo" or "kết luận" in its opening).
    says_its_kind: bool = True
    # Whether some of the text was read by OCR from a scan (it may hold misread words and dates).
    ocr: bool = False

    def to_dict(self) -> dict:
        """Exactly the JSON of docs/notices.md (warnings are not part of it)."""
        return {"notice": self.notice.to_dict(), "tasks": [task.to_dict() for task in self.tasks]}
