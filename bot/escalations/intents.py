"""What an employer's text is about: phrase matching in Danish and English (rapidfuzz), with rules.

Phrases are matched on whole words after folding case and Danish letters, so "ring" never
matches inside "rekruttering"; longer phrases also tolerate a typo or two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "'": "", "’": ""})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
FUZZY_MIN_LENGTH = 8  # shorter phrases must match exactly: a typo in "ring" is another word
FUZZY_THRESHOLD = 90.0


class Intent(StrEnum):
    no_show = "no_show"  # the intern did not come today
    problem = "problem"  # a problem with the intern or the placement
    recruitment = "recruitment"
    contact = "contact"  # wants a person to get in touch
    yes = "yes"
    no = "no"


def normalise(text: str) -> str:
    """Lower case, Danish letters folded, accents and punctuation gone, single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


PHRASES: Mapping[Intent, Mapping[str, Sequence[str]]] = {
    Intent.no_show: {
        "da": (
            "ikke mødt",
            "ikke mødt op",
            "mødte ikke",
            "mødte ikke op",
            "kom ikke",
            "er ikke kommet",
            "ikke kommet",
            "udeblev",
            "udeblevet",
            "dukkede ikke op",
            "ikke dukket op",
            "ikke her i dag",
            "ikke på arbejde",
            "er væk i dag",
            "fravær i dag",
            "ikke mødt ind",
            "mødte ikke ind",
            "ikke kommet i dag",
            "ikke kommet på arbejde",
        ),
        "en": (
            "didnt come",
            "did not come",
            "didnt show",
            "did not show",
            "no show",
            "not shown up",
            "hasnt shown up",
            "has not shown up",
            "not turned up",
            "didnt turn up",
            "did not turn up",
            "not here today",
            "not at work today",
            "hasnt come",
            "has not come",
            "absent today",
            "never showed up",
            "didnt turn up",
            "did not come to work",
            "hasnt come in",
        ),
    },
    Intent.problem: {
        "da": (
            "problem",
            "problemer",
            "fungerer ikke",
            "virker ikke",
            "går ikke",
            "konflikt",
            "utilfreds",
            "klage",
            "bekymret",
            "samarbejdet",
            "opfører sig",
            "for sent",
            "kommer for sent",
            "stoppe praktikken",
            "afbryde",
            "afbryder",
            "afslutte",
            "afslutter",
            "afslutte praktikken",
            "ikke tilfredse",
            "skændes",
            "uenighed",
            "til tiden",
            "udfordringer",
            "følger ikke",
            "laver ikke noget",
            "forstår ikke",
            "går ikke så godt",
            "udfordring",
            "bekymrede",
            "lytter ikke",
        ),
        "en": (
            "problem",
            "problems",
            "issue",
            "not working",
            "isnt working",
            "doesnt work",
            "conflict",
            "complaint",
            "unhappy",
            "worried",
            "behaviour",
            "behavior",
            "always late",
            "keeps coming late",
            "stop the placement",
            "terminate",
            "end the placement",
            "end the internship",
            "stop the internship",
            "not satisfied",
            "argument",
            "late",
            "on time",
            "does not follow",
            "doesnt follow",
        ),
    },
    Intent.recruitment: {
        "da": (
            "rekruttere",
            "rekruttering",
            "ansætte",
            "ansættelse",
            "ny medarbejder",
            "nye medarbejdere",
            "ledig stilling",
            "ledige stillinger",
            "mangler folk",
            "mangler hænder",
            "ny praktikant",
            "flere praktikanter",
            "søger en",
            "søger folk",
            "job til",
            "stilling",
            "medarbejdere",
            "medarbejder til",
            "kandidat",
            "kandidater",
            "lagerfolk",
            "løntilskud",
            "flere folk",
            "lagermedarbejder",
            "lagermedarbejdere",
        ),
        "en": (
            "recruit",
            "recruiting",
            "recruitment",
            "hire",
            "hiring",
            "new employee",
            "new staff",
            "vacancy",
            "vacancies",
            "job opening",
            "need people",
            "new intern",
            "more interns",
            "looking for staff",
            "looking for workers",
            "position",
            "candidate",
            "candidates",
            "workers",
            "we need people",
            "wage subsidy",
        ),
    },
    Intent.contact: {
        "da": (
            "ring til mig",
            "ring mig op",
            "ringe til mig",
            "kontakt mig",
            "tale med",
            "snakke med",
            "min konsulent",
            "vores konsulent",
            "en person",
            "et menneske",
        ),
        "en": (
            "call me",
            "phone me",
            "ring me",
            "contact me",
            "talk to",
            "speak to",
            "speak with",
            "my consultant",
            "our consultant",
            "a person",
            "a human",
            "call back",
        ),
    },
    Intent.yes: {
        "da": ("1", "ja", "ja tak", "gerne", "ok", "jo"),
        "en": ("1", "yes", "yes please", "ok", "sure", "please"),
    },
    Intent.no: {
        "da": ("2", "nej", "nej tak", "ikke nødvendigt"),
        "en": ("2", "no", "no thanks", "not needed"),
    },
}

