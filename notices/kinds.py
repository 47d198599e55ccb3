"""What kind of document gives the Sở work, told from its heading (docs/notices.md, "Kinds").

A document names its kind in capitals above its title ("THÔNG BÁO", "KẾ HOẠCH", "KẾT LUẬN"),
in the prefix of its symbol ("Số: 12/TB-UBND", "KH-SKHCN"), or, for a letter (công văn), by its
subject line ("V/v …") and its addressees ("Kính gửi: …"). Some kinds give work (a notice of
conclusions or of instructions, a letter passing on a leader's instructions, a plan with an
assignment table); others never do (an invitation, a report, a submission), whatever items they
hold.
"""

from __future__ import annotations

import re

from tasks.text import fold

# The kind word as it opens a heading line (folded) -> the kind's name.
HEADINGS = {
    "thong bao": "thông báo", "ket luan": "kết luận", "ke hoach": "kế hoạch", "chi thi": "chỉ thị",
    "quyet dinh": "quyết định", "cong dien": "công điện", "chuong trinh": "chương trình",
    "bien ban": "biên bản", "giay moi": "giấy mời", "bao cao": "báo cáo", "to trinh": "tờ trình",
    "lich cong tac": "lịch công tác", "giay trieu tap": "giấy triệu tập",
}
# No word boundary after it: "THÔNG BÁOKết luận …" lost its line break.
HEADING = re.compile(r"^(?:" + "|".join(sorted(HEADINGS, key=len, reverse=True)) + r")")
# The prefix of a symbol ("TB-UBND", "KH-SKHCN") -> the kind's name.
SYMBOLS = {
    "tb": "thông báo", "kl": "kết luận", "kh": "kế hoạch", "ct": "chỉ thị", "qd": "quyết định",
    "cd": "công điện", "ctr": "chương trình", "bb": "biên bản", "gm": "giấy mời", "bc": "báo cáo",
    "ttr": "tờ trình",
}
LETTER = "công văn"
# Kinds that never give work, whatever items they hold.
NOT_ASSIGNING = frozenset({"giấy mời", "báo cáo", "tờ trình", "lịch công tác", "giấy triệu tập"})
# Kinds written after a meeting: their dates are read from the meeting's day.
OF_A_MEETING = ("thông báo kết luận", "kết luận", "biên bản")

_CONCLUSION = re.compile(r"\bket luan\b")
_INSTRUCTION = re.compile(r"\b(?:y kien chi dao|chi dao cua|truyen dat)\b")


def from_symbol(symbol: str | None) -> str | None:
    prefix = fold(symbol or "").split("-")[0].split("/")[0].strip()
    return SYMBOLS.get(prefix)


def name(heading: str | None, symbol: str | None, letter: bool, said: str) -> str | None:
    """The kind's name, told as precisely as the document does: "thông báo kết luận" rather than
    "thông báo". `heading` is the kind word of the heading (folded), `letter` whether it has a
    subject line or addressees, `said` the title and opening paragraphs (folded)."""
    kind = HEADINGS.get(heading or "") or from_symbol(symbol) or (LETTER if letter else None)
    if kind in ("thông báo", LETTER):
        if _CONCLUSION.search(said):
            return f"{kind} kết luận"
        if _INSTRUCTION.search(said):
            return f"{kind} ý kiến chỉ đạo" if kind == "thông báo" else f"{kind} truyền đạt ý kiến chỉ đạo"
    return kind


def gives_work(kind: str | None) -> bool:
    return kind not in NOT_ASSIGNING


def of_a_meeting(kind: str | None) -> bool:
    return kind is None or kind.startswith(OF_A_MEETING)
