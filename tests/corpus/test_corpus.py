"""The labelled corpus of learner mistakes: nine reports in ten name the mistake, none names a wrong cause,
and correct files pass without a diagnosis (bench/diagnosis_rate.py prints the same per file)."""

from __future__ import annotations

import pytest

from corpus import entries, judge

ENTRIES = entries()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    where = tmp_path_factory.mktemp("corpus")
    return {e.id: judge(e, where) for e in ENTRIES}


def test_the_corpus_is_large_enough_and_labelled():
    buggy = [e for e in ENTRIES if not e.correct]
    assert len(buggy) >= 60 and len({e.id for e in ENTRIES}) == len(ENTRIES)
    assert all(e.accept for e in buggy) and {e.tree for e in ENTRIES} == {"book", "assignment", "custom"}


def test_nine_failures_in_ten_name_the_mistake(verdicts):
    buggy = [v for v in verdicts.values() if not v.entry.correct]
    missed = [f"{v.entry.id}: {v.said}" for v in buggy if not v.ok]
    assert len(missed) <= len(buggy) // 10, missed


def test_no_report_names_a_wrong_cause(verdicts):
    assert {i: v.wrong_causes for i, v in verdicts.items() if v.wrong_causes} == {}


def test_every_buggy_file_fails_the_labelled_gradient(verdicts):
    assert [i for i, v in verdicts.items() if not v.entry.correct and not v.failed_right_gradient] == []


def test_correct_files_pass_without_a_diagnosis(verdicts):
    assert {i: v.said for i, v in verdicts.items() if v.entry.correct and not v.ok} == {}
