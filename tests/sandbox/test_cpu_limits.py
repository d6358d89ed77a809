"""Limits count processor time, not the clock: code that waits (as correct code does on a busy machine) is not
cut short, code that spins is stopped with a sentence naming --timeout, and a request that calls the learner's
code many times (one forward per element) gives each call the whole limit."""

from __future__ import annotations

import time

import pytest

from gradcheck.sandbox.runner import LearnerFault, Limits, Session

SOURCE = '''
import time

def waits(x):
    time.sleep(2.5)          # no processor time: what a descheduled child looks like to the clock
    return x

def spins(x):
    while True:
        pass
'''


def _session(timeout: float) -> Session:
    session = Session(SOURCE, "limits.py", Limits(timeout=timeout))
    session.start()
    return session


def test_code_that_waits_longer_than_the_limit_is_not_stopped():
    session = _session(1.0)
    try:
        assert session.call("waits", 3.0) == 3.0
    finally:
        session.close()


def test_code_that_spins_is_stopped_and_told_how_to_allow_more():
    session = _session(1.0)
    try:
        with pytest.raises(LearnerFault) as raised:
            session.call("spins", 1.0)
    finally:
        session.close()
    assert raised.value.kind == "timeout"
    text = raised.value.note("f").render("en")
    assert "processor time" in text and "--timeout" in text
    assert "--timeout" in raised.value.note("f").render("ko")


def test_each_call_of_a_batched_request_gets_the_whole_limit():
    from gradcheck.sandbox import worker

    calls = []
    with worker.cpu_limit(0.5):
        for _ in range(4):  # 4 x 0.3 s of processor time: over 0.5 s in all, under it for each call
            worker.next_call()
            end = time.process_time() + 0.3
            while time.process_time() < end:
                pass
            calls.append(1)
    assert len(calls) == 4
    with pytest.raises(worker.CPUTimeExceeded):
        with worker.cpu_limit(0.2):
            end = time.process_time() + 2.0
            while time.process_time() < end:
                pass
