"""Reading a notice file into paragraphs of text, whatever its format.

The kind of file is told by its first bytes, not its name, so a PDF saved as ".txt" still
reads: plain text (.txt, .md), Word (.docx, and a legacy .doc through `antiword`:
`notices.word`), PDF (`notices.pdf`), and scans: an image-only PDF page or a photo, read by OCR
(`notices.ocr`). Every reader stops at the limits of `notices.limits`.
"""

from __future__ import annotations

import codecs
import time
from dataclasses import dataclass, field
from pathlib import Path

from notices import ocr
from notices.limits import Budget, Limits
from notices.model import NoticeError
from notices.paragraphs import paragraphs
from notices.pdf import read_pdf
from notices.tables import markdown_tables
from notices.word import read_doc, read_docx

# What the office may give the reader, by name (the content decides how it is read).
SUFFIXES = (".txt", ".md", ".docx", ".doc", ".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


@dataclass
class Loaded:
    """The paragraphs of a file, whether any of them came from OCR, and what could not be read."""

    paragraphs: list[str]
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)


def load(path: Path, limits: Limits) -> Loaded:
    """The paragraphs of a notice file; NoticeError (one line) when it cannot be read."""
    name = path.name
    deadline = time.monotonic() + limits.seconds
    if not path.exists():
        raise NoticeError(f"{name}: không tìm thấy tệp")
    if path.is_dir():
        raise NoticeError(f"{name}: là một thư mục, không phải tệp")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise NoticeError(f"{name}: tệp quá lớn ({size / 1024 / 1024:.1f} MB, tối đa {limits.max_bytes // 1024 // 1024} MB)")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.strip() and not path.read_bytes().strip():
        raise NoticeError(f"{name}: tệp rỗng")
    budget = Budget(name, limits)
    if head.startswith(b"%PDF"):
        found = _pdf(path, budget, deadline)
    elif head.startswith(b"PK\x03\x04"):
        found = Loaded(read_docx(path, budget))
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        found = Loaded(read_doc(path, budget, deadline - time.monotonic()))
    elif head.startswith(_IMAGES):
        scanned = ocr.read_image_file(path, budget, deadline)
        found = Loaded(paragraphs(scanned.lines, scanned.wrapped), ocr=True)
    elif path.suffix.lower() in (".docx", ".pdf"):
        raise NoticeError(f"{name}: tệp {path.suffix.lower()} bị hỏng (nội dung không đúng định dạng)")
    else:
        found = Loaded(paragraphs(markdown_tables(budget.take(decode_text(path.read_bytes(), name)).splitlines())))
    if not found.paragraphs:
        raise NoticeError(f"{name}: không có chữ nào để đọc")
    return found


def _pdf(path: Path, budget: Budget, deadline: float) -> Loaded:
    """A PDF's text layer; its pages without one read by OCR, each in its place."""
    read = read_pdf(path, budget)
    with_text = len(read.scanned) < len(read.pages)
    warnings = []
    if read.scanned and with_text and not ocr.available():
        pages = ", ".join(str(number + 1) for number in read.scanned)
        warnings.append(f"trang {pages} là ảnh quét, chưa đọc được (máy chủ chưa cài OCR): hãy đối chiếu bản gốc")
    elif read.scanned:
        for number, scanned in zip(read.scanned, ocr.read_pdf_pages(path, read.scanned, deadline), strict=True):
            budget.spend(sum(len(line) for line in scanned.lines))
            read.pages[number] = (scanned.lines, scanned.wrapped)
    lines = [line for page_lines, _ in read.pages for line in page_lines]
    if not lines:
        raise NoticeError(f"{path.name}: PDF không có lớp chữ và không đọc được chữ nào trên ảnh quét")
    wrapped = [flag for _, flags in read.pages for flag in flags]
    return Loaded(paragraphs(lines, wrapped), ocr=bool(read.scanned) and not warnings, warnings=warnings)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise NoticeError(f"{name}: tệp UTF-16 bị hỏng") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NoticeError(f"{name}: không phải văn bản UTF-8; hãy lưu lại tệp với mã UTF-8") from None
    if "\x00" in text or sum(not c.isprintable() and c not in "\r\n\t\f" for c in text[:4096]) > 8:
        raise NoticeError(f"{name}: không phải tệp văn bản (.txt, .md, .docx hoặc .pdf)")
    return text
