"""Which member of a household a text names: "Omar er syg", "omr er syg", "Mo er syg".

A family sharing one phone writes the person's first name (or what they call them) in the text.
Typos are forgiven with rapidfuzz, but only for words long enough to tell apart and only when
one person is clearly closer than the others: a wrong guess would record one person's sick
notice for another, so an unclear text is asked about instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.flows.normalize import normalise

# Below this a word is a typo of nothing in particular; names shorter than MIN_LENGTH must match.
CUTOFF = 80.0
MIN_LENGTH = 4


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    nickname: str | None = None

    def calls(self) -> set[str]:
        words = {normalise(self.name.split()[0])} if self.name.split() else set()
        if self.nickname:
            words.add(normalise(self.nickname))
        return {word for word in words if word}


def _score(word: str, call: str) -> float:
    if word == call:
        return 100.0
    if len(call) < MIN_LENGTH or len(word) < MIN_LENGTH - 1:
        return 0.0
    return float(fuzz.ratio(word, call))


def _phrases(words: list[str], call: str) -> list[str]:
    size = max(1, len(call.split()))
    return [" ".join(words[i : i + size]) for i in range(max(0, len(words) - size + 1))]


def named_in(text: str, people: Sequence[Person]) -> int | None:
    """The id of the one person ``text`` names, or None when it names nobody or is unclear."""
    words = [word for word in normalise(text or "").split() if len(word) >= 2 and not word.isdigit()]
    # (words in the call that matched, score): "umm ali er syg" names the mother called Umm Ali,
    # not her son Ali, although his name is one of its words.
    best: dict[int, tuple[int, float]] = {}
    for person in people:
        found = [(len(call.split()), _score(phrase, call))
                 for call in person.calls() for phrase in _phrases(words, call)]
        found = [item for item in found if item[1] >= CUTOFF]
        if found:
            best[person.id] = max(found)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1]))
    if len(ranked) > 1 and ranked[1][1][0] == ranked[0][1][0] and ranked[1][1][1] >= ranked[0][1][1] - 5:
        return None  # two names about as close: ask rather than guess
    return ranked[0][0]


def choice_in(text: str, count: int) -> int | None:
    """The number 1..``count`` a whole answer gives ("2", "٢", "2."), as a 0-based index."""
    answer = normalise(text or "").strip(" .)")
    if answer.isdigit() and 1 <= int(answer) <= count:
        return int(answer) - 1
    return None


__all__ = ["Person", "choice_in", "named_in"]
