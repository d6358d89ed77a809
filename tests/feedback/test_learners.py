"""Every learner file of the corpus is told its mistake as the edit that fixes it, at its line, in English and
Korean; the correct file passes with no fix named; a report of one mistake stays short."""

from __future__ import annotations

import pytest

from learners_corpus import FOLDER, judge, learners, text_of

LEARNERS = learners()


def test_the_corpus_lists_every_file_and_covers_the_families():
    listed = {learner.path for learner in LEARNERS}
    assert listed == {p.name for p in FOLDER.glob("*.py")}
    assert len([learner for learner in LEARNERS if not learner.correct]) >= 25


@pytest.mark.parametrize("learner", LEARNERS, ids=[learner.path for learner in LEARNERS])
def test_the_fix_is_named_at_the_learners_line(learner):
    judged = judge(learner)
    if learner.correct:
        assert judged.report.passed and judged.fixes == [], text_of(judged)
        return
    assert not judged.report.passed
    assert judged.named, (judged.fix_lines, judged.fixes, text_of(judged))


def test_a_one_mistake_report_is_short_and_says_the_fix_in_korean():
    sigmoid = next(learner for learner in LEARNERS if learner.path == "book_sigmoid_sign.py")
    judged = judge(sigmoid, "ko")
    text = text_of(judged, "ko")
    assert "검증된 수정: Sigmoid.backward의 14번째 줄: `1.0 + self.out` 대신 `1.0 - self.out`으로 쓰면" in text
    assert len(text_of(judged).splitlines()) <= 15
