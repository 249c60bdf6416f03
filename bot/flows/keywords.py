"""The keyword lexicon: per-language phrases, found exactly or with rapidfuzz for typos.

The lists live in ``bot/flows/lexicon/intents/<language>.yaml`` and cover typos, missing
diacritics and Latin transliteration. Every language is loaded at once, so a message in another
supported language than the contact's still works. This module only finds where known phrases
occur; what they mean together (negation, whose illness, the confidence) is decided in
``bot/flows/intents.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.flows.normalize import normalise
from bot.flows.yaml_loader import load_yaml

DATA_DIR = Path(__file__).parent / "lexicon"
INTENTS: tuple[str, ...] = (
    "sick",
    "better",
    "yes",
    "no",
    "next_appointment",
    "help",
    "stop",
    "start",
    "language",
    "person",
)
# Fuzzy candidates below this score are ignored altogether.
FUZZY_CUTOFF = 78.0
# In a phrase of several words matched with typos, each word this close to its own.
WORD_CUTOFF = 70.0
# Two words joined match a one-word phrase only this closely ("ez xweş" is not "nexweş").
JOINED_CUTOFF = 92.0
# Words shorter than this are matched exactly only: "na" and "ja" are one typo apart.
MIN_FUZZY_LENGTH = 4
MAX_GRAM = 4


@dataclass(frozen=True)
class Hit:
    """A known phrase found at tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    intent: str
    languages: frozenset[str]
    score: float
    negated: bool = False  # a typo match that adds or drops a negation: the phrase's opposite


def script_of(text: str) -> str:
    for ch in text:
        code = ord(ch)
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x08FF:
            return "arabic"
        if 0x0400 <= code <= 0x04FF:
            return "cyrillic"
        if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
            return "ethiopic"
        if ch.isalpha():
            return "latin"
    return "other"


