"""`nhacviec parse FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from tests.fixtures.notices import SEED_EXPECTED_PATH, SEED_TEXT_PATH

EXPECTED = json.loads(SEED_EXPECTED_PATH.read_text(encoding="utf-8"))


def test_json_is_the_contract_on_stdout():
    result = CliRunner().invoke(cli, ["parse", str(SEED_TEXT_PATH), "--json"], obj=object())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["notice"] == EXPECTED["notice"]
    assert [(t["ref"], t["deadline"]) for t in data["tasks"]] == [(t["ref"], t["deadline"]) for t in EXPECTED["tasks"]]
    assert "Quảng Trị" in result.stdout  # not \u-escaped
    assert result.stderr == ""


def test_summary_shows_each_task_and_what_its_deadline_means():
    result = CliRunner().invoke(cli, ["parse", str(SEED_TEXT_PATH)], obj=object())
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Họp ngày 17/02/2025 (tuần 7/2025); chủ trì: Trần Ngọc Lâm; ký: Trần Thị Nhung" in lines
    assert "19 nhiệm vụ:" in lines
    assert "   2.1  Phòng Quản lý CN&ĐMST: lúc 13h30 ngày 18/02/2025 → họp 18/02/2025 13:30" in lines
    assert "   1.2  Văn phòng Sở (Lê Hùng): không có hạn" in lines
    assert "   3.1  Phòng Quản lý khoa học: đầu tháng 3/2025 → 01/03/2025–10/03/2025" in lines


def test_warnings_go_to_stderr_with_json(tmp_path):
    notice = tmp_path / "hai-han.md"
    notice.write_text(
        SEED_TEXT_PATH.read_text(encoding="utf-8").replace(
            "hoàn thành trước 15/3/2025.", "báo cáo trước 10/3/2025, hoàn thành trước 15/3/2025."
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["parse", str(notice), "--json"], obj=object())
    assert result.exit_code == 0
    task = json.loads(result.stdout)["tasks"][5]
    assert task["deadline"]["raw"] == "trước 15/3/2025"
    assert result.stderr.startswith("cảnh báo: 1.6: có 2 thời hạn")


def test_a_missing_file_is_one_line_and_a_failure(tmp_path):
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "khong-co.docx")], obj=object())
    assert result.exit_code == 1
    assert result.stderr == "Error: khong-co.docx: không tìm thấy tệp\n"


def test_the_kind_and_the_deadlines_not_read_are_shown_but_not_in_the_json():
    notice = Path(__file__).parent / "corpus" / "09-han-ngay-le.txt"
    shown = CliRunner().invoke(cli, ["parse", str(notice)], obj=object())
    assert "Loại văn bản: thông báo kết luận; dòng tiêu đề: THÔNG BÁO" in shown.stdout
    assert "        ? chưa đọc được hạn: Hoàn thiện hồ sơ lưu trữ vào cuối kỳ." in shown.stdout.splitlines()
    as_json = CliRunner().invoke(cli, ["parse", str(notice), "--json"], obj=object())
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    assert set(data) == {"notice", "tasks"} and set(data["notice"]) == set(EXPECTED["notice"])
    assert all(set(t) == {"ref", "unit", "assignees", "coordinating", "text", "deadline"} for t in data["tasks"])
    assert "cảnh báo: 3.3: chưa đọc được hạn trong câu: Hoàn thiện hồ sơ lưu trữ vào cuối kỳ." in as_json.stderr
