"""Who a task names: the responsible unit, the people given it, the units that coordinate.

Everything is returned as written; resolving names against the directory is the importer's
job (`notices.resolve`). Unit names are recognised by the word they begin with ("Phòng",
"Trung tâm", "Văn phòng" …), compared with their diacritics so "Quỹ" is not "Quy chế" and
"Trường" is not "Trưởng"; text typed without diacritics is compared folded. A name runs until
an action verb in lower case ("chủ trì", "thực hiện", "xây dựng" …), which unit names never
contain: "Trung tâm Nghiên cứu" keeps its capital, "nghiên cứu" the verb has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tasks.text import VN_LOWER, VN_UPPER, fold, lower, simple

UNIT_WORDS = (
    "văn phòng", "phòng", "thanh tra", "trung tâm", "chi cục", "tổng cục", "cục", "vụ", "ban", "chi đoàn",
    "đoàn", "công đoàn", "chi bộ", "đảng ủy", "đảng bộ", "hội đồng", "hội", "viện", "quỹ", "sở", "ubnd",
    "ủy ban", "các đơn vị", "các phòng", "các trung tâm", "các sở", "các cơ quan", "các ban", "các cục", "các vụ", "lãnh đạo", "tổ", "bộ phận", "đơn vị", "bch",
    "thường trực", "trạm", "hạt", "đội", "bệnh viện", "trường", "kho bạc", "cơ quan", "bgđ", "tạp chí",
    # bodies outside the Sở that notices of the province give work to
    "công an", "bộ chỉ huy", "viễn thông", "bưu điện", "ngân hàng", "công ty", "tập đoàn", "mặt trận",
    "liên đoàn", "liên minh", "bảo hiểm xã hội", "đài", "báo",
)
AMBIGUOUS_UNIT_WORDS = ("thanh tra", "đoàn", "tổ", "ban", "hội", "đội", "trạm", "hạt", "đài", "báo")
NOT_UNITS = (
    "ban hành", "tổ chức", "phòng chống", "phòng ngừa", "phòng, chống", "hội nghị", "hội thảo", "hội thi",
    "hội chợ", "đơn vị tính", "trường hợp", "vụ việc", "cục bộ", "sở hữu", "đội ngũ", "quỹ đất", "tổ hợp",
)
# Verbs (and the words that end a list of names) as they appear in lower case inside a task.
ACTION_WORDS = (
    "thực hiện", "xây dựng", "triển khai", "hoàn thành", "hoàn thiện", "tham mưu", "rà soát", "tổ chức",
    "tổng hợp", "báo cáo", "chuẩn bị", "kiểm tra", "theo dõi", "đôn đốc", "sử dụng", "trình", "đề xuất",
    "nghiên cứu", "giải quyết", "xử lý", "lập", "soạn thảo", "góp ý", "cập nhật", "bổ sung", "chỉnh sửa",
    "thẩm định", "tiếp nhận", "hướng dẫn", "tuyên truyền", "phổ biến", "đánh giá", "sắp xếp", "bố trí",
    "thống nhất", "làm việc", "tiếp tục", "khẩn trương", "chủ động", "đảm bảo", "bảo đảm", "ban hành", "gửi",
    "nộp", "dự thảo", "xác định", "thu thập", "điều chỉnh", "kiện toàn", "vận hành", "cung cấp", "khảo sát",
    "giám sát", "chủ trì", "phối hợp", "chỉ đạo", "để", "nhằm", "trong việc", "về việc", "theo", "trước",
    "đến", "tại", "trong", "khi", "sau", "giúp", "đối với", "tham gia", "quản trị", "tiến hành", "đăng ký",
    "phục vụ", "lựa chọn", "thuê", "mua sắm", "in", "phát hành", "hỗ trợ", "tiếp thu", "trả lời", "rà",
    "kiểm định", "hiệu chuẩn", "thử nghiệm", "kiểm soát", "thẩm tra", "quyết toán", "giải ngân", "thanh lý",
    "nghiệm thu", "tập huấn", "tăng cường", "đẩy mạnh", "duy trì", "sửa đổi", "ký kết", "công bố",
    "có trách nhiệm", "chịu trách nhiệm", "quan tâm", "nâng cấp", "cân đối",
    "đã", "đang", "sẽ", "được", "cần", "phải", "vừa",
)
SURNAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lưu Đinh Đoàn Trương Lâm Mai "
    "Trịnh Đào Cao Hà Tạ Tô Châu Quách Lương Vương Thái Từ La Kiều Tăng Triệu Phùng Tống Nghiêm Chu Khúc "
    "Đàm Lại Mạc Hứa Thân Diệp Doãn Giang Hầu Khổng Kim Lạc Lò Mã Ninh Phó Quan Tôn Thạch Ông Âu Viên Vi "
    "Bạch Bế Cù Đồng Hàn Lục Nông Sầm Thiều Trang Lã Khương Ưng Yên Đậu Nhữ Cấn Chế Giáp".split()
)
_PLAIN_SURNAMES = frozenset(fold(name) for name in SURNAMES)  # a signature typed without diacritics
_TITLES = (
    "pho giam doc so", "pho giam doc trung tam", "pho giam doc", "giam doc so", "giam doc trung tam",
    "giam doc", "pgd so", "pgd", "gd so", "gd", "pho chanh van phong so", "pho chanh van phong",
    "chanh van phong so", "chanh van phong", "pho chanh thanh tra so", "pho chanh thanh tra",
    "chanh thanh tra so", "chanh thanh tra", "pho truong phong", "truong phong", "bi thu chi doan",
    "bi thu", "chu tich cong doan", "pho chu tich", "chu tich", "ke toan truong", "chuyen vien", "bo truong",
    "thu truong", "tong cuc truong", "pho tong cuc truong", "cuc truong", "pho cuc truong", "vu truong",
    "pho vu truong",
)


# How much text a name or a list of names may take: the reader looks no further, so its work
# stays linear in the text (a unit's name has at most 14 words; a list, some units).
_HEAD = 60
NAME_WINDOW = 300
LIST_WINDOW = 1000


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TITLE = _alternation(_TITLES)
_PERSON_CUE = re.compile(
    rf"(?<![a-z/])(?:(?P<cue>(?:cac\s+)?(?:dong chi|d/c|ong|ba))\s*:?\s+(?:(?P<t1>{_TITLE})\s+)?|(?:{_TITLE})\s+)"
)
_ASSIGNING = re.compile(r"\b(?:giao|de nghi|phan cong|yeu cau|cu)\s+(?:cho\s+)?$")
_AND = re.compile(r"\s*(?:,|va)\s*")
_BRACKETS = re.compile(r"\s*\([^()]*\)")
_ACTION = re.compile(rf"(?<![\w/])(?:{_alternation(ACTION_WORDS)})(?![\w])")
_ACTION_PLAIN = re.compile(rf"(?<![\w/])(?:{_alternation({fold(w) for w in ACTION_WORDS})})(?![\w])")
_NAME_WORD = re.compile(rf"[{VN_UPPER}][{VN_LOWER}]*(?![\w&])")
_CAPS_WORD = re.compile(rf"[{VN_UPPER}]{{2,}}")
_UNIT_PAIR = re.compile(r"^(?:văn|trung|thanh|chi|công|tổng|ủy|bệnh|kho|thường|bộ)$")
_NOT_NAME = frozenset({"Sở", "Phòng", "Ban", "Tỉnh", "Hội", "Giám", "Phó", "Trưởng", "Chánh"})
_DIRECTS = re.compile(r"^\W*chi dao\b")
_COORDINATING = re.compile(r"phoi hop(?:\s+chat che)?(?:\s+voi)?\s*:?\s*")
_DISTRIBUTOR = re.compile(
    r"^(?i:các\s+(?:(?P<head>phòng|trung tâm|chi cục|cục|vụ|ban)|đơn vị|cơ quan|phòng,\s*đơn vị)"
    r"(?:\s+chuyên môn)?(?:\s+thuộc\s+sở)?)"
    rf"(?:\s*:\s*|\s+(?=[{VN_UPPER}]))"
)
_AND_WORD = re.compile(r"\s+(?:và|cùng)\s+")
# A lead that gives work ("giao", "đề nghị" …), and a leader's title whose rest names their body.
ASSIGN_LEAD = re.compile(r"(?:giao|de nghi|yeu cau|phan cong)\s+(?:cho\s+)?")
# "Trưởng phòng …", "Chánh Thanh tra Sở", "Giám đốc Trung tâm …": a title whose rest is the unit's name.
# Lower-case first words of what `unit_in_text` reads: a lead ("giao …") or a head ("đồng chí trưởng …").
_UNIT_OPENERS = frozenset("giao de yeu phan cac dong d/c pho truong chanh giam bi".split())
HEAD_OF = re.compile(
    r"(?:(?:cac\s+)?(?:dong chi|d/c)\s+)?(?:pho\s+)?(?:truong|chanh|giam doc|bi thu|chu tich|thu truong)\s+"
)


def _has_diacritics(text: str) -> bool:
    return any(ord(c) > 127 for c in text)


def action(text: str) -> re.Match | None:
    """The first action verb in lower case (as typed: with diacritics or without)."""
    return (_ACTION if _has_diacritics(text) else _ACTION_PLAIN).search(text)


def _leading(text: str, words: Iterable[str]) -> str | None:
    """Which of `words` `text` begins with (a whole word; folded if typed without diacritics)."""
    text = text[:_HEAD]
    plain = not _has_diacritics(text)
    key = fold(text) if plain else lower(text)
    for word in words:
        word = fold(word) if plain else word
        if key.startswith(word) and key[len(word):len(word) + 1] in ("", " ", ",", ":"):
            return word
    return None


def starts_with_unit(text: str) -> bool:
    """Whether `text` begins like a unit's name ("Phòng …", "các đơn vị …"). A word that is also
    a verb or a common noun ("Thanh tra việc …", "Tổ chức", "Đoàn kiểm tra") needs a capital
    after it ("Thanh tra Sở")."""
    if not _leading(text, UNIT_WORDS) or _leading(text, NOT_UNITS):
        return False
    ambiguous = _leading(text, AMBIGUOUS_UNIT_WORDS)
    if ambiguous:
        rest = text.split()[len(ambiguous.split()):]
        return not rest or rest[0][:1].isupper()
    return True


def is_unit_name(text: str) -> bool:
    """Whether `text` is a unit's name and nothing more: a capital, a unit word, no action verb."""
    text = text.strip()
    if not text or not text[0].isupper() or len(text.split()) > 14:
        return False
    return starts_with_unit(text) and not action(text) and not re.search(r"[.;!?]$|[;!?]|\.\s", text)


