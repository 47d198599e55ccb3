"""The sample notice read as the clerk reads it: the reference parse, field by field."""

from __future__ import annotations

import json
import textwrap

import docx
import pytest

from notices import read_notice, read_notice_text
from tests.fixtures.notices import (
    SEED_EXPECTED_PATH,
    SEED_TEXT_PATH,
    seed_blocks,
    seed_text,
    write_seed_docx,
    write_seed_pdf,
)

EXPECTED = json.loads(SEED_EXPECTED_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return read_notice(SEED_TEXT_PATH)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    return write_seed_docx(tmp_path_factory.mktemp("notices") / "thong-bao.docx")


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory):
    return write_seed_pdf(tmp_path_factory.mktemp("notices") / "thong-bao.pdf")


def test_header_matches_the_reference(seed):
    assert seed.to_dict()["notice"] == EXPECTED["notice"]


@pytest.mark.parametrize("index", range(len(EXPECTED["tasks"])), ids=[t["ref"] for t in EXPECTED["tasks"]])
def test_task_matches_the_reference(seed, index):
    expected = EXPECTED["tasks"][index]
    task = seed.to_dict()["tasks"][index]
    assert task["ref"] == expected["ref"]
    assert task["unit"] == expected["unit"]
    assert task["assignees"] == expected["assignees"]
    assert task["text"].startswith(expected["text_starts"])
    assert task["deadline"] == expected["deadline"]


def test_no_task_more_or_less(seed):
    assert [t.ref for t in seed.tasks] == [t["ref"] for t in EXPECTED["tasks"]]
    assert seed.warnings == [] and all(t.warnings == [] for t in seed.tasks)


def test_task_text_is_mended_and_plain(seed):
    texts = {task.ref: task.text for task in seed.tasks}
    assert not any("*" in text or "\n" in text for text in texts.values())
    assert "Nghị quyết số 57-NQ/TW của Bộ Chính trị" in texts["1.6"]
    assert "Quản lý khoa học, Văn phòng Sở thực hiện" in texts["6.2"]
    assert texts["1.1"].endswith("trình Giám đốc Sở trong ngày 21/02/2025.")


def test_coordinating_units_are_found(seed):
    coordinating = {task.ref: task.coordinating for task in seed.tasks}
    assert coordinating["6.2"] == ["Phòng Quản lý CN&ĐMST", "Phòng Quản lý khoa học", "Văn phòng Sở"]
    assert coordinating["8.2"] == ["Phòng Quản lý CN&ĐMST", "Trung tâm Nghiên cứu, CGCN&ĐMST"]
    assert coordinating["7.1"] == ["Phòng Kế hoạch – Tài chính"]
    assert coordinating["1.1"] == ["các phòng, đơn vị"] and coordinating["1.3"] == []


def test_json_has_exactly_the_contract_shape(seed):
    data = seed.to_dict()
    assert set(data) == {"notice", "tasks"}
    assert set(data["notice"]) == set(EXPECTED["notice"])
    assert all(set(t) == {"ref", "unit", "assignees", "coordinating", "text", "deadline"} for t in data["tasks"])
    deadlines = [t["deadline"] for t in data["tasks"] if t["deadline"]]
    assert all(set(d) == {"raw", "kind", "date", "time", "start"} for d in deadlines)
    json.dumps(data)  # dates are strings


def test_the_text_pasted_reads_as_the_file(seed):
    assert read_notice_text(seed_text()).to_dict() == seed.to_dict()


@pytest.mark.parametrize("width", [60, 72, 78])
@pytest.mark.parametrize("between", ["\n\n", "\n"], ids=["blank lines", "no blank lines"])
def test_an_e_mail_wrapped_at_a_fixed_width_reads_the_same(seed, width, between):
    wrapped = between.join(
        block if block.startswith("- Ban") else textwrap.fill(block.replace("\f", "").replace("\n", " "), width)
        for block in seed_blocks()
    )
    assert max(len(line) for line in wrapped.splitlines()) <= width
    assert read_notice_text(wrapped).to_dict() == seed.to_dict()


def test_word_file_with_automatic_numbering_reads_the_same(seed, seed_docx):
    document = docx.Document(str(seed_docx))
    numbered = [p for p in document.paragraphs if p.style.name in ("List Number", "List Bullet")]
    assert len(numbered) == 25 and not any(p.text[:1].isdigit() or p.text.startswith("-") for p in numbered)
    assert read_notice(seed_docx).to_dict() == seed.to_dict()


def test_pdf_reads_the_same(seed, seed_pdf):
    assert read_notice(seed_pdf).to_dict() == seed.to_dict()