QUESTION_WORDS = frozenset(
    {
        "hvad",
        "hvordan",
        "hvem",
        "hvornar",
        "hvor",
        "hvorfor",
        "hvilken",
        "hvilke",
        "kan",
        "ma",
        "skal",
        "er",
        "far",
        "what",
        "how",
        "who",
        "when",
        "where",
        "why",
        "which",
        "can",
        "may",
        "do",
        "does",
        "is",
        "are",
        "should",
        "must",
    }
)


def _contains_phrase(text: str, phrase: str) -> bool:
    padded = f" {text} "
    if f" {phrase} " in padded:
        return True
    if len(phrase) < FUZZY_MIN_LENGTH:
        return False
    # Typos in longer phrases: compare against word windows of the same length.
    return fuzz.partial_ratio(phrase, text) >= FUZZY_THRESHOLD and _word_aligned(text, phrase)


def _word_aligned(text: str, phrase: str) -> bool:
    words = text.split()
    size = len(phrase.split())
    windows = (" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))
    return any(fuzz.ratio(phrase, window) >= FUZZY_THRESHOLD for window in windows)


@dataclass(frozen=True)
class IntentMatch:
    intent: Intent
    phrase: str


def _normalised_phrases(intent: Intent) -> Iterable[str]:
    for phrases in PHRASES[intent].values():
        for phrase in phrases:
            yield normalise(phrase)


def _phrase(text: str, intent: Intent) -> IntentMatch | None:
    normalised = normalise(text)
    if not normalised:
        return None
    for phrase in _normalised_phrases(intent):
        if _contains_phrase(normalised, phrase):
            return IntentMatch(intent, phrase)
    return None


def matches(text: str, intent: Intent) -> IntentMatch | None:
    """A phrase of ``intent`` in the text; a no-show only when that is the message's reading.

    "han møder ikke til tiden" holds "møder ikke" but is about lateness, a problem: the no-show
    answer is given only when ``classify`` reads the message as a no-show.
    """
    found = _phrase(text, intent)
    if found is not None and intent is Intent.no_show and classify(text) is not Intent.no_show:
        return None
    return found


def is_exactly(text: str, intent: Intent) -> bool:
    """The whole message is one of the intent's phrases (a menu answer such as "1" or "ja")."""
    normalised = normalise(text)
    return any(normalised == phrase for phrase in _normalised_phrases(intent))


def looks_like_question(text: str) -> bool:
    normalised = normalise(text)
    first = normalised.split(" ", 1)[0] if normalised else ""
    return "?" in text or first in QUESTION_WORDS


# Habit, not today's absence: "han møder ikke til tiden", "she is late every morning".
HABITUAL = ("til tiden", "for sent", "hver dag", "altid", "on time", "late", "every", "always", "keeps")
# "der er ingen problemer", "we are not hiring": said to be absent, so not the request.
DENIALS = ("ingen", "ikke brug", "no problems", "not hiring", "no problem", "ikke flere", "ikke mere",
           "not late", "anymore", "er mødt", "did show", "so far")


def classify(text: str) -> Intent | None:
    """The request behind a free-text employer message, most specific first; None if unclear."""
    normalised = f" {normalise(text)} "
    if any(f" {normalise(word)} " in normalised for word in DENIALS):
        return None
    habitual = any(f" {normalise(word)} " in normalised for word in HABITUAL)
    if _phrase(text, Intent.no_show) is not None and not habitual:
        return Intent.no_show
    if _phrase(text, Intent.problem) is not None or habitual:
        return Intent.problem
    for intent in (Intent.recruitment, Intent.contact):
        if _phrase(text, intent) is not None:
            return intent
    return None


__all__ = ["Intent", "IntentMatch", "classify", "is_exactly", "looks_like_question", "matches", "normalise"]
