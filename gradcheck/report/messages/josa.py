"""Korean particles chosen by the sound before them: "N = 4로", "[4, 6]이", "dx를", "Affine은", not the
mechanical "4(으)로", "[4, 6]이(가)".  The catalogue writes both forms (이(가), 을(를), 은(는), 와(과), (으)로);
``attach`` picks one from the last sound of the word in front, and keeps both where it cannot tell."""

from __future__ import annotations

import re

_PARTICLE = re.compile(r"(?P<word>[^\s(]+?)(?P<p>이\(가\)|을\(를\)|은\(는\)|와\(과\)|\(으\)로)")
#: (with a final consonant, without one) for each written pair.
_FORMS = {"이(가)": ("이", "가"), "을(를)": ("을", "를"), "은(는)": ("은", "는"), "와(과)": ("과", "와"), "(으)로": ("으로", "로")}
#: Korean readings of the last digit: does it end in a consonant, and is that consonant ㄹ?
_DIGITS = {"0": (True, False), "1": (True, True), "2": (False, False), "3": (True, False), "4": (False, False),
           "5": (False, False), "6": (True, False), "7": (True, True), "8": (True, True), "9": (False, False)}
#: Letter names that end in a consonant when read alone (엘, 엠, 엔, 알); ㄹ for L and R.
_LETTERS = {"l": (True, True), "m": (True, False), "n": (True, False), "r": (True, True)}


def final_sound(word: str) -> tuple[bool, bool] | None:
    """(ends in a consonant, that consonant is ㄹ) for the way a Korean reader says ``word``, or None."""
    core = word.rstrip("'\"])}.,:;`")
    if not core:
        return None
    last = core[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return final != 0, final == 8
    if last.isdigit():
        return _DIGITS[last] if last in _DIGITS else None
    if last.isascii() and last.isalpha():
        lower = core.lower()
        if len(core) == 1 or not core[-2].isalpha():
            return _LETTERS.get(lower[-1], (False, False))  # a letter read by its name: dx, W, b
        if lower.endswith(("ng", "m", "n", "ne", "me")):
            return True, False
        if lower.endswith(("l", "le")):
            return True, True
        if lower[-1] in "tpk" and lower[-2] in "aeiou":
            return True, False  # out, dot, step, back: 아웃, 닷, 스텝, 백
        return False, False
    return None


def _before_aside(text: str, end: int) -> str | None:
    """The word before a closing parenthetical aside: "책의 Momentum (v ← βv - ηg)" is read as "Momentum", so
    the particle after it follows 모멘텀."""
    if end == 0 or text[end - 1] != ")":
        return None
    depth, i = 0, end - 1
    while i >= 0:
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            break
        i -= 1
    head = text[:i].rstrip()
    if i <= 0 or len(head) == i:  # no space before "(": f(x)로 is read as written
        return None
    words = head.split()
    return words[-1] if words else None


def attach(text: str) -> str:
    """``text`` with every written particle pair resolved by the sound before it."""

    def choose(match: re.Match) -> str:
        word, pair = match.group("word"), match.group("p")
        sound = final_sound(_before_aside(text, match.start("p")) or word)
        if sound is None:
            return match.group(0)
        consonant, rieul = sound
        with_final, without = _FORMS[pair]
        if pair == "(으)로":
            return word + (with_final if consonant and not rieul else without)
        return word + (with_final if consonant else without)

    return _PARTICLE.sub(choose, text)
