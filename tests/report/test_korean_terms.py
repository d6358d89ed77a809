"""The Korean catalogue keeps to its list of terms: no English sentence left inside a Korean one, one word for
the upstream gradient, NaN said as NaN, and the first ordinals in words."""

from __future__ import annotations

import re

import pytest

from gradcheck.report.messages import CATALOGUES, message

KO = CATALOGUES["ko"]
#: English that a Korean reader found inside Korean sentences, and the replaced variants of one term.
NOT_IN_KOREAN = ("multiply", "divide", "its variables", "returns only", "use the", "instead of", "truth table",
                 "times the right value", "위층에서 온", "에서 수가 아닙니다", "모드 전체", "모드 궤적")


@pytest.mark.parametrize("key", sorted(KO))
def test_no_english_sentence_or_retired_term_in_a_korean_message(key):
    text = KO[key]
    assert not any(word in text for word in NOT_IN_KOREAN), (key, text)


def test_every_english_message_has_a_korean_one():
    assert sorted(set(CATALOGUES["en"]) - set(KO)) == []


def test_upstream_gradient_is_one_term_everywhere():
    assert any("상류 기울기" in t for t in KO.values())
    assert not any("위층" in t for t in KO.values())


def test_ordinals_and_factors_read_as_written():
    assert message("optim.first_step", "ko", step=1, key="W1").startswith("첫 번째 단계")
    assert message("optim.first_step", "ko", step=12, key="W1").startswith("12번째 단계")
    assert "20배" in message("diag.factor", "ko", factor=20) and "20.0" not in message("diag.factor", "ko", factor=20)
    assert re.search(r"NaN", message("label.worst_not_finite", "ko", where="[0]", expected=1.0, got="nan"))