def unit_in_text(text: str) -> str | None:
    """The unit a task names as its doer: "Giao Văn phòng Sở chủ trì …" -> "Văn phòng Sở"; its
    head stands for it: "Giao đồng chí Trưởng phòng QLKH …" -> "Phòng QLKH"."""
    text = text[:NAME_WINDOW]
    view = simple(text)
    lead = ASSIGN_LEAD.match(view)
    at = lead.end() if lead else 0
    name = _unit_at(text[at:])
    head = HEAD_OF.match(view, at) if name is None else None
    return _unit_at(text[head.end():], capital=True) if head else name


def _unit_at(rest: str, capital: bool = False) -> str | None:
    """The unit name `rest` begins with; "Sở" alone is the end of a title ("Phó Giám đốc Sở")."""
    end = name_end(rest, r"[;:(.]")
    name = rest[:end]
    # A comma ends the name unless what follows is capitals ("Trung tâm Nghiên cứu, CGCN&ĐMST").
    comma = re.search(rf",\s*(?=[^,]*\b[{VN_LOWER}])", name)
    name = (name[:comma.start()] if comma else name).strip(" ,-–")
    if capital:
        name = name[:1].upper() + name[1:]
    return name if is_unit_name(name) and fold(name) != "so" else None


def unit_directed(text: str) -> str | None:
    """The unit a task given to a person names as doing it: "Giao PGĐ Sở X chỉ đạo Phòng Y xây
    dựng …" -> "Phòng Y"; "Giao ông X, Giám đốc Trung tâm Z báo cáo …" -> "Trung tâm Z"."""
    people = find_people(text)
    if people:
        _, start, end = people[0]
        before = simple(text)[:start]
        if before.strip(" -*") and not _ASSIGNING.search(before):
            return None
    elif _DIRECTS.match(simple(text)):  # the person heads the item: "Đồng chí X: chỉ đạo Phòng Y …"
        end = 0
    else:
        return None
    rest = text[end:]
    verbs = (m for m in (_ACTION if _has_diacritics(rest) else _ACTION_PLAIN).finditer(rest)
             if fold(m.group()) != "chi dao")
    stop = next((m.start() for m in verbs), len(rest))
    for word in re.finditer(r"\S+", rest[:stop]):
        if word.group()[0].islower() and fold(word.group()) not in _UNIT_OPENERS:
            continue  # no unit's name, lead or head starts so
        unit = unit_in_text(rest[word.start():word.start() + NAME_WINDOW])
        if unit:
            return unit
    return None


