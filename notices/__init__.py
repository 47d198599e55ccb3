"""The notice reader: a document that gives the Sở work (.txt, .md, .docx, .doc, .pdf, a scan)
to its header and tasks.

No database: `read_notice(path)` reads a file in a worker process within limits
(`notices.worker`, `notices.limits`); `read_notice_text(text)` reads text already in memory. Both
give a `ParsedNotice` whose `to_dict()` is the JSON of docs/notices.md; `parse_deadline` reads one
deadline phrase. A file that cannot be read as a notice raises `NoticeError` (one line).
"""

from __future__ import annotations

from pathlib import Path

from notices.deadlines import parse_deadline
from notices.limits import LIMITS, Limits
from notices.model import Deadline, NoticeError, NoticeHeader, ParsedNotice, ParsedTask
from notices.reading import read_text
from notices.worker import read_in_worker

__all__ = [
    "Deadline", "Limits", "NoticeError", "NoticeHeader", "ParsedNotice", "ParsedTask",
    "parse_deadline", "read_notice", "read_notice_text",
]


def read_notice_text(text: str, *, source_name: str = "") -> ParsedNotice:
    """A notice from its text (pasted from e-mail, or a .txt/.md file's content)."""
    return read_text(text, source_name or "văn bản")


def read_notice(path: str | Path, limits: Limits = LIMITS) -> ParsedNotice:
    """A notice from a file, read in a worker process (the kind is told by the content)."""
    return read_in_worker(Path(path), limits)
