"""What a message means: rapidfuzz matching over per-language keyword and phrase lists.

The lists live in ``bot/flows/lexicon/intents/<language>.yaml`` and cover typos, missing
diacritics and Latin transliteration. Every language is loaded at once, so a message in
another supported language than the contact's still works. The confidence threshold below
was measured on ``tests/flows/cases/labelled.yaml`` (see ``bot/flows/README.md``): under it the
engine asks instead of acting, and never creates a sick notice or a cancellation on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
COMMANDS = frozenset({"help", "stop", "start", "language", "person"})
CONTENT = frozenset(INTENTS) - COMMANDS

# Measured on the labelled set (bot/flows/README.md): at and above this score every sick and
# every "no" in the set was right; below it the engine asks a clarifying question.
CONFIDENT = 92.0
# Fuzzy candidates below this score are ignored altogether.
FUZZY_CUTOFF = 78.0
# Words shorter than this are matched exactly only: "na" and "ja" are one typo apart.
MIN_FUZZY_LENGTH = 4
MAX_GRAM = 4
MAX_TOKENS = 24

# When two intents appear together, the first one is what the person means:
# "no, I am sick" is a sick notice, "ok, when is my next appointment" asks for appointments.
DOMINATES: dict[str, frozenset[str]] = {
    "sick": frozenset({"no", "yes", "person", "help"}),
    "better": frozenset({"yes"}),
    "next_appointment": frozenset({"yes", "help"}),
    "no": frozenset({"person", "help"}),
    "yes": frozenset({"help"}),
}


@dataclass(frozen=True)
class Match:
    """The reading of one message."""

    intent: str | None
    confidence: float = 0.0
    language: str | None = None  # the language the matched words belong to, when only one
    ambiguous: tuple[str, ...] = ()  # competing intents when no single reading wins
    whole: bool = False  # the matched phrase is the whole message
    language_choice: str | None = None  # the message is only a language's name
    numbers: tuple[int, ...] = field(default_factory=tuple)

    @property
    def confident(self) -> bool:
        return self.intent is not None and self.confidence >= CONFIDENT


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    intent: str
    languages: frozenset[str]
    score: float


def _script(text: str) -> str:
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
                self.by_script.setdefault(_script(key), []).append(key)
        self._candidates: dict[tuple[str, int], list[str]] = {}
        self.names: dict[str, str] = {}
        for language, spellings in names.items():
            for spelling in spellings:
                self.names[normalise(str(spelling))] = language

    def candidates(self, script: str, length: int) -> list[str]:
        """Keywords that could reach FUZZY_CUTOFF against a word of ``length`` characters.

        fuzz.ratio is 2*matches/(len_a+len_b), so a much shorter or longer keyword can never
        reach the cutoff; leaving those out keeps fuzzy matching cheap.
        """
        key = (script, length)
        found = self._candidates.get(key)
        if found is None:
            ratio = FUZZY_CUTOFF / (200.0 - FUZZY_CUTOFF)
            low, high = length * ratio, length / ratio
            found = [k for k in self.by_script.get(script, ()) if low <= len(k) <= high]
            self._candidates[key] = found
        return found

    def hits(self, tokens: list[str]) -> list[_Hit]:
        found: list[_Hit] = []
        covered: set[int] = set()
        count = len(tokens)
        for size in range(min(MAX_GRAM, count), 0, -1):
            for start in range(count - size + 1):
                gram = " ".join(tokens[start : start + size])
                for intent, langs in self.exact.get(gram, ()):
                    found.append(_Hit(start, start + size, intent, langs, 100.0))
                    covered.update(range(start, start + size))
        # Fuzzy only where nothing matched exactly: the expensive part stays small.
        for size in (2, 1):
            for start in range(count - size + 1):
                span = range(start, start + size)
                if any(i in covered for i in span):
                    continue
                gram = " ".join(tokens[start : start + size])
                if len(gram) < MIN_FUZZY_LENGTH:
                    continue
                candidates = self.candidates(_script(gram), len(gram))
                if not candidates:
                    continue
                best = process.extractOne(
                    gram, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
                )
                if best is None:
                    continue
                key, score, _ = best
                for intent, langs in self.exact[key]:
                    found.append(_Hit(start, start + size, intent, langs, float(score)))
        return found


def _load_yaml(path: Path) -> dict[str, list[str]]:
    data = load_yaml(path) or {}
    return {str(k): [str(v) for v in values] for k, values in data.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    entries = {
        path.stem: _load_yaml(path) for path in sorted((DATA_DIR / "intents").glob("*.yaml"))
    }
    # Shared words ("ok", "1", "stop") belong to no one language.
    entries["*"] = entries.pop("shared", {})
    return Lexicon(entries, _load_yaml(DATA_DIR / "language_names.yaml"))


def _select(hits: list[_Hit]) -> list[_Hit]:
    """Non-overlapping hits, longest and surest first: "kan ikke komme" beats "komme"."""
    kept: list[_Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start) * h.score, -h.score)):
        span = set(range(hit.start, hit.end))
        if span & taken:
            continue
        kept.append(hit)
        taken |= span
    return kept


def numbers_in(text: str) -> tuple[int, ...]:
    """Whole numbers in the message, in any digit system."""
    return tuple(int(token) for token in normalise(text).split() if token.isdigit() and len(token) < 6)


def classify(text: str) -> Match:
    """The intent of ``text`` with a confidence from 0 to 100 (never raises)."""
    norm = normalise(text or "")
    if not norm:
        return Match(None)
    lex = lexicon()
    tokens = norm.split()[:MAX_TOKENS]
    numbers = tuple(int(t) for t in tokens if t.isdigit() and len(t) < 6)
    if norm in lex.names:
        return Match("language", 100.0, None, (), True, lex.names[norm], numbers)
    whole_phrase = lex.exact.get(" ".join(tokens))
    if whole_phrase and len(whole_phrase) == 1:
        # The whole message is one known phrase, however long.
        intent, langs = whole_phrase[0]
        only = set(langs) - {"*"}
        language = next(iter(only)) if len(only) == 1 else None
        return Match(intent, 100.0, language, (), True, None, numbers)
    kept = _select(lex.hits(tokens))
    if not kept:
        return Match(None, numbers=numbers)
    best: dict[str, _Hit] = {}
    for hit in kept:
        if hit.intent not in best or hit.score > best[hit.intent].score:
            best[hit.intent] = hit
    intents = set(best)
    for winner, losers in DOMINATES.items():
        if winner in intents:
            intents -= losers - {winner}
    # A command mixed with content ("I am sick, call me") is content; alone it is the command.
    if intents & CONTENT:
        intents -= COMMANDS
    ranked = sorted(intents, key=lambda i: -best[i].score)
    top = best[ranked[0]]
    if len(ranked) > 1 and best[ranked[1]].score >= FUZZY_CUTOFF:
        return Match(None, max(h.score for h in best.values()), None, tuple(ranked), numbers=numbers)
    languages = set().union(*(h.languages for h in kept)) - {"*"}
    language = next(iter(languages)) if len(languages) == 1 else None
    covered = sum(h.end - h.start for h in kept)
    whole = top.start == 0 and top.end == len(tokens) and covered == len(tokens)
    return Match(top.intent, top.score, language, (), whole, None, numbers)


def is_command(match: Match) -> bool:
    """A global command must be the whole message: "stop" is, "don't stop now" is not."""
    return match.intent in COMMANDS and match.whole and match.confident
