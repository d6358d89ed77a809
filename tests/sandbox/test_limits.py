"""The limited child: results come back as JSON; hangs, memory bombs and crashes become outcomes."""

import os

from gradcheck.sandbox.limits import run_limited


def test_result_comes_back():
    out = run_limited(lambda a, b: {"sum": a + b}, 2, 3)
    assert out.ok and out.value == {"sum": 5}


def test_exception_is_reported_not_raised():
    out = run_limited(lambda: 1 / 0)
    assert out.status == "error" and "ZeroDivisionError" in out.detail


def test_infinite_loop_times_out():
    def spin():
        while True:
            pass

    assert run_limited(spin, timeout=0.5).status == "timeout"


def test_memory_bomb_is_stopped():
    out = run_limited(lambda: len(bytearray(8 * 1024**3)), memory_mb=512)
    assert out.status == "memory"


def test_hard_crash_is_reported():
    out = run_limited(lambda: os.abort())
    assert out.status == "crash"


def test_unserialisable_result_is_an_error():
    out = run_limited(lambda: object())
    assert out.status == "error"
