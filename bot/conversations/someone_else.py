"""Is a sick message about someone else? "min søn er syg", "my wife is sick", "ابني مريض".

A parent writing that their child is sick is not reporting their own sickness: recording it as
their sick notice would put a false health record on them and leave the real question (can the
writer come?) unasked. This reads only the relation word; whether the message is about sickness
at all is the classifier's answer. Kept small and on its own: where ``bot.flows.intents`` reads
"someone else" itself (``Match.other_person``, intent ``other_sick``) its reading is taken, and
this word list only covers a classifier without one.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from bot.flows import intents
from bot.flows.normalize import normalise

# Words for a family member, per language, as people write them (with "my" where the language
# glues it on). Latin-script words forgive one typo; other scripts must match.
RELATIONS: dict[str, tuple[str, ...]] = {
    "da": ("søn", "sønnen", "datter", "datteren", "kone", "konen", "mand", "manden", "barn", "barnet",
           "børn", "børnene", "baby", "mor", "far", "hustru", "søster", "bror", "lillebror"),
    "en": ("son", "daughter", "wife", "husband", "child", "kid", "kids", "children", "baby", "mother",
           "mom", "mum", "father", "dad", "brother", "sister"),
    "ar": ("ابني", "ابنتي", "بنتي", "زوجتي", "زوجي", "طفلي", "ولدي", "اولادي", "أمي", "ابي", "أبي",
           "ibni", "binti", "zawjti", "zawjati", "zawji", "tifli", "waladi"),
    "fa": ("پسرم", "دخترم", "همسرم", "شوهرم", "زنم", "بچه‌ام", "بچم", "مادرم", "پدرم"),
    "ps": ("زوی", "لور", "ښځه", "میړه", "ماشوم"),
    "ti": ("ወደይ", "ጓለይ", "ሰበይተይ", "ሰብአየይ", "ቆልዓይ"),
    "so": ("wiilkayga", "wiilkeyga", "gabadhayda", "gabadheyda", "xaaskayga", "xaaskeyga", "ninkayga",
           "ilmahayga", "ilmaheyga", "canugayga", "hooyaday", "aabahay"),
    "uk": ("син", "сина", "донька", "доньки", "дочка", "дружина", "чоловік", "дитина", "мама",
           "мати", "тато", "батько"),
    "ku": ("kurê", "keça", "jina", "mêrê", "zarokê", "zaroka", "diya", "bavê"),
}
CUTOFF = 85.0


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], tuple[str, ...]]:
    exact = frozenset(normalise(word) for words in RELATIONS.values() for word in words)
    latin = tuple(word for word in exact if word.isascii() and len(word) >= 5)
    return exact, latin


def relation_in(text: str) -> str | None:
    """The family word in ``text`` (normalised), or None."""
    exact, latin = _words()
    for token in normalise(text or "").split():
        if token in exact:
            return token
        if token.isascii() and len(token) >= 5:
            for word in latin:
                if fuzz.ratio(token, word) >= CUTOFF:
                    return word
    return None


def about_someone_else(text: str) -> bool:
    """True when ``text`` says a family member (not the writer) is sick."""
    match = intents.classify(text)
    if getattr(match, "other_person", False) or match.intent == "other_sick":
        return True  # the classifier's own reading of "someone else", where it has one
    if relation_in(text) is None:
        return False
    return match.intent == "sick" or "sick" in match.ambiguous


__all__ = ["RELATIONS", "about_someone_else", "relation_in"]
