"""Scans and photos of a notice read by OCR: Tesseract with its Vietnamese data.

Debian's `tesseract-ocr` and `tesseract-ocr-vie` provide it (docs/notices.md, "Scans"); without
them a scan is refused with one line. A page image (a photo, or a PDF page rendered by pdfium at
300 dpi) is turned grey and cleared of speckles (a median filter) before Tesseract reads it; its
words come back with their boxes, so lines are rebuilt with their edges and a line that reaches
the right margin continues on the next, as in a PDF (`notices.pdf.wrapped_flags`). What OCR
reads may be wrong: the notice says so (`ParsedNotice.ocr`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from notices.limits import Budget
from notices.model import NoticeError
from notices.pdf import Line, wrapped_flags

DPI = 300
MAX_PIXELS = 60_000_000  # a page photographed at 600 dpi; a "picture" larger than this is a bomb
# Look-alikes OCR gives for Vietnamese letters: the Icelandic eth for Đ.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})
# A speck or a rule read as a word ("|", "_"), and a numbered heading's dot read as a comma ("5, Phòng …").
_SPECK = re.compile(r"[|¦_~`]+")
_MISREAD_MARKER = re.compile(r"^(\d{1,2}),\s")


@dataclass
class Scanned:
    """Lines read from page images, with their wrap flags."""

    lines: list[str] = field(default_factory=list)
    wrapped: list[bool] = field(default_factory=list)

    def add(self, lines: list[Line]) -> None:
        right = _margin(lines)
        self.lines += [line.text for line in lines]
        self.wrapped += wrapped_flags(lines, right)


@cache
def _tesseract() -> str | None:
    """The tesseract program, if it is installed with its Vietnamese data."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return program if "vie" in listed.stdout.split() else None


def available() -> bool:
    return _tesseract() is not None


def read_image_file(path: Path, budget: Budget, deadline: float) -> Scanned:
    """A photo or scan (JPEG, PNG, TIFF …), every frame a page."""
    # imported when a scan is read: Pillow is large
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    _require(f"{path.name}: là ảnh")
    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
            budget.pages(frames, scanned=True)
            scanned = Scanned()
            for frame in ImageSequence.Iterator(image):
                scanned.add(_read_page(frame, deadline, path.name))
    except NoticeError:
        raise
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds on a damaged or oversized image
        raise NoticeError(f"{path.name}: là ảnh nhưng không mở được (ảnh hỏng hoặc quá lớn)") from error
    return scanned


def read_pdf_pages(path: Path, numbers: list[int], deadline: float) -> list[Scanned]:
    """The pages `numbers` of a PDF (those without a text layer), each rendered and read."""
    # imported when a scanned PDF is read: pdfium is a native library
    import pypdfium2 as pdfium

    _require(f"{path.name}: PDF không có lớp chữ (bản scan ảnh)")
    scanned = []
    document = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            page = document[number]
            bitmap = page.render(scale=DPI / 72, grayscale=True)
            image = bitmap.to_pil()
            bitmap.close()
            page.close()
            scanned.append(Scanned())
            scanned[-1].add(_read_page(image, deadline, path.name))
    finally:
        document.close()
    return scanned


def _require(what: str) -> None:
    if not available():
        raise NoticeError(f"{what}; máy chủ chưa cài OCR tiếng Việt (tesseract-ocr-vie): "
                          "hãy gửi bản Word hoặc PDF có chữ")


def _read_page(image, deadline: float, name: str) -> list[Line]:
    """The lines Tesseract reads on one page image."""
    # imported when a scan is read: Pillow is large
    from PIL import ImageFilter

    picture = io.BytesIO()
    image.convert("L").filter(ImageFilter.MedianFilter(3)).save(picture, format="PNG")
    left = deadline - time.monotonic()
    if left <= 0:
        raise NoticeError(f"{name}: đọc ảnh quét quá lâu, đã dừng")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([_tesseract(), "stdin", "stdout", "-l", "vie", "tsv"], input=picture.getvalue(),
                              capture_output=True, timeout=left, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise NoticeError(f"{name}: đọc ảnh quét quá lâu, đã dừng") from None
    if done.returncode != 0:
        raise NoticeError(f"{name}: không đọc được ảnh quét")
    return _lines(done.stdout.decode("utf-8", errors="replace"))


def _lines(tsv: str) -> list[Line]:
    """Tesseract's words (TSV, one a row, with block, paragraph and line numbers) as lines."""
    lines: dict[tuple[str, str, str], list[tuple[str, float, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word or float(row.get("conf") or -1) < 0:
            continue
        x0 = float(row["left"])
        key = (row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append((word.translate(_LOOKALIKES), x0, x0 + float(row["width"])))
    out = []
    for words in lines.values():
        words = [w for w in words if not _SPECK.fullmatch(w[0])] or words
        text = _MISREAD_MARKER.sub(r"\1. ", " ".join(w for w, _, _ in words))
        out.append(Line(text, min(x for _, x, _ in words), max(x for _, _, x in words)))
    return out


def _margin(lines: list[Line]) -> float | None:
    """The right margin of a page: where most full lines end (a speck read as a word past it
    does not move it)."""
    ends = sorted(line.x1 for line in lines if len(line.text) > 20)
    return ends[int(0.9 * (len(ends) - 1))] if ends else None
