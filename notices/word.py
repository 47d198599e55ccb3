"""Word files: .docx read with python-docx, a legacy .doc through Debian's `antiword`.

Word's automatic numbering ("1.", "a)", bullets) is rendered as the reader would see it; tables
are read row by row, and a table of tasks (a "Nội dung" column, with unit and deadline columns)
becomes unit headings and tasks. A .docx is a zip archive: its unpacked size is checked before
anything is parsed, since a small file may unpack to gigabytes (docs/notices.md, "Limits").
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from notices.limits import Budget
from notices.model import NoticeError
from notices.paragraphs import paragraphs
from notices.tables import is_task_table, task_table_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, budget: Budget) -> list[str]:
    """The paragraphs of a .docx; NoticeError when it is damaged or past the limits."""
    # imported when a .docx is read: python-docx and lxml are large
    import docx

    _check_unpacked(path, budget)
    try:
        document = docx.Document(str(path))
        numbering = _Numbering(document)
        lines = [budget.take(line) for line in _block_lines(document.element.body, numbering)]
    except NoticeError:
        raise
    except Exception as error:  # noqa: BLE001 - lxml and python-docx raise many kinds on a damaged file
        raise NoticeError(f"{path.name}: tệp .docx bị hỏng hoặc không phải văn bản Word") from error
    return paragraphs(lines)


def _check_unpacked(path: Path, budget: Budget) -> None:
    """Refuse an archive whose parts unpack past the limits (zipfile stops at the declared sizes)."""
    limits = budget.limits
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError):
        raise NoticeError(f"{path.name}: tệp .docx bị hỏng hoặc không phải văn bản Word") from None
    total = sum(entry.file_size for entry in entries)
    text = sum(entry.file_size for entry in entries if entry.filename.endswith((".xml", ".rels")))
    if total > limits.unpacked or text > limits.unpacked_text:
        size = max(total, text) / 1024 / 1024
        raise NoticeError(f"{path.name}: tệp .docx quá lớn khi giải nén ({size:.0f} MB), không phải một thông báo")


def read_doc(path: Path, budget: Budget, seconds: float) -> list[str]:
    """A legacy Word 97-2003 file, through `antiword`; refused with advice when it cannot be read."""
    advice = f"{path.name}: định dạng Word cũ (.doc) không đọc được, hãy lưu lại thành .docx"
    antiword = shutil.which("antiword")
    if antiword is None:
        raise NoticeError(advice)
    try:
        done = subprocess.run([antiword, "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True,
                              timeout=seconds, check=False)
    except (OSError, subprocess.TimeoutExpired):
        raise NoticeError(advice) from None
    if done.returncode != 0 or not done.stdout.strip():
        raise NoticeError(advice)
    text = done.stdout.decode("utf-8", errors="replace")
    return paragraphs(budget.take(text).splitlines())


def _val(element, tag: str) -> str | None:
    child = element.find(W + tag)
    return child.get(W + "val") if child is not None else None


_BULLETS = {"-": "-", "–": "-", "—": "-", "+": "+", "o": "◦", "*": "*"}
# A bullet drawn like one further left, but indented deeper, is a sub-item: it is shown so.
_DEEPER = {"-": "+", "+": "◦", "•": "◦", "◦": "▪", "*": "-"}
_INDENT_STEP = 180  # twips: an eighth of an inch


def _indent(element) -> int | None:
    """The left indent (twips) a paragraph or numbering level sets, if it sets one."""
    ind = element.find(f"{W}pPr/{W}ind") if element is not None else None
    value = ind.get(W + "left", ind.get(W + "start")) if ind is not None else None
    return int(value) if value and value.lstrip("-").isdigit() else None


class _Numbering:
    """Word's automatic numbering, counted in document order as Word displays it."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int, int]]] = {}
        self.bullet_indent: dict[str, int] = {}  # where each bullet was first seen
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.styles = {s.style_id: s.element for s in document.styles}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.findall(W + "abstractNum"):
            self.levels[abstract.get(W + "abstractNumId")] = {
                int(lvl.get(W + "ilvl")): (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                                           int(_val(lvl, "start") or 1), _indent(lvl) or 0)
                for lvl in abstract.findall(W + "lvl")
            }
        for num in root.findall(W + "num"):
            overrides = {
                int(o.get(W + "ilvl")): int(_val(o, "startOverride"))
                for o in num.findall(W + "lvlOverride") if _val(o, "startOverride")
            }
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), overrides)

    def _num_pr(self, p) -> tuple[str, int] | None:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(W + "val") if style is not None else None
        seen = set()
        while num_pr is None and style_id and style_id not in seen:
            seen.add(style_id)
            element = self.styles.get(style_id)
            if element is None:
                break
            num_pr = element.find(f"{W}pPr/{W}numPr")
            based = element.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None
        if num_pr is None:
            return None
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        return (num_id, int(ilvl or 0)) if num_id and num_id != "0" else None

    def label(self, p) -> str | None:
        """The marker Word shows before paragraph `p` ("1.", "a)", "-"), if numbered."""
        found = self._num_pr(p)
        if not found or found[0] not in self.nums:
            return None
        num_id, ilvl = found
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        fmt, text, start, indent = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt == "bullet":
            bullet = _BULLETS.get(text.strip(), "•")
            indent = _indent(p) or indent
            first = self.bullet_indent.setdefault(bullet, indent)
            return _DEEPER.get(bullet, "◦") if indent >= first + _INDENT_STEP else bullet
        if fmt == "none":
            return text.strip() or None

        def render(match: re.Match) -> str:
            level = int(match[1]) - 1
            level_fmt, _, level_start, _ = levels.get(level, ("decimal", "", 1, 0))
            return _format(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", render, text).strip() or None


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _paragraph_text(p) -> str:
    """A paragraph's text with line and page breaks as newlines."""
    out = []
    for node in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        if node.tag == W + "t":
            out.append(node.text or "")
        elif node.tag == W + "tab":
            out.append(" ")
        elif node.tag == W + "noBreakHyphen":
            out.append("-")
        else:
            out.append("\n")
    return "".join(out)


def _block_lines(container, numbering: _Numbering):
    """Lines of a body or table cell in document order; numbered paragraphs get their marker."""
    for child in container.iterchildren():
        if child.tag == W + "p":
            label = numbering.label(child)
            text = _paragraph_text(child)
            parts = text.split("\n")
            yield (f"{label} {parts[0]}" if label else parts[0])
            yield from parts[1:]
        elif child.tag == W + "tbl":
            yield from _table_lines(child, numbering)
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _block_lines(content, numbering)


def _cells(row) -> list:
    return row.findall(W + "tc")


def _table_lines(table, numbering: _Numbering):
    rows = table.findall(W + "tr")
    if not rows:
        return
    header = [" ".join(_paragraph_text(p) for p in tc.iter(W + "p")) for tc in _cells(rows[0])]
    if not is_task_table(header):
        for row in rows:
            for tc in _cells(row):
                yield from _block_lines(tc, numbering)
        return
    cells = [[" ".join(paragraphs(list(_block_lines(tc, numbering)))) for tc in _cells(row)] for row in rows[1:]]
    yield from task_table_lines(header, cells)
