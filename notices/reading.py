"""The reader in one process: text or a file to a checked `ParsedNotice`.

`notices.read_notice` runs `read_file` in a worker process (`notices.worker`); text already in
memory is read here directly (`read_text`).
"""

from __future__ import annotations

from pathlib import Path

from notices import kinds
from notices.formats import load
from notices.limits import LIMITS, Budget, Limits
from notices.model import NoticeError, ParsedNotice
from notices.paragraphs import paragraphs
from notices.structure import read_paragraphs
from notices.tables import markdown_tables

OCR_WARNING = "văn bản đọc từ ảnh quét (OCR): chữ, số và ngày có thể sai, anh/chị đối chiếu với bản gốc"


def read_text(text: str, name: str, limits: Limits = LIMITS) -> ParsedNotice:
    """A notice from its text (pasted from e-mail, or a .txt/.md file's content)."""
    Budget(name, limits).spend(len(text))
    return accept(read_paragraphs(paragraphs(markdown_tables(text.splitlines()))), name)


def read_file(path: Path, limits: Limits = LIMITS) -> ParsedNotice:
    """A notice from a file of any format `notices.formats` reads."""
    loaded = load(path, limits)
    notice = read_paragraphs(loaded.paragraphs)
    notice.ocr = loaded.ocr
    notice.warnings[:0] = [OCR_WARNING] * loaded.ocr + loaded.warnings
    return accept(notice, path.name)


def accept(notice: ParsedNotice, name: str) -> ParsedNotice:
    """The notice, if it is a document that gives work; else NoticeError saying why not.

    A document gives work when it assigns at least one task, whatever its heading, unless its
    kind never does (an invitation, a report); one that does not say what it is must name who
    does the work.
    """
    if not notice.tasks:
        raise NoticeError(f"{name}: không phải thông báo kết luận (không tìm thấy nhiệm vụ nào)")
    if not kinds.gives_work(notice.kind):
        raise NoticeError(f"{name}: không phải thông báo kết luận hay văn bản giao việc (là {notice.kind})")
    if not notice.says_its_kind and not any(task.unit or task.assignees for task in notice.tasks):
        raise NoticeError(f"{name}: không phải thông báo kết luận (không thấy chữ “Thông báo” hay “kết luận”)")
    return notice
