"""Text normalisation shared by intent matching and date parsing.

People type on whatever keyboard they have: without diacritics, with Eastern Arabic or Persian
digits, with Arabic or Persian letter variants. Keywords and messages go through the same
function so that those differences disappear before matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Eastern Arabic (U+0660..) and Persian (U+06F0..) digits read as Western digits.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
# Ethiopic numerals (Tigrinya): ፩..፱ are 1..9, ፲..፺ are 10..90. They are not decimal digits, so
# int() refuses them: they are turned into Western digits before anything reads a number.
_ETHIOPIC = {0x1369 + i: str(i + 1) for i in range(9)} | {0x1372 + i: str(10 * (i + 1)) for i in range(9)}

# Arabic-script letter variants that people use interchangeably; Persian forms are the target.
_ARABIC_UNIFY = {
    ord("ي"): "ی",
    ord("ى"): "ی",
    ord("ئ"): "ی",
    ord("ۍ"): "ی",
    ord("ې"): "ی",
    ord("ك"): "ک",
    ord("ة"): "ه",
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ؤ"): "و",
    ord("ـ"): None,  # tatweel
    0x200C: None,  # zero-width non-joiner inside Persian words
    0x200D: None,
}

# Letters that NFKD does not split but people type without: Danish and Kurmanji keyboards.
_LATIN_FOLD = {
    ord("æ"): "ae",
    ord("ø"): "o",
    ord("ß"): "ss",
    ord("ı"): "i",
    ord("ʼ"): "",
    ord("'"): "",
    ord("’"): "",
}

# A thumbs-up or a tick answers "are you coming?" as "ok" does; other emojis carry no answer.
_EMOJI = {ord("👍"): " ok ", ord("👌"): " ok ", ord("✅"): " ok ", ord("✔"): " ok "}

_TRANSLATE = _DIGITS | _ETHIOPIC | _ARABIC_UNIFY | _LATIN_FOLD | _EMOJI
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
# "I'll be there" is not "ill": the English future is spelt out before apostrophes go.
_WILL = re.compile(r"(?<=\w)['’]ll\b")
# ... and without the apostrophe, before a verb: "ill be late", "ill come" (not "ill, be back").
_ILL_WILL = re.compile(r"\bill (?=(?:be|come|call|try|go|see|send|write|make|text|bring|stay|get)\b)")
# Clipped spellings of one word, typed to save letters: read as the word, so "kan ik komme" is
# "kan ikke komme" for every list and rule. Only words no supported language uses otherwise.
_SPELLINGS = {"ik": "ikke", "ikk": "ikke", "ike": "ikke", "ikkr": "ikke", "ikek": "ikke", "ikkke": "ikke"}


def to_western_digits(text: str) -> str:
    return text.translate(_DIGITS | _ETHIOPIC)


def number(token: str) -> int | None:
    """The whole number a normalised token is, or None (also for digits int() cannot read)."""
    if token.isascii() and token.isdigit() and len(token) < 6:
        return int(token)
    return None


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case, Western digits, no diacritics or Arabic vowel marks, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ILL_WILL.sub("i will ", _WILL.sub(" will", text)).translate(_TRANSLATE)
    # Drop combining marks (Latin accents, Arabic harakat) but keep the base letters.
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", stripped).replace("_", " ").split()
    return " ".join(_SPELLINGS.get(word, word) for word in words)
