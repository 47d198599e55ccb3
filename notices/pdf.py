"""PDF files: the text layer read with pdfplumber, page by page, each page closed once read.

The pages are counted and their characters measured with pdfium first (fast, and it does not
build the layout), so a PDF too long for a notice is refused before any page is laid out. A page
without text (a scan) is read by OCR (`notices.ocr`). A line that reaches the right margin was
wrapped by the layout, so the next line continues it (`wrapped_flags`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notices.limits import Budget
from notices.model import NoticeError


@dataclass(frozen=True)
class Line:
    """A line of a page with its left and right edges (any unit, the same on one page)."""

    text: str
    x0: float
    x1: float


def wrapped_flags(lines: list[Line], right: float | None = None) -> list[bool]:
    """Which lines of one page reach the right margin (`right`, else the rightmost edge): the next
    line's first word would have fitted in the room left, so the layout broke the sentence there.
    An indented line (a centred title) is never wrapped."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines) if right is None else right
    following = [line.text.split()[0] for line in lines[1:]] + [""]
    flags = []
    for line, word in zip(lines, following, strict=True):
        char_width = (line.x1 - line.x0) / max(len(line.text), 1)
        room = right - line.x1
        flags.append(room < min(3, len(word) + 1) * char_width and line.x0 - left < 0.25 * (right - left))
    return flags


@dataclass
class PdfPages:
    """A PDF's pages, read: each page's text lines with their wrap flags (none for a page without
    text), and the numbers of those pages without text."""

    pages: list[tuple[list[str], list[bool]]]
    scanned: list[int]


def read_pdf(path: Path, budget: Budget) -> PdfPages:
    """The text layer of every page; the numbers of the pages without one (for OCR)."""
    chars = _count_chars(path, budget)
    scanned = [number for number, count in enumerate(chars) if count == 0]
    budget.pages(len(scanned), scanned=True)
    budget.spend(sum(chars))
    read = PdfPages([([], []) for _ in chars], scanned)
    if len(scanned) == len(chars):
        return read
    # imported when a PDF with text is read: pdfplumber and pdfminer are large
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            for number, page in enumerate(pdf.pages):
                if number not in scanned:
                    lines = [Line(line["text"], line["x0"], line["x1"])
                             for line in page.extract_text_lines(strip=True, return_chars=False)
                             if line["text"].strip()]
                    read.pages[number] = ([line.text for line in lines], wrapped_flags(lines))
                page.close()
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on a damaged or locked file
        raise _damaged(path, error) from error
    return read


def _count_chars(path: Path, budget: Budget) -> list[int]:
    """The number of characters on each page, by pdfium, once the number of pages is within the
    limit; NoticeError when the file will not open."""
    # imported when a PDF is read: pdfium is a native library
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception as error:  # noqa: BLE001 - pdfium reports every failure as PdfiumError
        raise _damaged(path, error) from error
    try:
        budget.pages(len(document))  # pdfium counts the pages without reading them
        counts = []
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            counts.append(text.count_chars())
            text.close()
            page.close()
        return counts
    finally:
        document.close()


def _damaged(path: Path, error: Exception) -> NoticeError:
    locked = "password" in f"{type(error).__name__} {error}".lower()
    reason = "có mật khẩu" if locked else "bị hỏng hoặc không đọc được"
    return NoticeError(f"{path.name}: tệp PDF {reason}")
