"""What an employer's text is about, in Danish and English."""

from __future__ import annotations

import pytest

from bot.escalations.intents import Intent, classify, is_exactly, looks_like_question


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Amal er ikke mødt i dag", Intent.no_show),
        ("praktikanten kom ikke i dag", Intent.no_show),
        ("Omar didn't come today", Intent.no_show),
        ("our intern did not show up this morning", Intent.no_show),
        ("Amal er ikke modt i dag", Intent.no_show),  # no ø on the keyboard
        ("Det fungerer ikke med vores praktikant", Intent.problem),
        ("We have a problem with the intern", Intent.problem),
        ("Vi vil gerne ansætte en ny medarbejder", Intent.recruitment),
        ("we are hiring two people for the warehouse", Intent.recruitment),
        ("Ring til mig når du kan", Intent.contact),
        ("Can my consultant call me", Intent.contact),
        ("Vi holder lukket mellem jul og nytår", None),
        ("rekruttering", Intent.recruitment),
    ],
)
def test_classify(text: str, intent: Intent | None) -> None:
    assert classify(text) == intent


def test_short_words_never_match_inside_longer_ones() -> None:
    # "ring" (call) is inside "rekruttering"; it must not read as a wish to be called.
    assert classify("rekruttering af kokke") == Intent.recruitment


@pytest.mark.parametrize(
    ("text", "intent"), [("1", Intent.yes), ("Ja", Intent.yes), ("2", Intent.no), ("nej tak", Intent.no)]
)
def test_menu_answers(text: str, intent: Intent) -> None:
    assert is_exactly(text, intent)


def test_questions() -> None:
    assert looks_like_question("Hvordan melder jeg fravær")
    assert looks_like_question("insurance?")
    assert not looks_like_question("Amal er syg")
