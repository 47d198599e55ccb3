"""The directory as the office keeps it by hand: one unit or officer in a form, and a single CSV
file with Vietnamese (or English) column names, shown as the changes it makes before it makes
them. Loading goes through `storage.directory.load_directory`, so a file obeys the same rules
as `nhacviec directory load`; a form obeys them too (`_check_officer`, `_check_unit`).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from storage.directory import OFFICER_COLUMNS, UNIT_COLUMNS, DirectoryError, load_directory
from storage.models import ROLES, TASK_OPEN, UNIT_KINDS, Officer, Task, Unit
from tasks.text import fold

ROLE_WORDS = {"leader": ("lanh dao so", "lanh dao", "giam doc", "pho giam doc"),
              "head": ("truong don vi", "truong phong", "truong"), "member": ("chuyen vien", "can bo", "nhan vien"),
              "admin": ("van thu", "quan tri")}
KIND_WORDS = {"leadership": ("lanh dao so", "lanh dao", "ban giam doc"), "office": ("van phong",),
              "department": ("phong chuyen mon", "phong"), "affiliated": ("don vi thuoc so", "trung tam"),
              "union": ("doan the", "chi doan", "cong doan")}
HEADERS = {
    "code": ("ma", "ma don vi", "code"), "name": ("ten", "ten don vi", "name"),
    "aliases": ("ten khac", "ten goi khac", "aliases"), "kind": ("loai", "loai don vi", "kind"),
    "directed_by": ("lanh dao phu trach", "directed by", "directed_by"),
    "full_name": ("ho va ten", "ho ten", "full name", "full_name"), "title": ("chuc vu", "title"),
    "unit": ("don vi", "unit"), "role": ("vai tro", "role"),
    "phone": ("dien thoai", "so dien thoai", "phone"), "zalo_user_id": ("zalo", "ma zalo", "zalo user id", "zalo_user_id"),
}
MAX_FILE = 1024 * 1024


class PeopleRefused(ValueError):
    """A form or file the directory cannot take; the message is for the clerk. Nothing changed."""


def _key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").split())


def _word(value: str, words: dict[str, tuple[str, ...]], what: str) -> str:
    """A role or kind as written ("Văn thư", "admin") -> its code."""
    key = _key(value)
    for code, spelled in words.items():
        if key == code or key in spelled:
            return code
    raise PeopleRefused(f"{what} «{value}» không rõ: dùng {', '.join(s[0] for s in words.values())}.")


# --- one unit or officer in a form --------------------------------------------------------------------

@dataclass(frozen=True)
class OfficerInput:
    full_name: str
    title: str
    unit_id: int | None
    role: str
    phone: str


def _check_officer(session: Session, officer_id: int | None, given: OfficerInput) -> OfficerInput:
    name = " ".join(given.full_name.split())[:255]
    if not name:
        raise PeopleRefused("Anh/chị ghi họ và tên.")
    same = session.exec(select(Officer.id).where(Officer.full_name == name, Officer.id != (officer_id or 0))).first()
    if same is not None:
        raise PeopleRefused(f"Danh bạ đã có người tên {name}: hãy ghi tên sao cho phân biệt được.")
    unit = session.get(Unit, given.unit_id) if given.unit_id else None
    if unit is None or not unit.active:
        raise PeopleRefused("Anh/chị chọn đơn vị.")
    if given.role not in ROLES:
        raise PeopleRefused("Anh/chị chọn vai trò.")
    phone = "".join(c for c in given.phone if c.isdigit() or c == "+")[:32]
    return OfficerInput(name, " ".join(given.title.split())[:255], unit.id, given.role, phone)


def save_officer(session: Session, officer_id: int | None, given: OfficerInput) -> Officer:
    checked = _check_officer(session, officer_id, given)
    officer = session.get(Officer, officer_id) if officer_id else Officer(full_name=checked.full_name, unit_id=0,
                                                                          role=checked.role)
    if officer is None:
        raise PeopleRefused("Không có cán bộ này.")
    officer.full_name, officer.title, officer.unit_id = checked.full_name, checked.title, checked.unit_id
    officer.role, officer.phone = checked.role, checked.phone
    session.add(officer)
    session.flush()
    return officer


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    aliases: str
    kind: str


def save_unit(session: Session, unit_id: int | None, given: UnitInput) -> Unit:
    code, name = "".join(given.code.split()).upper()[:32], " ".join(given.name.split())[:255]
    if not code or not name:
        raise PeopleRefused("Anh/chị ghi mã và tên đơn vị.")
    if given.kind not in UNIT_KINDS:
        raise PeopleRefused("Anh/chị chọn loại đơn vị.")
    if session.exec(select(Unit.id).where(Unit.code == code, Unit.id != (unit_id or 0))).first() is not None:
        raise PeopleRefused(f"Mã đơn vị {code} đã có.")
    unit = session.get(Unit, unit_id) if unit_id else Unit(code=code, name=name, kind=given.kind)
    if unit is None:
        raise PeopleRefused("Không có đơn vị này.")
    unit.code, unit.name, unit.kind = code, name, given.kind
    unit.aliases = [a.strip() for a in given.aliases.split(";") if a.strip()]
    session.add(unit)
    session.flush()
    return unit


def set_officer_active(session: Session, officer: Officer, active: bool) -> None:
    officer.active = active
    session.add(officer)


def set_unit_active(session: Session, unit: Unit, active: bool) -> None:
    """A unit is closed only once nobody works in it and none of its tasks is open."""
    if not active:
        people = session.exec(select(Officer.id).where(Officer.unit_id == unit.id, Officer.active == True)).first()  # noqa: E712
        work = session.exec(select(Task.id).where(Task.unit_id == unit.id, Task.status == TASK_OPEN,
                                                  Task.published == True)).first()  # noqa: E712
        if people is not None or work is not None:
            raise PeopleRefused(f"{unit.name} còn cán bộ đang làm việc hoặc còn việc đang mở: chuyển cán bộ và việc "
                                "trước khi ngừng đơn vị.")
    unit.active = active
    session.add(unit)


# --- one CSV file ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Upload:
    kind: str  # units or officers
    rows: list[dict[str, str]]


def read_csv(data: bytes, units: list[Unit]) -> Upload:
    """A directory file in the loader's own form, whichever names its columns and values use."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PeopleRefused("Tệp không phải văn bản UTF-8 (trong Excel: Lưu thành «CSV UTF-8»).") from None
    if "\x00" in text:
        raise PeopleRefused("Tệp có ký tự NUL: không phải tệp CSV.")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise PeopleRefused(f"Tệp không đọc được như CSV ({error}).") from None
    header = lines[0] if lines else []
    names = [next((canon for canon, spelled in HEADERS.items() if _key(h) in spelled), None) for h in header]
    kind = "officers" if "full_name" in names else "units" if {"code", "name"} <= set(names) else None
    if kind is None:
        raise PeopleRefused("Không nhận ra tệp: cần cột «Họ và tên» (cán bộ) hoặc «Mã» và «Tên» (đơn vị).")
    rows = [{n: c for n, c in zip(names, cells, strict=False) if n} for cells in lines[1:] if any(c.strip() for c in cells)]
    return Upload(kind, [_english(kind, row, units) for row in rows])


