"""Which supported language a first message is written in.

Script first (Ethiopic is Tigrinya, Cyrillic is Ukrainian, Arabic script is Arabic, Farsi or
Pashto by their own letters), then the words we know in each language (this also catches
Latin transliteration such as "ana mareed"), then lingua's offline models restricted to the
supported languages it has. The answer is only a guess: the responder confirms it with a
one-line numbered menu.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.flows.intents import classify

PASHTO_LETTERS = frozenset("ټډړښږځڅڼۍېګ")
PERSIAN_LETTERS = frozenset("پچژگکی")
ARABIC_ONLY_LETTERS = frozenset("ةىيكأإؤ")
MIN_LINGUA_CONFIDENCE = 0.6
MIN_LETTERS = 8


def _script_guess(text: str) -> str | None:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    if any(0x1200 <= ord(ch) <= 0x139F for ch in letters):
        return "ti"
    if any(0x0400 <= ord(ch) <= 0x04FF for ch in letters):
        return "uk"
    if any(0x0600 <= ord(ch) <= 0x06FF for ch in letters):
        found = set(letters)
        if found & PASHTO_LETTERS:
            return "ps"
        if found & PERSIAN_LETTERS and not found & ARABIC_ONLY_LETTERS:
            return "fa"
        return "ar"
    return None


@lru_cache(maxsize=1)
def _lingua() -> tuple[Any, dict[Any, str]]:
    # Models ship inside the wheel; nothing is downloaded.
    from lingua import Language, LanguageDetectorBuilder

    codes = {
        Language.DANISH: "da",
        Language.ENGLISH: "en",
        Language.SOMALI: "so",
    }
    detector = LanguageDetectorBuilder.from_languages(*codes).build()
    return detector, codes


def detect(text: str) -> str | None:
    """The most likely supported language of ``text``, or None when there is no sign."""
    by_script = _script_guess(text)
    if by_script in ("ti", "uk", "ps"):
        return by_script
    match = classify(text)
    if match.language and by_script in ("ar", "fa") and match.language in ("ar", "fa", "ps"):
        return match.language
    if by_script:
        return by_script
    if match.language and match.confident:
        # Words we know in one language only ("ana mareed", "ez nexweş im"). lingua has no
        # Kurmanji and no transliterated Arabic or Farsi, so it would guess wrong here.
        return match.language
    by_model = _lingua_guess(text)
    return by_model or match.language


def _lingua_guess(text: str) -> str | None:
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return None
    detector, codes = _lingua()
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < MIN_LINGUA_CONFIDENCE:
        return None
    return codes.get(values[0].language)
