"""What a citizen's message means: one reading per message, shared by every consumer.

Three layers, chosen by measurement on the labelled corpus (``bench/classify.py``):

1. Rules for what must be exact: a language's name, a whole-message command ("STOP"), numbers.
2. The keyword lexicon (``keywords.py``) read clause by clause, with the negation, other-person
   and hypothetical rules of ``scope.py`` on top: they decide, and they can take a reading away.
3. Where the words are not enough (no phrase, a weak typo match, two competing phrases), the
   character n-gram model (``ngram.py``), under the same rules: it never turns a negated, someone
   else's or hypothetical illness into a sick notice.

``classify`` is memoised by text: the global commands, the flow engine, the employer responder
and language detection all read the same ``Match`` object for one message. Under ``CONFIDENT``
the engine asks instead of acting and never creates a sick notice or a cancellation by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.flows import scope
from bot.flows.dates import time_words
from bot.flows.keywords import FUZZY_CUTOFF, INTENTS, Hit, lexicon, select
from bot.flows.ngram import model
from bot.flows.normalize import normalise, number

__all__ = [
    "COMMANDS", "CONFIDENT", "CONTENT", "FUZZY_CUTOFF", "INTENTS", "Match", "classify", "is_command",
    "lexicon", "numbers_in",
]

COMMANDS = frozenset({"help", "stop", "start", "language", "person"})
# "other_sick": someone else is ill ("my son is sick"); the flow asks what it means for them.
CONTENT = (frozenset(INTENTS) - COMMANDS) | {"other_sick"}

# Measured on the held-out part of the corpus (bot/flows/README.md): at and above it no reading
# in that part was harmful; below it the engine asks a clarifying question.
CONFIDENT = 92.0
MAX_TOKENS = 40
# Readings that make or end a record, or stop all messages: the model alone never acts on them
# (measured: on the held-out part every harmful model reading was one of these with no word of
# its intent in the message, "я в дорозі" read as "better" with 100 %).
RECORDS = frozenset({"sick", "better", "no", "stop"})
# The model lifts a typo match of a record (sick, better, no) to acting only from this close.
LIFTED = 85.0
# A typo match this much weaker than a phrase found as written does not compete with it:
# "jeg er blevet rask" is "rask", not the near miss "er blevet" ~ "er blevet syg".
WEAKER = 10.0
CACHE_SIZE = 2048
# What a question or a hypothetical can only ask about, never state.
ASKED = scope.NOT_STATED | {"yes"}

# When two intents appear together, the first one is what the person means:
# "no, I am sick" is a sick notice, "ok, when is my next appointment" asks for appointments.
DOMINATES: dict[str, frozenset[str]] = {
    "other_sick": frozenset({"no", "yes", "person", "help", "sick"}),
    "sick": frozenset({"no", "yes", "person", "help", "next_appointment"}),
    "better": frozenset({"yes", "no"}),  # "no thanks, I'm fine" answers "still sick?"
    "next_appointment": frozenset({"yes", "help"}),
    "no": frozenset({"person", "help", "next_appointment"}),
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
    source: str = "words"  # "words" (lexicon and rules) or "model" (character n-grams)
    negated: bool = False  # a phrase in it was negated ("I'm not sick")
    other_person: bool = False  # it names someone else's illness
    not_stated: bool = False  # a question or hypothetical about it ("if I am sick ...")
    # "I'm not sick" said of oneself, as a statement: with nothing else in it, it takes back a
    # sick notice sent by mistake ("syg" on a shared phone, a wrong reply to a reminder).
    denies_sick: bool = False

    @property
    def confident(self) -> bool:
        return self.intent is not None and self.confidence >= CONFIDENT


def numbers_in(text: str) -> tuple[int, ...]:
    """Whole numbers in the message, in any digit system."""
    return _numbers(normalise(text))


def _numbers(norm: str) -> tuple[int, ...]:
    return tuple(n for n in (number(t) for t in norm.split()) if n is not None)


@dataclass
class _Words:
    readings: list[scope.Reading]
    tokens: int  # words in the message
    clauses: int
    loose: int  # words neither in a phrase found nor a filler around a command ("please", "sms")


def _read_words(text: str) -> _Words:
    lex = lexicon()
    rules = scope.words()
    negation_after = rules.negation_after
    negators = rules.negation | negation_after | rules.negation_after_too
    readings: list[scope.Reading] = []
    parts = scope.clauses(text)
    total = loose = 0
    other_before = False
    for clause in parts:
        tokens = clause.tokens[: max(0, MAX_TOKENS - total)]
        total += len(tokens)
        if not tokens:
            continue
        hits = select(lex.hits(tokens, negators, time_words(), rules.negation_morphemes))
        bare_no = {
            h.start
            for h in hits
            if h.intent == "no" and h.end - h.start == 1 and tokens[h.start] in negation_after
        }
        here = scope.Clause(tokens, clause.question, clause.after_but)
        readings += scope.read(here, hits, bare_no, other_before)
        other_before = other_before or scope.names_other(tokens)
        inside = {i for h in hits for i in range(h.start, h.end)}
        loose += sum(1 for i, t in enumerate(tokens) if i not in inside and t not in rules.command_fillers)
    return _Words(readings, total, len(parts), loose)


def _from_words(words: _Words, numbers: tuple[int, ...]) -> Match:
    readings = words.readings
    flags: dict[str, Any] = {
        "negated": any(r.negated for r in readings),
        "other_person": any(r.other_person for r in readings),
        "not_stated": any(r.not_stated for r in readings),
        "denies_sick": any(
            r.negated and r.hit.intent == "sick" and not r.other_person and not r.not_stated and not r.past
            for r in readings
        ),
    }
    acting = [r for r in readings if r.intent is not None]
    denial = next((i for i, r in enumerate(readings) if r.negated and r.hit.intent == "sick"), None)
    if denial is not None:
        # "nej tak, jeg er ikke syg": a short "no" before the denial answers "still sick?".
        before = {id(r) for r in readings[:denial]}
        acting = [
            r for r in acting
            if not (id(r) in before and r.intent == "no" and r.hit.start == 0 and r.hit.end <= 2)
        ]
    if any(r.negated and r.hit.intent == "sick" for r in readings):
        # "nej, jeg er ikke syg": the bare "no" agrees with the negation; nothing is cancelled.
        # "مش مريض بس تعبان شوي، جاي": who says they are not sick gives no sick notice.
        acting = [
            r for r in acting
            if not (r.intent == "no" and r.hit.end - r.hit.start == 1) and r.intent != "sick"
        ]
    if any(r.intent in ("yes", "better") and not r.past for r in acting) and all(
        r.past for r in acting if r.intent == "sick"
    ):
        # "was sick yesterday but coming today", "har været syg men er rask nu": the illness is
        # over, the confirmation or the recovery stands.
        acting = [r for r in acting if r.intent != "sick"]
    for index, reading in enumerate(acting):
        if reading.intent == "yes" and reading.after_but:
            # "jeg er syg men kommer alligevel": the "but" corrects the illness before it.
            acting = [r for i, r in enumerate(acting) if not (r.intent == "sick" and i < index)]
            break
    for index, reading in enumerate(acting):
        if reading.intent == "no" and reading.after_but and reading.hit.end - reading.hit.start > 1:
            # "I'm fine but I can't come", "ana mnih bas ma fini iji": the "but" says what they
            # will do; the wellbeing before it is no confirmation and ends nothing.
            acting = [
                r for i, r in enumerate(acting) if not (r.intent in ("yes", "better") and i < index)
            ]
            break
    if not acting:
        return Match(None, numbers=numbers, **flags)
    best: dict[str, Hit] = {}
    for reading in acting:
        intent = str(reading.intent)
        if intent not in best or reading.hit.score > best[intent].score:
            best[intent] = reading.hit
    intents = set(best)
    for winner, losers in DOMINATES.items():
        if winner in intents:
            # A typo match does not outweigh a phrase found as written: "i will" ~ "im ill"
            # does not make "I will be able to come" a sick notice.
            strong = best[winner].score + WEAKER
            beaten = {i for i in losers - {winner} if i in best and strong >= best[i].score}
            intents -= beaten
    # A command mixed with content ("I am sick, call me") is content; alone it is the command.
    if intents & CONTENT:
        intents -= COMMANDS
    ranked = sorted(intents, key=lambda i: -best[i].score)
    if len(ranked) > 1 and best[ranked[1]].score >= max(FUZZY_CUTOFF, best[ranked[0]].score - WEAKER):
        top_score = max(h.score for h in best.values())
        return Match(None, top_score, None, tuple(ranked), numbers=numbers, **flags)
    top = best[ranked[0]]
    if ranked[0] == "no" and flags["other_person"]:
        # "ወደይ ሓሚሙ ክመጽእ ኣይክእልን": someone else is why; the flow asks what it means for them.
        ranked[0] = "other_sick"
    languages = set().union(*(r.hit.languages for r in readings)) - {"*"}
    language = next(iter(languages)) if len(languages) == 1 else None
    # Whole: nothing but this reading's phrases and fillers ("stop", "Stop sms tak", "fariimaha jooji").
    whole = words.loose == 0 and all(r.intent == ranked[0] for r in readings)
    return Match(ranked[0], top.score, language, (), whole, None, numbers, **flags)


def _with_model(found: Match, norm: str) -> Match:
    """The n-gram model's reading where the words were not enough, under the same rules."""
    if found.confident or found.negated or scope.only_courtesy(norm.split()):
        return found
    trained = model()
    guess = trained.guess(norm) if trained else None
    if guess is None or guess.intent == "none":
        return found
    if found.ambiguous and (guess.intent not in found.ambiguous or {"yes", "no"} <= set(found.ambiguous)):
        return found  # "ja nej" contradicts itself: ask
    negation, other, hypothetical = scope.has_marker(norm.split())
    intent = guess.intent
    if intent in ("sick", "no") and other:
        intent = "other_sick"
    if intent == "other_sick" and not other:
        return found  # whose illness is read from a word naming them, never guessed
    if (hypothetical and intent in scope.NOT_STATED) or (found.not_stated and intent in ASKED):
        return found  # "hvornår har jeg tid igen?" may still ask for the next appointment
    if negation and intent in ("sick", "better", "yes", "stop", "start"):
        return found  # the model does not read negation: only the rules may turn it around
    if intent in RECORDS and found.intent != intent:
        return found  # a record (or STOP) needs a word of its own intent, however misspelt
    confidence = 100.0 * guess.probability
    if intent in ("sick", "better", "no") and found.confidence < LIFTED:
        return found  # "فردا دکتر دارم" (a doctor's appointment) is no typo of "درد دارم" (pain)
    if found.intent == intent:
        confidence = max(confidence, found.confidence)
    return Match(intent, confidence, found.language, (), found.whole and found.intent == intent, None,
                 found.numbers, "model", found.negated, other, found.not_stated, found.denies_sick)