def _english(kind: str, row: dict[str, str], units: list[Unit]) -> dict[str, str]:
    if kind == "units":
        found = {c: row.get(c, "") for c in (*UNIT_COLUMNS, "directed_by")}
        found["kind"] = _word(found["kind"], KIND_WORDS, "Loại đơn vị") if found["kind"] else ""
        return found
    found = {c: row.get(c, "") for c in OFFICER_COLUMNS}
    if found["role"]:
        found["role"] = _word(found["role"], ROLE_WORDS, "Vai trò")
    written = _key(found["unit"])
    unit = next((u for u in units if written in {_key(u.code), _key(u.name), *map(_key, u.aliases)}), None)
    found["unit"] = unit.code if unit else found["unit"]
    return found


def _write(path: Path, columns, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def load_upload(session: Session, upload: Upload):
    """Load the file through the directory loader (a file of one kind: the other is empty)."""
    with tempfile.TemporaryDirectory(prefix="nhacviec-directory-") as tmp:
        folder = Path(tmp)
        units = _write(folder / "don-vi.csv", (*UNIT_COLUMNS, "directed_by"), upload.rows if upload.kind == "units" else [])
        officers = _write(folder / "can-bo.csv", OFFICER_COLUMNS, upload.rows if upload.kind == "officers" else [])
        try:
            return load_directory(session, units, officers)
        except DirectoryError as error:
            raise PeopleRefused(str(error).replace(str(folder) + "/", "")) from None


def snapshot(session: Session) -> dict[str, dict]:
    units = {f"Đơn vị {u.code}": {"tên": u.name, "tên khác": "; ".join(u.aliases), "loại": u.kind}
             for u in session.exec(select(Unit))}
    names = {u.id: u.code for u in session.exec(select(Unit))}
    officers = {f"Cán bộ {o.full_name}": {"chức vụ": o.title, "đơn vị": names.get(o.unit_id, ""), "vai trò": o.role,
                                          "điện thoại": o.phone, "Zalo": o.zalo_user_id or ""}
                for o in session.exec(select(Officer))}
    return {**units, **officers}


def differences(before: dict[str, dict], after: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(what, who, details): each row the file adds or changes."""
    found = []
    for key, values in after.items():
        if key not in before:
            found.append(("Thêm", key, ", ".join(f"{k}: {v}" for k, v in values.items() if v)))
        elif before[key] != values:
            found.append(("Sửa", key, ", ".join(f"{k}: {before[key][k] or '—'} → {v or '—'}"
                                                 for k, v in values.items() if before[key][k] != v)))
    return found


def preview(session: Session, upload: Upload) -> list[tuple[str, str, str]]:
    """What loading the file would change; nothing is kept (the caller's transaction is rolled back)."""
    before = snapshot(session)
    load_upload(session, upload)
    session.flush()
    after = snapshot(session)
    session.rollback()
    return differences(before, after)
