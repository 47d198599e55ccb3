"""Scans and photos of a notice are read by OCR (Tesseract with its Vietnamese data); the tests
skip when the machine has no such OCR. The scan is made here: the sample notice typeset as a PDF,
its pages rendered at 200 dpi, turned slightly and speckled as a scanner would leave them."""

from __future__ import annotations

import json
import random

import pytest

from notices import NoticeError, read_notice
from notices.ocr import available
from tests.fixtures.notices import SEED_EXPECTED_PATH, write_seed_pdf

pytestmark = pytest.mark.skipif(not available(), reason="no Tesseract with Vietnamese data (tesseract-ocr-vie)")

EXPECTED = json.loads(SEED_EXPECTED_PATH.read_text(encoding="utf-8"))["tasks"]


def scanned_pages(tmp_path, dpi: int = 200):
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(write_seed_pdf(tmp_path / "goc.pdf")))
    pages = []
    for number in range(len(document)):
        page = document[number]
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        page.close()
        image = image.rotate(0.8 - 0.6 * number, expand=True, fillcolor=255, resample=Image.BICUBIC)
        speckle = random.Random(number)
        pixels = image.load()
        width, height = image.size
        for _ in range(width * height // 150):
            pixels[speckle.randrange(width), speckle.randrange(height)] = speckle.choice((0, 90, 255))
        pages.append(image)
    document.close()
    return pages


def test_a_scanned_copy_of_the_sample_notice_reads_its_tasks(tmp_path):
    pages = scanned_pages(tmp_path)
    scan = tmp_path / "ban-scan.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)
    notice = read_notice(scan)
    assert notice.ocr and notice.warnings[0].startswith("văn bản đọc từ ảnh quét (OCR)")
    assert len(notice.tasks) == 19
    right = [task for task, expected in zip(notice.tasks, EXPECTED, strict=True)
             if task.unit == expected["unit"]
             and (task.deadline.to_dict() if task.deadline else None) in _same_deadline(expected["deadline"])]
    assert len(right) >= 17, [t.ref for t in notice.tasks if t not in right]
    assert notice.notice.meeting_on.isoformat() == "2025-02-17"


def _same_deadline(deadline: dict | None) -> list[dict | None]:
    """The deadline, also with its raw words as OCR may give their dashes."""
    if deadline is None:
        return [None]
    return [deadline, {**deadline, "raw": deadline["raw"].replace("–", "-")}]


def test_a_photo_of_a_page_is_read(tmp_path):
    photo = tmp_path / "anh-chup.jpg"
    scanned_pages(tmp_path)[0].convert("RGB").save(photo, quality=85)
    notice = read_notice(photo)
    assert notice.ocr
    assert [t.ref for t in notice.tasks][:3] == ["1.1", "1.2", "1.3"]
    assert notice.tasks[0].deadline.date.isoformat() == "2025-02-21"


def test_a_blank_scan_is_refused_in_one_line(tmp_path):
    from PIL import Image

    blank = tmp_path / "trang.png"
    Image.new("L", (1654, 2339), 255).save(blank)
    with pytest.raises(NoticeError, match="^trang.png: ") as error:
        read_notice(blank)
    assert "\n" not in str(error.value)