@lru_cache(maxsize=CACHE_SIZE)
def classify(text: str) -> Match:
    """The intent of ``text`` with a confidence from 0 to 100 (never raises)."""
    if (text or "").strip() in ("?", "؟", "??"):
        return Match("help", 100.0, None, (), True)
    norm = normalise(text or "")
    if not norm:
        return Match(None)
    lex = lexicon()
    numbers = _numbers(norm)
    if norm in lex.names:
        return Match("language", 100.0, None, (), True, lex.names[norm], numbers)
    whole_phrase = lex.exact.get(norm)
    if whole_phrase and len(whole_phrase) == 1:
        # The whole message is one known phrase, however long.
        intent, langs = whole_phrase[0]
        only = set(langs) - {"*"}
        language = next(iter(only)) if len(only) == 1 else None
        return Match(intent, 100.0, language, (), True, None, numbers)
    return _with_model(_from_words(_read_words(text), numbers), norm)


def read_words_only(text: str) -> Match:
    """The keyword reading without the model (for measuring one against the other)."""
    norm = normalise(text or "")
    numbers = _numbers(norm)
    return _from_words(_read_words(text), numbers) if norm else Match(None)


def is_command(match: Match) -> bool:
    """A global command must be the whole message: "stop" is, "don't stop now" is not."""
    return match.intent in COMMANDS and match.whole and match.confident
