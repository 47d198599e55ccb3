"""From the paragraphs of a notice to its header and tasks.

1. Lines become paragraphs (`notices.paragraphs`): a break inside a sentence or a word is
   mended, a line that starts an item never continues the one before.
2. The header (number, place and date, title) and the closing (the signature) are read and set
   aside (`notices.header`).
3. The body becomes a tree of headings and items by its markers (`notices.outline`).
4. The tasks are collected from the tree, in the context of the headings above them
   (`notices.collect`).
"""

from __future__ import annotations

import re
from datetime import date

from notices import kinds
from notices.collect import collect_tasks
from notices.header import closing_start, read_header, read_meeting, read_signer
from notices.model import NoticeHeader, ParsedNotice
from notices.outline import build_tree, tasks_start
from notices.paragraphs import Para, to_paras
from tasks.text import fold

_SAYS_CONCLUSION = re.compile(r"\b(?:ket luan|thong bao)\b")


def read_paragraphs(texts: list[str]) -> ParsedNotice:
    """The notice in its paragraphs of text (as `notices.paragraphs.paragraphs` joins lines)."""
    paras = to_paras(texts)
    header = read_header(paras)
    end = closing_start(paras, header.body_start)
    body = paras[header.body_start:end]
    start = tasks_start(body)
    fields = header.fields
    title = " ".join(header.title) or None
    intro = [Para(title)] if title else []
    said = fold(" ".join(p.text for p in intro + body[:start]))
    kind = kinds.name(header.kind, fields.get("symbol"), header.letter, said)
    meeting = kinds.of_a_meeting(kind)
    meeting_on, week, year, chair = read_meeting(intro + body[:start], fields.get("issue_year"))
    issued_on = fields.get("issued_on")
    ref_day = meeting_on or issued_on or (date(year, 1, 1) if year else None)
    tasks, warnings = collect_tasks(build_tree(body[start:]), ref_day, meeting_on)
    if meeting_on is None and (meeting or not issued_on):
        reading = (f"tính từ ngày ban hành {issued_on:%d/%m/%Y}" if issued_on
                   else f"tính từ đầu năm {year}" if year else "không hiểu được")
        warnings.insert(0, f"không thấy ngày họp: ngày không ghi năm {reading}")
    header_out = NoticeHeader(
        number=fields.get("number"),
        symbol=fields.get("symbol"),
        place=fields.get("place"),
        issued_on=issued_on,
        meeting_on=meeting_on,
        week=week,
        year=year,
        title=title,
        chair=chair,
        signer=read_signer(paras[end:]),
    )
    says_it = bool(kind) or bool(title) or bool(_SAYS_CONCLUSION.search(said))
    return ParsedNotice(header_out, tasks, warnings, kind=kind, heading=header.heading, says_its_kind=says_it)
