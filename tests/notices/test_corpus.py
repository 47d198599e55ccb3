"""Documents that give the Sở work, in the shapes other agencies write them (tests/notices/corpus/,
written for these tests): conclusions of the UBND tỉnh, notices of a Chairman's instructions,
letters passing instructions on, a meeting's conclusions, a plan with an assignment table, a
directive, a notice copied from a web page, one typed without diacritics. Each reads to the tasks,
units and deadlines of its `.expected.json`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from config.settings import Settings
from notices import read_notice
from notices.importer import plan_notice
from notices.resolve import Resolver, UnitRef

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".json"))


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def test_the_corpus_holds_a_dozen_documents_and_each_its_answer():
    assert len(DOCUMENTS) >= 12
    assert all(path.with_name(path.stem + ".expected.json").exists() for path in DOCUMENTS)


def as_read(task) -> dict:
    deadline = task.deadline.to_dict() if task.deadline else None
    found = {"ref": task.ref, "unit": task.unit, "text_starts": " ".join(task.text.split()[:6]),
             "deadline": {k: deadline[k] for k in ("kind", "date", "time", "start")} if deadline else None}
    found.update({"assignees": task.assignees} if task.assignees else {})
    found.update({"unread": task.unread_deadlines} if task.unread_deadlines else {})
    found.update({"whole_office": True} if task.whole_office else {})
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_each_document_reads_to_its_tasks_units_and_deadlines(path):
    notice = read_notice(path)
    answer = expected(path)
    assert (notice.kind, notice.notice.to_dict()["meeting_on"], notice.notice.to_dict()["issued_on"]) == (
        answer["kind"], answer["meeting_on"], answer["issued_on"])
    assert [as_read(task) for task in notice.tasks] == answer["tasks"]
    data = notice.to_dict()  # the JSON of docs/notices.md, no new keys
    assert set(data) == {"notice", "tasks"}
    assert all(set(t) == {"ref", "unit", "assignees", "coordinating", "text", "deadline"} for t in data["tasks"])


def test_a_task_for_the_whole_so_goes_to_its_leaders_with_a_question():
    notice = read_notice(CORPUS / "06-dong-y-giao.txt")
    units = [UnitRef(1, "BGD", "Ban Giám đốc", "leadership"), UnitRef(2, "VP", "Văn phòng Sở", "office")]
    planned, warnings = plan_notice(notice, Resolver(units, []), settings=Settings())
    first = [p for p in planned if p.ref == "1"]
    assert [p.unit.code for p in first] == ["BGD"]
    assert "1: giao cho cả Sở (“Sở Khoa học và Công nghệ”): Ban Giám đốc cần phân công đơn vị thực hiện" in warnings
    assert not any("không tìm thấy đơn vị “Sở Khoa học và Công nghệ”" in w for w in warnings)


def test_a_deadline_not_read_is_kept_for_review():
    notice = read_notice(CORPUS / "09-han-ngay-le.txt")
    task = next(t for t in notice.tasks if t.ref == "3.2")
    assert task.deadline is None
    assert task.unread_deadlines == ["Gửi báo cáo tổng kết trước ngày 30/02/2026."]
    assert "chưa đọc được thời hạn “trước ngày 30/02/2026”: cần xem lại" in task.warnings


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword (Debian) is not installed")
def test_a_legacy_word_file_reads_like_its_text():
    """tests/notices/legacy/ holds corpus letter 03 saved as Word 97-2003 (.doc) by LibreOffice."""
    legacy = Path(__file__).parent / "legacy" / "03-cong-van-truyen-dat.doc"
    notice = read_notice(legacy)
    answer = expected(CORPUS / "03-cong-van-truyen-dat.txt")
    assert (notice.kind, notice.notice.to_dict()["issued_on"]) == (answer["kind"], answer["issued_on"])
    assert [as_read(task) for task in notice.tasks] == answer["tasks"]
