"""Korean particles follow the sound before them (issue: "N = 4(으)로", "[4, 6]이(가)" read as machine text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gradcheck.report.messages import CATALOGUES, message
from gradcheck.report.messages.josa import attach, final_sound

SYLLABLES = st.integers(0xAC00, 0xD7A3).map(chr)


@given(SYLLABLES)
def test_a_hangul_word_takes_the_particle_of_its_last_sound(syllable):
    final = (ord(syllable) - 0xAC00) % 28
    subject = attach(f"{syllable}이(가)")
    assert subject == syllable + ("이" if final else "가")
    towards = attach(f"{syllable}(으)로")
    assert towards == syllable + ("으로" if final not in (0, 8) else "로")  # ㄹ takes 로, as 길로


def test_numbers_letters_and_names_as_a_korean_reader_says_them():
    assert attach("N = 4(으)로") == "N = 4로"
    assert attach("N = 3(으)로") == "N = 3으로"
    assert attach("N = 8(으)로") == "N = 8로"  # 팔로
    assert attach("[4, 6]이(가)") == "[4, 6]이"
    assert attach("dx을(를)") == "dx를"
    assert attach("params['W1']와(과)") == "params['W1']과"
    assert attach("Affine은(는)") == "Affine은"
    assert attach("layers은(는)") == "layers는"
    assert attach("`self.out`(으)로") == "`self.out`으로"  # 아웃으로
    assert attach("`dout`을(를)") == "`dout`을"
    assert attach("mask을(를)") == "mask를"  # 마스크를


def test_where_the_sound_is_unknown_both_forms_stay():
    assert final_sound("→") is None
    assert attach("→이(가)") == "→이(가)"


def test_no_rendered_korean_message_keeps_a_pair_after_a_word_or_number():
    samples = {"name": "dW", "n": 4, "path": "layers.py", "where": "Affine.backward", "got": [4, 6], "want": [6, 4],
               "label": "책의 Momentum", "labels": "Keras", "value": 2.5, "steps": 3, "var": "w", "lr": 0.1}
    leftovers = []
    for key in CATALOGUES["ko"]:
        text = message(key, "ko", **samples)
        if any(pair in text for pair in ("이(가)", "을(를)", "은(는)", "와(과)", "(으)로")):
            leftovers.append((key, text))
    assert leftovers == []


def test_english_counts_of_one_are_singular():
    assert message("label.checked_full", "en", n=1) == "checked all 1 element"
    assert message("label.checked_full", "en", n=12) == "checked all 12 elements"
    assert "kink (no derivative exists there): 1 element," in message("label.kinks", "en", n=1)
    assert "kink (no derivative exists there): 3 elements," in message("label.kinks", "en", n=3)


def test_korean_reports_name_the_mode_and_the_chain_rule_in_korean():
    from gradcheck.report.model import CheckResult, GradientCheck
    from gradcheck.symbolic.derive import derive
    from gradcheck.symbolic.render import render_derivation

    text = CheckResult("Affine", [GradientCheck("dx", True, "full", 3)], mode="trajectory").render("ko")
    assert "궤적 비교" in text and "trajectory" not in text
    steps = render_derivation(derive("2*z**2 - z + 2", "x", ["z=y**2", "y=2*x+3"]), steps=True, lang="ko")
    assert steps.startswith("연쇄 법칙: ") and "chain rule" not in steps