# --- People -------------------------------------------------------------------------------------
def _name_at(text: str, pos: int, single_ok: bool) -> tuple[str, int] | None:
    """The capitalised words starting at `pos` (2 to 5 of them, or 1 when `single_ok`)."""
    words: list[re.Match] = []
    end = pos
    while len(words) < 5:
        match = _NAME_WORD.match(text, end)
        if not match:
            break
        if match.group() in _NOT_NAME:  # "Sở", "Phòng", "Giám": not part of a person's name
            if not words:
                return None
            break
        words.append(match)
        if text[match.end():match.end() + 1] != " ":
            break
        end = match.end() + 1
    # "Lê Hùng Văn phòng": the last word starts a unit's name, not the person's.
    while words:
        after = text[words[-1].end():words[-1].end() + _HEAD].split(maxsplit=1)
        if after and _UNIT_PAIR.match(lower(words[-1].group())) and after[0][:1].islower():
            words.pop()
            continue
        break
    if not words or (len(words) < 2 and not single_ok):
        return None
    return " ".join(w.group() for w in words), words[-1].end()


def find_people(text: str) -> list[tuple[str, int, int]]:
    """Every person named with "đồng chí"/"đ/c"/"ông"/"bà" or a title: (name, start, end)."""
    found = []
    view = simple(text)
    for cue in _PERSON_CUE.finditer(view):
        named = _name_at(text, cue.end(), single_ok=bool(cue["cue"]) and not cue["t1"])
        if named:
            found.append((named[0], cue.start(), named[1]))
    return found


