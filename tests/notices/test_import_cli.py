"""`nhacviec import FILE [--publish]`: the review table, idempotence, and bad input refused whole."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
import zipfile

import pytest
from sqlmodel import select

from storage.models import Notice, Task
from tests.conftest import SAMPLES
from tests.fixtures.db import both_databases
from tests.notices.test_importer import SEED, row_counts
from tests.notices.test_structure import INVITATION

ROOT = SAMPLES.parent


@both_databases
def test_import_prints_the_review_and_stores_unpublished(runner, runtime, directory):
    result = runner.invoke(["import", str(SEED)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "20 việc" in lines[0] and "--publish" in lines[0]
    row = {line.split(" | ")[0].strip(): line for line in lines if " | " in line}
    assert row["1.1"].split(" | ")[1].strip() == "Văn phòng Sở"  # written as the directory has it: once
    assert "trong ngày 21/02/2025 → thứ Sáu 21/02/2025 17h" in row["1.1"]
    assert "trước ngày 21/02/2025 → hết ngày thứ Năm 20/02/2025" in row["1.5"]
    assert "Lê Hùng" in row["1.2"] and "Nguyễn Hữu Thắng" in row["1.3"]
    assert "Phòng Quản lý CN&ĐMST → Phòng Quản lý Công nghệ và Đổi mới sáng tạo" in row["2.1"]
    assert "lúc 13h30 ngày 18/02/2025 → họp thứ Ba 18/02/2025 13h30" in row["2.1"]
    centres = [line for line in lines if line.startswith("7.1 ")]
    assert len(centres) == 2 and all("Các đơn vị thuộc Sở → Trung tâm" in line for line in centres)
    with runtime.session() as session:
        assert len(session.exec(select(Task).where(Task.published == False)).all()) == 20  # noqa: E712


@both_databases
def test_import_again_then_publish(runner, runtime, directory):
    assert runner.invoke(["import", str(SEED)]).exit_code == 0
    before = row_counts(runtime)
    again = runner.invoke(["import", str(SEED)])
    assert again.exit_code == 0
    assert "đã được nhập (số 1): không thay đổi gì" in again.output
    assert row_counts(runtime) == before

    published = runner.invoke(["import", str(SEED), "--publish"])
    assert published.exit_code == 0, published.output
    assert published.output.splitlines()[0] == "Thông báo này đã được nhập (số 1). Đã công bố 20 việc."
    with runtime.session() as session:
        assert all(t.published for t in session.exec(select(Task)))
        assert session.get(Notice, 1).published_at is not None
    assert "Đã công bố từ trước" in runner.invoke(["import", str(SEED), "--publish"]).output


def test_a_meeting_without_an_hour_is_not_given_one(runner, directory, tmp_path):
    notice = tmp_path / "hoi-thao.txt"
    notice.write_text(SEED.read_text(encoding="utf-8").replace(
        "hoàn thành trước 15/3/2025.", "phục vụ Hội thảo ngày 20/3/2025."), encoding="utf-8")
    result = runner.invoke(["import", str(notice)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("1.6 "))
    assert row.endswith("| ngày 20/3/2025 → họp thứ Năm 20/03/2025")


def image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(picture, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def corrupt_docx() -> bytes:
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "x" * 2000)
    return good.getvalue()[:300]


BAD_INPUTS = {
    "empty.txt": lambda: b"",
    "scan.pdf": image_only_pdf,
    "recipe.txt": lambda: "Cách nấu phở bò\n\nNinh xương bò trong 6 giờ, thêm quế, hồi.\n".encode(),
    "invitation.txt": lambda: INVITATION.encode(),
    "huge.txt": lambda: SEED.read_bytes() + b" " * (20 * 1024 * 1024),
    "broken.docx": corrupt_docx,
    "cp1258.txt": lambda: unicodedata.normalize("NFD", SEED.read_text(encoding="utf-8")).encode("cp1258", "replace"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_stores_nothing(runner, runtime, directory, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name]())
    before = row_counts(runtime)
    result = runner.invoke(["import", str(path), "--publish"])
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert row_counts(runtime) == before


def test_the_real_command_line_says_what_is_wrong_in_one_line(tmp_path):
    missing = tmp_path / "khong-co.docx"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    subprocess.run([sys.executable, "-m", "bot", "init-db"], cwd=tmp_path, env=env, check=True, capture_output=True)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(missing)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1
    assert "khong-co.docx" in done.stderr
