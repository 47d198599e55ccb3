"""Tables of tasks (a plan's assignment table, in Word or Markdown) as a notice would write them.

A table is one of tasks when its header has a content column ("Nội dung", "Nhiệm vụ", "Công
việc") among at least three; its unit column ("Đơn vị chủ trì") becomes unit headings, its
coordinating and deadline columns the task's "Phối hợp với …" and "Thời hạn: …".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tasks.text import fold

_CONTENT_COLUMN = re.compile(r"\b(?:noi dung|nhiem vu|cong viec)\b")
_UNIT_COLUMN = re.compile(r"\b(?:don vi|chu tri|co quan|phong)\b")
_COORDINATING_COLUMN = re.compile(r"\bphoi hop\b")
_DEADLINE_COLUMN = re.compile(r"\b(?:thoi han|thoi gian|tien do|han)\b")
_MARKDOWN_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _content_column(header: list[str]) -> int | None:
    return next((i for i, h in enumerate(header) if _CONTENT_COLUMN.search(fold(h))), None)


def is_task_table(header: list[str]) -> bool:
    return len(header) >= 3 and _content_column(header) is not None


def task_table_lines(header: list[str], rows: list[list[str]]) -> Iterator[str]:
    """The table's tasks as unit headings and items (the header is not in `rows`)."""
    keys = [fold(h) for h in header]
    content = _content_column(header)

    def column(pattern: re.Pattern, exclude: re.Pattern | None = None) -> int | None:
        return next((i for i, h in enumerate(keys)
                     if i != content and pattern.search(h) and not (exclude and exclude.search(h))), None)

    coordinating = column(_COORDINATING_COLUMN)
    unit = column(_UNIT_COLUMN, _COORDINATING_COLUMN)
    deadline = column(_DEADLINE_COLUMN, _UNIT_COLUMN)
    current_unit = None
    for cells in rows:
        if content >= len(cells) or not cells[content].strip():
            continue

        def cell(index: int | None, cells=cells) -> str:
            return cells[index].strip(" .") if index is not None and index < len(cells) else ""

        if cell(unit) and cell(unit) != current_unit:
            current_unit = cell(unit)
            yield f"{current_unit}:"
        task = f"- {cells[content].strip().rstrip('.;')}."
        if cell(coordinating):
            task += f" Phối hợp với {cell(coordinating)}."
        if cell(deadline):
            task += f" Thời hạn: {cell(deadline)}."
        yield task


def markdown_tables(lines: list[str]) -> list[str]:
    """Lines of text with each Markdown table ("| a | b |" rows) written as a notice would: a
    table of tasks as unit headings and items, any other table cell by cell."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not (_MARKDOWN_ROW.match(lines[i]) and i + 1 < len(lines) and _MARKDOWN_RULE.match(lines[i + 1])):
            out.append(lines[i])
            i += 1
            continue
        header = _row(lines[i])
        i += 2
        rows = []
        while i < len(lines) and _MARKDOWN_ROW.match(lines[i]):
            rows.append(_row(lines[i]))
            i += 1
        if is_task_table(header):
            out += list(task_table_lines(header, rows))
        else:
            out += [cell for row in [header, *rows] for cell in row if cell]
    return out


def _row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]
