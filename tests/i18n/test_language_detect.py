from __future__ import annotations

import pytest

from bot.language_detect import detect


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("أنا مريض اليوم", "ar"), ("ana mareed", "ar"), ("من امروز مریض هستم", "fa"),
        ("زه نن ناروغ یم", "ps"), ("ሎሚ ሓሚመ ኣለኹ", "ti"), ("Я хворію сьогодні", "uk"),
        ("waan bukaa maanta", "so"), ("ez nexweş im", "ku"), ("jeg er syg i dag", "da"),
        ("I am sick today", "en"),
        ("Hello, I cannot come tomorrow because my child is ill", "en"),
        ("Hej, jeg kan desværre ikke komme i morgen fordi mit barn er sygt", "da"),
    ],
)
def test_first_messages(text: str, language: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize("text", ["1", "ok", "?", ""])
def test_no_sign_no_guess(text: str) -> None:
    assert detect(text) is None
