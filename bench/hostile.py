"""Files built to exhaust a reader, as an attacker or a bad day would send them (issue 11's
inputs): a small PDF of hundreds of text-heavy pages, a .docx that unpacks to ~100 MB, text in
the shapes that once made the reader quadratic. Shared by the benchmarks and the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEAD = ("THÔNG BÁO\nKết luận của Giám đốc Sở tại Hội nghị giao ban ngày 17/02/2025\n"
        "Giám đốc Sở kết luận như sau:\n")

# The worst shapes for a reader that looks back over the text at every match, or joins a paragraph
# by copying it for every line: each is a notice whose one task (or one paragraph) grows with n.
SHAPES = {
    "dates": lambda n: HEAD + "1. Văn phòng Sở: rà soát " + "hoàn thành trước ngày 21/02/2025, " * n + ".\n",
    "quarters": lambda n: HEAD + "1. Văn phòng Sở: rà soát " + "báo cáo quý I/2025 và " * n + ".\n",
    "months": lambda n: HEAD + "1. Văn phòng Sở: rà soát " + "tháng 3 " * n + ".\n",
    "people": lambda n: HEAD + "1. Giao đồng chí Lê Hùng" + ", đồng chí Lê Hùng" * n + " thực hiện.\n",
    "coordinating": lambda n: HEAD + "1. Văn phòng Sở: " + "phối hợp với Văn phòng Sở, " * n + "rà soát.\n",
    "lines": lambda n: HEAD + "1. Văn phòng Sở: rà soát\n" + "và các đơn vị liên quan\n" * n,
    "chair": lambda n: ("THÔNG BÁO\n" + "Ngày 17/02/2025 đồng chí Lê Hùng chủ trì " * n
                        + "\nkết luận như sau:\n1. Văn phòng Sở: rà soát.\n"),
    "paragraphs": lambda n: HEAD + "Giao Văn phòng Sở chủ trì rà soát, hoàn thành trong tháng 3/2025.\n\n" * n,
}


def many_pages_pdf(path: Path, pages: int, lines: int = 40) -> Path:
    """A PDF of `pages` pages, each full of text (one content stream shared: the file stays small)."""
    text = " ".join(f"BT /F1 9 Tf 40 {800 - 18 * i} Td (Dong {i}: giao Van phong So ra soat ho so "
                    f"truoc ngay 21/02/2025, phoi hop voi cac phong.) Tj ET" for i in range(lines))
    kids = " ".join(f"{5 + n} 0 R" for n in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        *(["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
           "/Contents 4 0 R >>"] * pages),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def inflating_docx(path: Path, unpacked_mb: int) -> Path:
    """A .docx a few hundred KB large whose document.xml unpacks to `unpacked_mb` MB."""
    paragraph = ('<w:p><w:r><w:t>Giao Văn phòng Sở rà soát hồ sơ, hoàn thành trước ngày 21/02/2025.'
                 '</w:t></w:r></w:p>')
    count = unpacked_mb * 1024 * 1024 // len(paragraph.encode())
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'))
        with archive.open("word/document.xml", "w") as document:
            document.write(f'<?xml version="1.0"?><w:document xmlns:w="{namespace}"><w:body>'.encode())
            chunk = (paragraph * 1000).encode()
            for _ in range(count // 1000):
                document.write(chunk)
            document.write(b"</w:body></w:document>")
    return path
