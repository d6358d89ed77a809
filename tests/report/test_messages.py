"""The message catalogues: English and Korean say the same things with the same values."""

import re

import pytest

from gradcheck.report.messages import default_lang, en, ko, message

FIELDS = re.compile(r"{(\w+)[^}]*}")


def test_both_languages_have_every_message():
    assert set(en.MESSAGES) == set(ko.MESSAGES)


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_both_languages_use_the_same_values(key):
    assert set(FIELDS.findall(en.MESSAGES[key])) == set(FIELDS.findall(ko.MESSAGES[key]))


def test_language_from_the_environment(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert default_lang() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert default_lang() == "ko"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_lang() == "en"


def test_a_missing_value_never_breaks_a_report():
    assert message("grad.none", "ko")  # no parameters given: the template is returned rather than an exception
    assert message("no.such.key", "en", a=1).startswith("no.such.key")
