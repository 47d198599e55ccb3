"""Reading time grows no faster than the text: on the shapes that once made the reader look back
over the text at every match (one line of 128 KB took 41 s), and on shapes built at random from
a notice's own words, a text 4 and 16 times longer takes about 4 and 16 times as long."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile import HEAD, SHAPES
from notices import NoticeError, read_notice_text


def reading_time(text: str) -> float:
    """The best of a few readings, in this process's CPU time (other processes on a busy machine
    do not count)."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        try:
            read_notice_text(text)
        except NoticeError:
            pass
        best = min(best, time.process_time() - started)
    return best


def assert_linear(build, n: int) -> None:
    """Times at 1x, 4x and 16x: a linear reader takes 4x and 16x as long (quadratic: 16x and
    256x). The bound leaves room for a busy machine; a few milliseconds absorb the fixed costs."""
    one, four, sixteen = (reading_time(build(n * k)) for k in (1, 4, 16))
    slack = 0.005
    assert four <= 10 * one + slack, (one, four)
    assert sixteen <= 48 * one + slack, (one, sixteen)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_worst_shapes_read_in_linear_time(shape):
    assert_linear(SHAPES[shape], 40 if shape in ("paragraphs", "people") else 150)


PIECES = st.sampled_from([
    "Giao", "Văn phòng Sở", "đồng chí Lê Hùng", ",", ";", ":", "phối hợp với", "các phòng:", "chủ trì",
    "trước ngày", "21/02/2025", "lúc 13h30 ngày", "quý II/2025", "tháng 3", "từ", "31/7 –", "hằng tháng",
    "(8h30)", "\n", "\n- ", "\n1. ", "hoàn thành", "báo cáo", "và", "Phòng Kế hoạch - Tài chính", "*", "ngày",
])


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=2, max_size=8).map(" ".join))
def test_any_repeated_shape_reads_in_linear_time(piece):
    assert_linear(lambda n: HEAD + "1. Văn phòng Sở: " + (piece + " ") * n, 60)
