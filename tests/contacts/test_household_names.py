"""Which member of a shared phone's household a text names, nicknames of several words included."""

from __future__ import annotations

import pytest

from bot.contacts.names import Person, named_in
from bot.contacts.service import ContactInputError, check_nickname

FAMILY = [Person(1, "Fatima Hassan", "Umm Ali"), Person(2, "Ali Hassan"), Person(3, "Omar Hassan", "Mo")]


@pytest.mark.parametrize(("text", "who"), [
    ("umm ali er syg i dag", 1),
    ("Umm Ali mareeda", 1),
    ("ali er syg", 2),
    ("Mo er syg", 3),
    ("omar syg", 3),
])
def test_a_nickname_of_several_words_names_its_person(text: str, who: int) -> None:
    assert named_in(text, FAMILY) == who


def test_a_text_naming_nobody_is_asked_about() -> None:
    assert named_in("jeg er syg", FAMILY) is None


def test_a_nickname_may_be_up_to_three_words_and_no_longer() -> None:
    assert check_nickname("  Umm   Ali ") == "Umm Ali"
    assert check_nickname("Abu Omar Hassan") == "Abu Omar Hassan"
    assert check_nickname("") is None
    with pytest.raises(ContactInputError):
        check_nickname("the one who lives with us")
