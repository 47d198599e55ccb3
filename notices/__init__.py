"""The notice reader: a "Thông báo kết luận" (.txt, .md, .docx, .pdf) to its header and tasks.

Pure functions, no database: `read_notice(path)` / `read_notice_text(text)` give a
`ParsedNotice` whose `to_dict()` is the JSON of docs/notices.md; `parse_deadline` reads one
deadline phrase. A file that cannot be read as a notice raises `NoticeError`.
"""

from __future__ import annotations

from pathlib import Path

from notices.deadlines import parse_deadline
from notices.model import Deadline, NoticeError, NoticeHeader, ParsedNotice, ParsedTask
from notices.paragraphs import paragraphs
from notices.structure import read_paragraphs

__all__ = [
    "Deadline", "NoticeError", "NoticeHeader", "ParsedNotice", "ParsedTask",
    "parse_deadline", "read_notice", "read_notice_text",
]


def read_notice_text(text: str, *, source_name: str = "") -> ParsedNotice:
    """A notice from its text (pasted from e-mail, or a .txt/.md file's content)."""
    return _checked(read_paragraphs(paragraphs(text.splitlines())), source_name or "văn bản")


def read_notice(path: str | Path) -> ParsedNotice:
    """A notice from a .txt, .md, .docx or .pdf file (the kind is told by the content)."""
    from notices.formats import load_paragraphs  # imported when a file is read: python-docx, pdfplumber

    path = Path(path)
    return _checked(read_paragraphs(load_paragraphs(path)), path.name)


def _checked(notice: ParsedNotice, name: str) -> ParsedNotice:
    if not notice.tasks:
        raise NoticeError(f"{name}: không phải thông báo kết luận (không tìm thấy nhiệm vụ nào)")
    if not notice.is_conclusion:
        raise NoticeError(f"{name}: không phải thông báo kết luận (không thấy chữ “Thông báo” hay “kết luận”)")
    return notice