def find_assignees(text: str) -> list[str]:
    """People a task is given to: "Giao đồng chí Lê Hùng …", "giao đ/c Dũng – PGĐ Sở: …",
    "Đồng chí X chủ trì …", "Giao PGĐ Sở Nguyễn Hữu Thắng chỉ đạo …"."""
    view = simple(text)
    opening = len(view) - len(view.lstrip(" -*"))
    names: list[str] = []
    previous_end = None
    for name, start, end in find_people(text):
        before = view[max(0, start - _HEAD):start]
        listed = previous_end is not None and _AND.fullmatch(_BRACKETS.sub("", view[previous_end:start][:_HEAD]))
        if start <= opening or _ASSIGNING.search(before) or listed:
            if name not in names:
                names.append(name)
            previous_end = end
    return names


def signer_name(line: str) -> str | None:
    """The person's name a signature line holds ("Trần Thị Nhung", "TRẦN THỊ NHUNG"), or None."""
    line = re.sub(r"\((?:[^)]*ký[^)]*)\)|^(?:ThS|TS|KS|CN|PGS\.TS|GS\.TS|BS|Ths)\.?\s*", "", line.strip()).strip(" .*")
    words = line.split()
    if not 2 <= len(words) <= 5:
        return None
    if all(_CAPS_WORD.fullmatch(w) for w in words):
        words = [w.capitalize() for w in words]
    if not all(_NAME_WORD.fullmatch(w) for w in words):
        return None
    if words[0] not in SURNAMES and (_has_diacritics(line) or fold(words[0]) not in _PLAIN_SURNAMES):
        return None
    return " ".join(words)


# --- Units listed -----------------------------------------------------------------------------
def name_end(text: str, stops: str) -> int:
    """Where names written at the start of `text` end: at an action verb or a stop character."""
    found = [m.start() for m in (action(text), re.search(stops, text)) if m]
    return min(found) if found else len(text)


