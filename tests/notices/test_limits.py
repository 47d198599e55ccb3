"""Files built to exhaust the reader are refused in one line, quickly, and leave the caller's
memory as it was: they are read in a worker process within limits (docs/notices.md, "Limits")."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bench.hostile import SHAPES, inflating_docx, many_pages_pdf
from bot.commands.parsing import parse
from notices import Limits, NoticeError, read_notice, read_notice_text
from tests.fixtures.notices import SEED_TEXT_PATH
from tests.notices.test_importer import row_counts

MB = 1024 * 1024


def refusal(path, limits: Limits | None = None) -> str:
    with pytest.raises(NoticeError) as error:
        read_notice(path, limits) if limits else read_notice(path)
    message = str(error.value)
    assert "\n" not in message and message.startswith(path.name)
    return message


def test_a_pdf_of_four_hundred_pages_is_refused_by_its_page_count(tmp_path):
    assert "có 400 trang" in refusal(many_pages_pdf(tmp_path / "dai.pdf", 400))


def test_a_docx_that_unpacks_to_95_mb_is_refused_before_it_is_parsed(tmp_path):
    assert "quá lớn khi giải nén (95 MB)" in refusal(inflating_docx(tmp_path / "bom.docx", 95))


def test_a_docx_within_the_unpacked_size_but_past_the_characters_is_refused(tmp_path):
    assert "quá nhiều chữ (hơn 2.000.000 ký tự)" in refusal(inflating_docx(tmp_path / "dai.docx", 15))


def test_text_past_the_characters_is_refused_in_a_file_and_in_memory(tmp_path):
    path = tmp_path / "dai.txt"
    path.write_text(SHAPES["paragraphs"](40_000), encoding="utf-8")
    assert "quá nhiều chữ" in refusal(path)
    with pytest.raises(NoticeError, match="quá nhiều chữ"):
        read_notice_text(path.read_text(encoding="utf-8"))


def test_smaller_limits_hold_for_pages_time_and_memory(tmp_path):
    assert "tối đa 3 trang" in refusal(many_pages_pdf(tmp_path / "bon.pdf", 4), Limits(pages=3))
    slow = tmp_path / "cham.txt"
    slow.write_text(SHAPES["people"](20_000), encoding="utf-8")
    assert "đọc quá 1 giây, đã dừng" in refusal(slow, Limits(seconds=1))
    many = tmp_path / "nhieu.txt"
    many.write_text(SHAPES["paragraphs"](8_000), encoding="utf-8")
    assert "vượt giới hạn bộ nhớ (16 MB)" in refusal(many, Limits(memory=16 * MB))


def resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096


def test_the_callers_memory_does_not_grow_with_what_it_reads(tmp_path):
    read_notice(SEED_TEXT_PATH)  # the worker server is up
    before = resident()
    # Read whole (20 pages laid out: some 15 MB if read here), then refused as giving no work.
    assert "không tìm thấy nhiệm vụ" in refusal(many_pages_pdf(tmp_path / "dai.pdf", 20))
    for path in (many_pages_pdf(tmp_path / "rat-dai.pdf", 400), inflating_docx(tmp_path / "bom.docx", 95)):
        refusal(path)
    assert resident() - before < 8 * MB


@pytest.mark.parametrize("build", [
    lambda tmp: many_pages_pdf(tmp / "dai.pdf", 400),
    lambda tmp: inflating_docx(tmp / "bom.docx", 95),
], ids=["400 pages", "95 MB unpacked"])
def test_an_over_limit_file_stores_nothing_and_says_so_in_one_line(runner, runtime, directory, tmp_path, build):
    path = build(tmp_path)
    before = row_counts(runtime)
    result = runner.invoke(["import", str(path), "--publish"])
    assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1
    assert row_counts(runtime) == before
    parsed = CliRunner().invoke(parse, [str(path)])
    assert parsed.exit_code != 0 and parsed.stdout == ""