class Lexicon:
    """Every language's keywords, indexed for exact lookup and for fuzzy matching by script."""

    def __init__(self, entries: dict[str, dict[str, list[str]]], names: dict[str, list[str]]) -> None:
        exact: dict[str, dict[str, set[str]]] = {}
        for language, intents in entries.items():
            for intent, phrases in intents.items():
                if intent not in INTENTS:
                    raise ValueError(f"unknown intent {intent!r} in {language}.yaml")
                for phrase in phrases:
                    key = normalise(str(phrase))
                    if key:
                        exact.setdefault(key, {}).setdefault(intent, set()).add(language)
        self.exact: dict[str, list[tuple[str, frozenset[str]]]] = {
            key: [(intent, frozenset(langs)) for intent, langs in by_intent.items()]
            for key, by_intent in exact.items()
        }
        self.by_script: dict[str, list[str]] = {}
        for key in self.exact:
            if len(key) >= MIN_FUZZY_LENGTH:
                self.by_script.setdefault(script_of(key), []).append(key)
        self._candidates: dict[tuple[str, int, int], list[str]] = {}
        self.names: dict[str, str] = {}
        for language, spellings in names.items():
            for spelling in spellings:
                self.names[normalise(str(spelling))] = language

    def candidates(self, script: str, length: int, words: int = 1) -> list[str]:
        """Keywords of ``words`` words that could reach FUZZY_CUTOFF against ``length`` characters.

        fuzz.ratio is 2*matches/(len_a+len_b), so a much shorter or longer keyword can never
        reach the cutoff; leaving those out keeps fuzzy matching cheap. A typo is inside words:
        "er blevet" is not "er blevet syg" with a letter missing, it lacks the word that matters.
        """
        key = (script, length, words)
        found = self._candidates.get(key)
        if found is None:
            ratio = FUZZY_CUTOFF / (200.0 - FUZZY_CUTOFF)
            low, high = length * ratio, length / ratio
            found = [
                k for k in self.by_script.get(script, ())
                if low <= len(k) <= high and k.count(" ") == words - 1
            ]
            self._candidates[key] = found
        return found

    def hits(self, tokens: list[str], negators: frozenset[str] = frozenset(),
             plain: frozenset[str] = frozenset(), morphemes: tuple[str, ...] = ()) -> list[Hit]:
        """Known phrases in ``tokens``; a typo match never swallows a negation.

        "بهتر نیستم" (I am not better) is two letters from "بهتر هستم" (I am better): a fuzzy
        match that adds or drops a negating word (``negators``) is refused, so the word stays
        outside the phrase where the scope rules read it. One that adds or drops a negating start
        of a word (``morphemes``: "mitonam" (I can) / "nemitonam" (I can't), "xweş" (well) /
        "nexweş" (sick)) is the phrase negated. Words in ``plain`` (day names) are
        never read as a typo of a phrase: "bukra" is tomorrow, not a misspelt illness.
        """
        found: list[Hit] = []
        covered: set[int] = set()
        count = len(tokens)
        for size in range(min(MAX_GRAM, count), 0, -1):
            for start in range(count - size + 1):
                gram = " ".join(tokens[start : start + size])
                for intent, langs in self.exact.get(gram, ()):
                    found.append(Hit(start, start + size, intent, langs, 100.0))
                    if size > 1 or len(gram) >= MIN_FUZZY_LENGTH:
                        # A short word ("la": Arabic "no") leaves room for a longer phrase with
                        # a typo around it ("la taliyahayga": Somali "my adviser").
                        covered.update(range(start, start + size))
        # Fuzzy only where nothing matched exactly: the expensive part stays small.
        for size in (2, 1):
            for start in range(count - size + 1):
                span = range(start, start + size)
                if any(i in covered for i in span):
                    continue
                gram = " ".join(tokens[start : start + size])
                if len(gram) < MIN_FUZZY_LENGTH or gram.isdigit() or any(t in plain for t in gram.split()):
                    continue
                best = self._closest(gram, size)
                if size == 2:
                    # "xanuunsan ahay": one word split in two, so nearly exact once joined.
                    joined = self._closest(gram.replace(" ", ""), 1, JOINED_CUTOFF)
                    if joined is not None and (best is None or joined[1] > best[1]):
                        best = joined
                if best is None:
                    continue
                key, score = best
                if _negators_differ(gram, key, negators):
                    continue  # the negating word stays outside, where the scope rules read it
                negated = _morpheme_differs(gram, key, morphemes)
                if not negated and not _each_word_close(gram, key):
                    continue
                for intent, langs in self.exact[key]:
                    found.append(Hit(start, start + size, intent, langs, float(score), negated))
        return found

    def _closest(self, gram: str, words: int, cutoff: float = FUZZY_CUTOFF) -> tuple[str, float] | None:
        candidates = self.candidates(script_of(gram), len(gram), words)
        if not candidates:
            return None
        best = process.extractOne(gram, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
        return None if best is None else (best[0], float(best[1]))


def _each_word_close(gram: str, key: str) -> bool:
    """A typo is in one word or another, not a different word: "عندي موعد" (I have an
    appointment) is not "عندي وجع" (I have pain) though the pair of words is close."""
    if " " not in key:
        return True
    return all(_close(a, b) for a, b in zip(gram.split(), key.split(), strict=False))


def _close(a: str, b: str) -> bool:
    if min(len(a), len(b)) <= 3:
        return a[0] == b[0]  # one letter is much of a short word ("በሉ" for "በል", "im" for "i")
    return fuzz.ratio(a, b) >= WORD_CUTOFF


def _negators_differ(gram: str, key: str, negators: frozenset[str]) -> bool:
    """One side has a negating word and the other not ("مو منيح" for "مش منيح" is a typo)."""
    return any(w in negators for w in gram.split()) != any(w in negators for w in key.split())


def _morpheme_differs(gram: str, key: str, morphemes: tuple[str, ...]) -> bool:
    """A word of one side is the other's with a negating start ("nemitonam" / "mitonam")."""
    if " " in key:
        pairs = list(zip(gram.split(), key.split(), strict=False))
    else:
        pairs = [(gram.replace(" ", ""), key)]
    return any(_prefixed(a, b, morphemes) or _prefixed(b, a, morphemes) for a, b in pairs)


def _prefixed(plain: str, marked: str, morphemes: tuple[str, ...]) -> bool:
    for morpheme in morphemes:
        if (
            marked.startswith(morpheme) and not plain.startswith(morpheme)
            and fuzz.ratio(plain, marked[len(morpheme):]) > fuzz.ratio(plain, marked)
        ):
            return True
    return False


def select(hits: list[Hit]) -> list[Hit]:
    """Non-overlapping hits, longest and surest first: "kan ikke komme" beats "komme"."""
    kept: list[Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start) * h.score, -h.score)):
        span = set(range(hit.start, hit.end))
        if span & taken:
            continue
        kept.append(hit)
        taken |= span
    return sorted(kept, key=lambda h: h.start)


def _load(path: Path) -> dict[str, list[str]]:
    data = load_yaml(path) or {}
    return {str(k): [str(v) for v in values] for k, values in data.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    entries = {path.stem: _load(path) for path in sorted((DATA_DIR / "intents").glob("*.yaml"))}
    # Shared words ("ok", "1", "stop") belong to no one language.
    entries["*"] = entries.pop("shared", {})
    return Lexicon(entries, _load(DATA_DIR / "language_names.yaml"))