def find_coordinating(text: str) -> list[str]:
    """Units named after "phối hợp (với)", as `split_unit_list` cuts them."""
    view = simple(text)
    units: list[str] = []
    for lead in _COORDINATING.finditer(view):
        rest = text[lead.end():lead.end() + LIST_WINDOW]
        end = name_end(rest, r"[;.()]")
        for unit in split_unit_list(rest[:end]):
            if unit not in units:
                units.append(unit)
    return units


def split_unit_list(text: str, known: Iterable[str] = ()) -> list[str]:
    """Cut a written list of units into names, without cutting inside a name.

    Commas and "và" separate, but unit names hold them too ("Trung tâm Nghiên cứu, CGCN&ĐMST",
    "Phòng Quản lý Công nghệ và Đổi mới sáng tạo"). So:
    - with `known` names (the directory's names and aliases), the longest run of pieces that
      folds to a known name is one name;
    - otherwise a piece that does not begin with a unit word ("CGCN&ĐMST") continues the name
      before it; "và" separates only before a unit word;
    - "các phòng: A, B" gives "Phòng A", "Phòng B"; a group ("các phòng, đơn vị") stays whole.
    Ambiguous shorthand ("Phòng QLKH, QLCN" without `known`) stays one fragment: the importer
    resolves fragments against the directory and reports what it cannot.
    """
    text = text.strip(" ,;:.–-")
    distributor = _DISTRIBUTOR.match(text)
    head = distributor["head"].capitalize() if distributor and distributor["head"] else None
    rest = text[distributor.end():] if distributor else text
    pieces = [
        part.strip()
        for piece in re.split(r"\s*[,;]\s*", rest)
        for part in _split_and(piece)
        if part.strip(" ,;:.")
    ]
    known_keys = {fold(name) for name in known}
    names: list[str] = []
    whole: list[bool] = []  # whether each name is known to be complete
    i = 0
    while i < len(pieces):
        span = next((j for j in range(len(pieces), i, -1) if known_keys and _known(pieces[i:j], head, known_keys)), None)
        if span:
            names.append(", ".join(pieces[i:span]))
            whole.append(True)
            i = span
            continue
        piece, previous = pieces[i], names[-1] if names else None
        word = _unit_word(previous) if previous and known_keys else None
        if word and fold(f"{word} {piece}") in known_keys:  # "Phòng QLKH, QLCN"
            names.append(f"{word} {piece}")
            whole.append(True)
        elif previous and not distributor and not whole[-1] and _continues(previous, piece):
            names[-1] = f"{previous}, {piece}"
        else:
            names.append(piece)
            whole.append(False)
        i += 1
    if head:
        names = [n if starts_with_unit(n) else f"{head} {n}" for n in names]
    return names


def _continues(previous: str, piece: str) -> bool:
    """Whether `piece` is the rest of the name before it ("Trung tâm Nghiên cứu" + "CGCN&ĐMST"),
    or of a group ("các phòng" + "đơn vị")."""
    if fold(previous).startswith(("cac ", "nhung ")):
        return piece[0].islower()
    return starts_with_unit(previous) and not starts_with_unit(piece)


def _unit_word(name: str) -> str | None:
    """The unit word a name begins with, as written ("Phòng" of "Phòng QLKH")."""
    key = lower(name)
    word = next((w for w in sorted(UNIT_WORDS, key=len, reverse=True) if key.startswith(w + " ")), None)
    return name[:len(word)] if word else None


def _split_and(piece: str) -> list[str]:
    """Split at "và"/"cùng" only where a unit's name follows ("Văn phòng Sở và Thanh tra Sở")."""
    parts = [piece]
    for joiner in reversed(list(_AND_WORD.finditer(piece))):
        after = piece[joiner.end():]
        if starts_with_unit(after):
            head, tail = parts[0][:joiner.start()], parts[0][joiner.end():]
            parts[0:1] = [head, tail]
    return parts


def _known(pieces: list[str], head: str | None, known_keys: set[str]) -> bool:
    joined = ", ".join(pieces)
    return fold(joined) in known_keys or bool(head and fold(f"{head} {joined}") in known_keys)
