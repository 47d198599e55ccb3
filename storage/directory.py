"""Load the directory CSV files (docs/notices.md): units and officers, inserted or updated by key."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from storage.models import ROLES, UNIT_KINDS, Officer, Unit

UNIT_COLUMNS = ("code", "name", "aliases", "kind")
OFFICER_COLUMNS = ("full_name", "title", "unit", "role", "phone", "zalo_user_id")


class DirectoryError(ValueError):
    """A directory file that cannot be loaded; nothing was changed."""


@dataclass
class LoadSummary:
    units_added: int = 0
    units_updated: int = 0
    officers_added: int = 0
    officers_updated: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"units: {self.units_added} added, {self.units_updated} updated; "
            f"officers: {self.officers_added} added, {self.officers_updated} updated"
        )


def _clean(value: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


def _rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DirectoryError(f"{path}: không có tệp này") from None
    except UnicodeDecodeError:
        raise DirectoryError(f"{path}: không phải văn bản UTF-8") from None
    if "\x00" in text:
        raise DirectoryError(f"{path}: có ký tự NUL, không phải tệp CSV")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DirectoryError(f"{path}: thiếu cột {', '.join(missing)}")
        return [{k: _clean(v) for k, v in row.items() if k} for row in reader]
    except csv.Error as error:
        raise DirectoryError(f"{path}:{reader.line_num}: không đọc được dòng này ({error})") from None


def load_directory(session: Session, units_csv: Path, officers_csv: Path) -> LoadSummary:
    """Insert or update units (by code) and officers (by full name); all or nothing."""
    unit_rows = _rows(units_csv, UNIT_COLUMNS)
    officer_rows = _rows(officers_csv, OFFICER_COLUMNS)
    summary = LoadSummary()
    units = _load_units(session, units_csv, unit_rows, summary)
    officers = _load_officers(session, officers_csv, officer_rows, units, summary)
    _assign_directors(units_csv, unit_rows, units, officers)
    return summary


def _load_units(session: Session, path: Path, rows: list[dict[str, str]], summary: LoadSummary) -> dict[str, Unit]:
    """Every unit by code, those in the file inserted or updated."""
    units = {u.code: u for u in session.exec(select(Unit))}
    for line, row in enumerate(rows, start=2):
        if not row["code"] or not row["name"]:
            raise DirectoryError(f"{path}:{line}: cần có code và name")
        if row["kind"] not in UNIT_KINDS:
            raise DirectoryError(f"{path}:{line}: kind {row['kind']!r} không thuộc {', '.join(UNIT_KINDS)}")
        aliases = [a.strip() for a in row["aliases"].split(";") if a.strip()]
        unit = units.get(row["code"])
        if unit is None:
            unit = units[row["code"]] = Unit(code=row["code"], name=row["name"], aliases=aliases, kind=row["kind"])
            summary.units_added += 1
        elif (unit.name, unit.aliases, unit.kind) != (row["name"], aliases, row["kind"]):
            unit.name, unit.aliases, unit.kind = row["name"], aliases, row["kind"]
            summary.units_updated += 1
        session.add(unit)
    session.flush()
    return units


def _load_officers(session: Session, path: Path, rows: list[dict[str, str]], units: dict[str, Unit],
                   summary: LoadSummary) -> dict[str, Officer]:
    """Every officer by full name, those in the file inserted or updated."""
    officers = {o.full_name: o for o in session.exec(select(Officer))}
    zalo_owners = {o.zalo_user_id: o.full_name for o in officers.values() if o.zalo_user_id}
    first_line: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        name = row["full_name"]
        if not name:
            raise DirectoryError(f"{path}:{line}: cần có full_name")
        if name in first_line:
            # Officers are known by full name (link-code, the notice's "Giao đồng chí …").
            raise DirectoryError(f"{path}:{line}: {name} đã có ở dòng {first_line[name]}; "
                                 "hãy ghi tên sao cho phân biệt được")
        first_line[name] = line
        values = _officer_values(f"{path}:{line}", row, units, zalo_owners)
        officer = officers.get(name)
        if officer is None:
            officer = officers[name] = Officer(full_name=name, **values)
            summary.officers_added += 1
        elif any(getattr(officer, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(officer, k, v)
            summary.officers_updated += 1
        session.add(officer)
    session.flush()
    return officers


def _officer_values(where: str, row: dict[str, str], units: dict[str, Unit], zalo_owners: dict[str, str]) -> dict:
    """An officer row's fields, checked; `zalo_owners` (Zalo id -> full name) learns its Zalo id."""
    unit = units.get(row["unit"])
    if unit is None:
        raise DirectoryError(f"{where}: đơn vị {row['unit']!r} không có trong tệp đơn vị")
    if row["role"] not in ROLES:
        raise DirectoryError(f"{where}: role {row['role']!r} không thuộc {', '.join(ROLES)}")
    values = {"title": row["title"], "unit_id": unit.id, "role": row["role"], "phone": row["phone"]}
    # An empty zalo_user_id keeps a link the officer made with a code.
    if row["zalo_user_id"]:
        owner = zalo_owners.setdefault(row["zalo_user_id"], row["full_name"])
        if owner != row["full_name"]:
            raise DirectoryError(f"{where}: zalo_user_id {row['zalo_user_id']} đã là của {owner}")
        values["zalo_user_id"] = row["zalo_user_id"]
    return values


def _assign_directors(path: Path, rows: list[dict[str, str]], units: dict[str, Unit],
                      officers: dict[str, Officer]) -> None:
    """Each unit's `directed_by`: the leader (an officer, by full name) who directs it."""
    for line, row in enumerate(rows, start=2):
        director = row.get("directed_by", "")
        if director:
            leader = officers.get(director)
            if leader is None:
                raise DirectoryError(f"{path}:{line}: directed_by {director!r} không có trong tệp cán bộ")
            units[row["code"]].director_id = leader.id
