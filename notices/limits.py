"""How much the reader takes on for one file (docs/notices.md, "Limits").

A notice is a few pages and some thousands of characters. A file far past that is not a notice,
or is built to exhaust whoever reads it, so it is refused with one line before the work grows:
too many pages, too many characters, an archive that unpacks too large. Time and memory are
bounded by the worker process that reads the file (`notices.worker`).
"""

from __future__ import annotations

from dataclasses import dataclass

from notices.model import NoticeError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * MIB  # the file as stored
    pages: int = 50  # PDF pages with a text layer
    scanned_pages: int = 10  # pages or images read by OCR (a few seconds each)
    chars: int = 2_000_000  # characters of text, whatever the format
    unpacked: int = 64 * MIB  # a .docx unpacked, pictures included
    unpacked_text: int = 16 * MIB  # its XML parts, which are parsed whole
    seconds: float = 120.0  # wall time of one reading, OCR included
    memory: int = 1024 * MIB  # address space the worker may add to what it starts with


LIMITS = Limits()


class Budget:
    """Counts the characters read from one file and refuses the file once past the limit."""

    def __init__(self, name: str, limits: Limits):
        self.name = name
        self.limits = limits
        self.chars = 0

    def spend(self, count: int) -> None:
        self.chars += count
        if self.chars > self.limits.chars:
            most = f"{self.limits.chars:,}".replace(",", ".")
            raise NoticeError(f"{self.name}: quá nhiều chữ (hơn {most} ký tự), không phải một thông báo")

    def take(self, text: str) -> str:
        self.spend(len(text))
        return text

    def pages(self, count: int, scanned: bool = False) -> None:
        most = self.limits.scanned_pages if scanned else self.limits.pages
        if count > most:
            what = "trang ảnh quét" if scanned else "trang"
            raise NoticeError(f"{self.name}: có {count} {what}, quá dài cho một thông báo (tối đa {most} {what})")
