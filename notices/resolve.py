"""Who a notice means: units and people as written, resolved against a directory snapshot.

Names are compared as keys: folded (case, diacritics, đ/d), punctuation and dashes dropped,
"&" read as "và" and "và" ignored, and every known phrase contracted to its abbreviation, so
"Phòng Quản lý Công nghệ và Đổi mới sáng tạo", "Phòng Quản lý CN&ĐMST", "phong QLCN & DMST"
and "Quản lý CN - ĐMST" all meet on the same key. Abbreviations written run together
("QLCN", "KHTC", "CGCN") are split into the known ones: Vietnamese syllables always have a
vowel, so a vowel-less word can only be an abbreviation.

A unit's directory code ("QLCN", "KHTC") names it too, where no name or alias already means
something else. A group ("Các đơn vị thuộc Sở", "các phòng") stands for every unit of its kinds.
Whatever cannot be resolved is returned as written, whole ("Sở Khoa học và Công nghệ", not two
pieces), for the importer to report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from notices.people import starts_with_unit
from notices.text import old_style_tones
from tasks.text import fold

# Abbreviation -> the phrases it stands for (folded).
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "cn": ("cong nghe",),
    "dmst": ("doi moi sang tao",),
    "kh": ("khoa hoc", "ke hoach"),
    "tc": ("tai chinh",),
    "tdc": ("tieu chuan do luong chat luong",),
    "cg": ("chuyen giao",),
    "ql": ("quan ly",),
    "vp": ("van phong",),
    "gd": ("giam doc",),
    "pgd": ("pho giam doc",),
    "bgd": ("ban giam doc",),
    "ubnd": ("uy ban nhan dan",),
    "hdnd": ("hoi dong nhan dan",),
}

# Groups of units, by the kinds they stand for (keys are written in full; "Sở" may be left out).
GROUPS: dict[str, tuple[str, ...]] = {
    "cac don vi thuoc so": ("affiliated",),
    "cac don vi truc thuoc so": ("affiliated",),
    "cac don vi su nghiep thuoc so": ("affiliated",),
    "cac trung tam thuoc so": ("affiliated",),
    "cac don vi": ("affiliated",),
    "cac phong thuoc so": ("office", "department"),
    "cac phong chuyen mon thuoc so": ("office", "department"),
    "cac phong": ("office", "department"),
    "cac phong don vi thuoc so": ("office", "department", "affiliated"),
    "cac phong don vi": ("office", "department", "affiliated"),
}

# Words before a person's name that are not the name.
PERSON_PREFIXES = (
    "dc", "dong chi", "cac dong chi", "anh", "chi", "ong", "ba",
    "pho giam doc so", "giam doc so", "pho giam doc", "giam doc", "pgd so", "gd so", "pgd", "gd",
    "pho truong phong", "truong phong", "pho chanh van phong", "chanh van phong",
    "chanh thanh tra", "chuyen vien", "bi thu chi doan", "bi thu",
)

_PHRASES = sorted(
    ((tuple(phrase.split()), abbr) for abbr, phrases in ABBREVIATIONS.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_VOWELS = set("aeiouy")
_SEPARATOR = re.compile(r"[,;:]|\s(?:và|va)\s", re.IGNORECASE)
_PERSON_PREFIXES = sorted((tuple(p.split()) for p in PERSON_PREFIXES), key=len, reverse=True)


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OfficerRef:
    id: int
    full_name: str
    unit_id: int | None = None


@dataclass(frozen=True)
class UnitMatch:
    """Units found in a text: `units` in the order written (groups expanded), `unresolved` as written."""

    written: str
    units: tuple[UnitRef, ...]
    unresolved: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonMatch:
    written: str
    officer: OfficerRef | None
    # Why it did not resolve: no such name, or several officers share it.
    candidates: tuple[OfficerRef, ...] = ()


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("&", " và ")
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).split()


@cache
def _split_abbreviation(word: str) -> tuple[str, ...] | None:
    """'qlcn' -> ('ql', 'cn'): the fewest known abbreviations that spell the word, if any."""
    if word in ABBREVIATIONS:
        return (word,)
    best = None
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        if head in ABBREVIATIONS and (rest := _split_abbreviation(tail)):
            if best is None or len(rest) + 1 < len(best):
                best = (head, *rest)
    return best


def unit_key(text: str) -> tuple[str, ...]:
    """The comparison key of a unit name: folded words, phrases contracted, 'và' dropped."""
    words: list[str] = []
    for word in _words(text):
        if not _VOWELS & set(word):
            words.extend(_split_abbreviation(word) or (word,))
        elif word != "va":
            words.append(word)
    key, i = [], 0
    while i < len(words):
        for phrase, abbr in _PHRASES:
            if tuple(words[i:i + len(phrase)]) == phrase:
                key.append(abbr)
                i += len(phrase)
                break
        else:
            key.append(words[i])
            i += 1
    return tuple(key)


def _variants(key: tuple[str, ...]) -> set[tuple[str, ...]]:
    """A name also answers without a leading "Phòng" or a trailing "Sở"."""
    variants = {key}
    if len(key) > 1 and key[0] == "phong":
        variants.add(key[1:])
    for variant in list(variants):  # a copy: the set grows inside the loop
        if len(variant) > 1 and variant[-1] == "so":
            variants.add(variant[:-1])
    return variants


def _name_words(name: str, exact: bool) -> list[str]:
    """A person's name as words: as written (any case, either tone placement) when `exact`,
    else folded."""
    name = re.sub(r"[/.]", "", name)
    return old_style_tones(name).casefold().split() if exact else fold(name).split()


def _pieces(text: str) -> list[tuple[int, int, bool]]:
    """Spans of `text` between separators, each with whether a colon follows it."""
    pieces, start = [], 0
    for sep in _SEPARATOR.finditer(text):
        pieces.append((start, sep.start(), sep.group() == ":"))
        start = sep.end()
    pieces.append((start, len(text), False))
    return [p for p in pieces if text[p[0]:p[1]].strip()]


class Resolver:
    """Resolves units and people against one directory snapshot."""

    def __init__(self, units: Iterable[UnitRef], officers: Iterable[OfficerRef]):
        self.units = tuple(units)
        self.officers = tuple(officers)
        self._by_key: dict[tuple[str, ...], set[UnitRef]] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                for variant in _variants(unit_key(name)):
                    self._by_key.setdefault(variant, set()).add(unit)
        # A directory code ("QLCN", "KHTC") names its unit where no name or alias already does.
        self._by_code = {key: u for u in self.units if (key := unit_key(u.code)) and key not in self._by_key}
        # Each officer's name as words: [folded, as written].
        self._names = {o.id: (_name_words(o.full_name, False), _name_words(o.full_name, True))
                       for o in self.officers}
        self._groups: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, kinds in GROUPS.items():
            for variant in _variants(unit_key(phrase)):
                self._groups[variant] = kinds

    def _lookup(self, key: tuple[str, ...]) -> tuple[UnitRef, ...] | None:
        """The units a whole key names (a group gives all its units), or None."""
        if key in self._groups:
            kinds = self._groups[key]
            return tuple(u for u in self.units if u.kind in kinds)
        found = self._by_key.get(key, ())
        if not found and key in self._by_code:
            return (self._by_code[key],)
        return tuple(found) if len(found) == 1 else None

    def units_in(self, written: str | Sequence[str]) -> UnitMatch:
        """The units named in a text or in fragments of one ("Phòng A, Trung tâm B, C").

        Adjacent fragments are joined greedily, longest first, since unit names themselves hold
        commas ("Trung tâm Nghiên cứu, CGCN&ĐMST"). A group before a colon ("các phòng: A, B")
        only introduces the list.
        """
        text = unicodedata.normalize("NFC", written if isinstance(written, str) else ", ".join(written))
        pieces = _pieces(text)
        found: list[UnitRef] = []
        unresolved: list[str] = []
        groups: list[str] = []
        unresolved_from = None  # the first piece of the name being reported, while it runs on
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                written_here = text[pieces[i][0]:pieces[j - 1][1]].strip()
                units = self._lookup(key := unit_key(written_here))
                if units is not None:
                    break
            else:
                # "Sở Khoa học và Công nghệ": a piece that does not begin like a unit continues the name.
                if unresolved_from is not None and not starts_with_unit(text[pieces[i][0]:pieces[i][1]].strip()):
                    unresolved.pop()
                else:
                    unresolved_from = i
                unresolved.append(text[pieces[unresolved_from][0]:pieces[i][1]].strip(" .-–"))
                i += 1
                continue
            unresolved_from = None
            if key in self._groups:
                if pieces[j - 1][2]:  # "các phòng:" introduces a list
                    i = j
                    continue
                groups.append(written_here)
            found.extend(u for u in units if u not in found)
            i = j
        return UnitMatch(text.strip(), tuple(found), tuple(unresolved), tuple(groups))

    def person(self, written: str) -> PersonMatch:
        """The officer a name means: the full name, or a unique officer whose name ends so
        ("đ/c Dũng", "Hữu Thắng"). Diacritics count when the name is written with them."""
        exact = any(ord(c) > 127 for c in unicodedata.normalize("NFC", written))
        mine, plain = _name_words(written, exact), _name_words(written, False)
        while prefix := next((p for p in _PERSON_PREFIXES if tuple(plain[: len(p)]) == p), None):
            if len(prefix) >= len(plain):
                break
            mine, plain = mine[len(prefix):], plain[len(prefix):]
        names = [(o, self._names[o.id][exact]) for o in self.officers]
        found = [o for o, words in names if words == mine]
        found = found or [o for o, words in names if words[-len(mine):] == mine]
        if len(found) == 1:
            return PersonMatch(written, found[0])
        return PersonMatch(written, None, tuple(found))
