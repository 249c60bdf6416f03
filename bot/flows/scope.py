"""Negation scope, whose illness, and hypotheticals: what keyword matching alone gets wrong.

Keyword lists and character n-grams both read "jeg er ikke syg" as sick: the word is there.
These rules look at the words around each phrase found in a clause and turn the reading
around, or take it away, before anything is recorded:

* a negated sick phrase is no sick notice ("I'm not sick"); with "anymore" it is "I'm better";
* a negated "better" is still sick ("ez ne baş im", "not better"): it never ends a notice;
* a negated "coming" is "not coming"; a negated "no" or command is nothing to act on;
* sickness with someone else named ("my son is sick", "ابني مريض") is ``other_sick``;
* "if I am sick ...", "how do I report sick?" ask about sickness: nothing is recorded.

A message is split into clauses at punctuation and at "but"-words, so "I'm not sick, I'm
coming" is a confirmation and "nej, jeg er syg" a sick notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.flows.keywords import Hit
from bot.flows.normalize import normalise
from bot.flows.yaml_loader import load_yaml

DATA = Path(__file__).parent / "lexicon" / "scope.yaml"
BEFORE = 3  # words before a phrase a negation reaches
AFTER = 2  # words after it
_CLAUSE_BREAK = re.compile(r"[.,!;:\n\r،؛።፣፤፥!]+|(?<=\?)")
# What a negation turns each reading into (None: nothing to act on).
NEGATED: dict[str, str | None] = {
    "sick": None,
    "better": "sick",
    "yes": "no",
    "no": None,
    "stop": None,
    "start": None,
    "help": None,
    "person": None,
    "language": None,
}
COMMANDS = frozenset({"stop", "start", "help", "person", "language"})
# Readings a question or a hypothetical takes away: asking about sickness is not reporting it.
NOT_STATED = frozenset({"sick", "better", "no"})


@dataclass(frozen=True)
class Words:
    negation: frozenset[str]
    negation_after: frozenset[str]
    negation_after_too: frozenset[str]
    negation_prefixes: tuple[str, ...]
    no_longer: frozenset[str]
    others: frozenset[str]
    conditionals: frozenset[str]
    question_words: frozenset[str]
    contrast: frozenset[str]
    past: frozenset[str]
    command_fillers: frozenset[str]
    courtesy: frozenset[str]
    was: frozenset[str]
    others_prefixes: tuple[str, ...]
    greetings: frozenset[str]
    me: frozenset[str]
    negation_morphemes: tuple[str, ...]
    third_person: frozenset[str]
    idiom_after: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    data = load_yaml(DATA)

    def norm(key: str) -> frozenset[str]:
        return frozenset(n for n in (normalise(str(w)) for w in data[key]) if n)

    return Words(
        negation=norm("negation"),
        negation_after=norm("negation_after"),
        negation_after_too=norm("negation_after_too"),
        negation_prefixes=tuple(sorted(norm("negation_prefixes"))),
        no_longer=norm("no_longer"),
        others=norm("others") | norm("others_more"),
        conditionals=norm("conditionals"),
        question_words=norm("question_words"),
        contrast=norm("contrast"),
        past=norm("past"),
        command_fillers=norm("command_fillers"),
        courtesy=norm("courtesy"),
        was=norm("was"),
        others_prefixes=tuple(sorted(norm("others_prefixes"))),
        greetings=norm("greetings"),
        me=norm("me"),
        negation_morphemes=tuple(sorted(norm("negation_morphemes"), key=len, reverse=True)),
        third_person=norm("third_person"),
        idiom_after=norm("idiom_after"),
    )


@dataclass(frozen=True)
class Clause:
    tokens: list[str]
    question: bool  # ends with a question mark
    after_but: bool = False  # starts with a "but"-word: it corrects what came before


def clauses(text: str) -> list[Clause]:
    """The message in clauses, each as normalised words; "but"-words start a new clause."""
    contrast = words().contrast
    found: list[Clause] = []
    for part in _CLAUSE_BREAK.split(text):
        question = part.rstrip().endswith(("?", "؟"))
        current: list[str] = []
        but = False
        for token in _without_greetings(normalise(part).split()):
            if token in contrast:
                if current:
                    found.append(Clause(current, False, but))
                    current = []
                but = True
            else:
                current.append(token)
        if current:
            found.append(Clause(current, question, but))
    return found


def _without_greetings(tokens: list[str]) -> list[str]:
    """The words with greetings taken out ("Good morning teacher, I am sick" reads "I am sick")."""
    greetings = words().greetings
    out: list[str] = []
    i = 0
    while i < len(tokens):
        fits = [n for n in (3, 2, 1) if i + n <= len(tokens)]
        size = next((n for n in fits if " ".join(tokens[i : i + n]) in greetings), 0)
        if size:
            i += size
            continue
        out.append(tokens[i])
        i += 1
    return out


def _grams(tokens: list[str], start: int, end: int) -> list[tuple[int, str]]:
    """(position, 1- and 2-word grams) of tokens[start:end]."""
    start, end = max(0, start), min(len(tokens), end)
    out = [(i, tokens[i]) for i in range(start, end)]
    out += [(i, f"{tokens[i]} {tokens[i + 1]}") for i in range(start, end - 1)]
    return out


@dataclass(frozen=True)
class Reading:
    """A phrase's reading after the rules: ``intent`` None means nothing to act on."""

    hit: Hit
    intent: str | None
    negated: bool = False
    other_person: bool = False
    not_stated: bool = False  # a question or a hypothetical
    past: bool = False  # its clause speaks of an earlier day ("was sick yesterday")
    after_but: bool = False  # its clause starts with a "but"-word


def _between(hits: list[Hit], low: int, high: int, this: Hit) -> bool:
    """Another phrase lies between positions ``low`` and ``high``: a negation belongs to it."""
    return any(h is not this and low < h.start < high for h in hits) or any(
        h is not this and low < h.end - 1 < high for h in hits
    )


def _negated(hit: Hit, tokens: list[str], hits: list[Hit], covered: set[int], bare_no: set[int]) -> bool:
    w = words()
    if hit.negated:
        return True
    # A phrase listed as written with the prefix ("ኣይሓወኹን" is listed as sick) means what its list says.
    if hit.score < 100.0 and hit.intent in ("sick", "better", "yes") and any(
        tokens[i].startswith(w.negation_prefixes) for i in range(hit.start, hit.end)
    ):
        return True
    # Before the phrase: "not sick", "mish mareed", "не хворію", "ez ne baş im".
    for i, gram in _grams(tokens, hit.start - BEFORE, hit.start):
        if gram in w.negation and i not in covered and not _between(hits, i, hit.start, hit):
            return True
    # After it: "مریض نیستم", "ناروغ نه یم", "ሕሙም ኣይኮንኩን", "kommer ikke".
    for i, gram in _grams(tokens, hit.end, hit.end + AFTER):
        particle = gram in w.negation_after and hit.intent in ("sick", "better")
        after = gram in w.negation_after_too or particle
        if after and (i not in covered or i in bare_no) and not _between(hits, hit.end - 1, i, hit):
            return True
    return False


def names_other(tokens: list[str]) -> bool:
    """The words name someone else ("my son", "мама", "carruurtaydu")."""
    w = words()
    grams = {g for _, g in _grams(tokens, 0, len(tokens))}
    return bool(grams & w.others) or any(t.startswith(w.others_prefixes) for t in tokens)


def read(clause: Clause, hits: list[Hit], bare_no: set[int], other_before: bool = False) -> list[Reading]:
    """The readings of a clause's phrases (``hits`` from ``keywords.select``).

    ``other_before``: an earlier clause named someone else. "мама в лікарні, хворіє" is the
    mother's illness unless this clause says "I" ("my son is sick, I am sick too"); so is one
    said of a third person ("او مریض است", "she is sick").
    """
    w = words()
    tokens = clause.tokens
    covered = {i for h in hits for i in range(h.start, h.end)}
    grams = {g for _, g in _grams(tokens, 0, len(tokens))}
    other = names_other(tokens)
    # Only an illness is carried over to someone named before or said of a third person: "my bus
    # is cancelled" is still the writer's reason.
    ill_other = other or ((other_before or bool(grams & w.third_person)) and not grams & w.me)
    first = {tokens[0], " ".join(tokens[:2])} if tokens else set()
    question = clause.question and bool(first & w.question_words)
    # "are you sick?", "tu nexweş î?": asked of someone, not said of oneself.
    asks = question or bool(grams & w.conditionals) or (clause.question and bool(grams & w.third_person))
    past = bool(grams & w.past)
    was = bool(grams & w.was)
    readings: list[Reading] = []
    for hit in hits:
        if hit.start in bare_no and hit.end - hit.start == 1 and any(
            _adjacent(hit, h) for h in hits if h is not hit
        ):
            continue  # "نه" after "ناروغ": the negation of that phrase, not the answer "no"
        if hit.intent == "no" and hit.end - hit.start == 1 and any(
            h.start in (hit.end, hit.end + 1) and h.intent in COMMANDS for h in hits
        ):
            continue  # "لا توقف", "no stop": the command is negated, nobody cancels anything
        intent: str | None = hit.intent
        if any(h.end == hit.start and h.intent == "no" and h.end - h.start == 1 for h in hits) and (
            hit.intent in COMMANDS
        ):
            readings.append(Reading(hit, None, True, other))
            continue
        if (
            hit.intent == "no" and hit.start > 0 and hit.end - hit.start == 1
            and len(tokens[hit.start]) < 4
            and not any(h.intent in ("yes", "no") and h.end == hit.start for h in hits)
        ):
            # A bare "no" inside a sentence is no answer: "I have no fever", Somali "la hadlo"
            # ("ja nej" still says both).
            continue
        refused = any(h.intent == "no" and h.end in (hit.start, hit.start - 1) for h in hits)
        if hit.intent == "yes" and refused:
            # "kan desværre ikke | komme", "ez nikarim | werim": the verb of the refusal.
            readings.append(Reading(hit, None, True, other, past=past))
            continue
        if hit.intent == "sick" and hit.end < len(tokens) and tokens[hit.end] in w.idiom_after:
            continue  # "sick of waiting"
        negated = _negated(hit, tokens, hits, covered, bare_no)
        if negated:
            intent = NEGATED.get(hit.intent, hit.intent)
            if hit.intent == "sick" and grams & w.no_longer:
                intent = "better"
        denial_asked = negated and hit.intent == "sick" and intent is None and (asks or clause.question)
        if (
            (asks and intent in NOT_STATED) or (question and intent == "yes") or (was and intent == "sick")
            or denial_asked  # "am I not sick?" takes nothing back
        ):
            # "er det ok hvis jeg er syg?", "what if my son is sick?": asked, not stated.
            readings.append(Reading(hit, None, negated, other, True, past))
            continue
        if intent == "sick" and ill_other:
            readings.append(Reading(hit, "other_sick", negated, True))
            continue
        readings.append(Reading(hit, intent, negated, other, past=past, after_but=clause.after_but))
    return readings


def _adjacent(particle: Hit, phrase: Hit) -> bool:
    return particle.start in (phrase.end, phrase.end + 1) and phrase.intent in ("sick", "better")


def only_courtesy(tokens: list[str]) -> bool:
    """Nothing but thanks and greetings ("дякую", "mange tak", "مشكورين")."""
    courtesy = words().courtesy
    return bool(tokens) and all(t in courtesy for t in tokens)


def has_marker(tokens: list[str]) -> tuple[bool, bool, bool]:
    """Whether any negation, other person or hypothetical appears anywhere in ``tokens``."""
    w = words()
    grams = {g for _, g in _grams(tokens, 0, len(tokens))}
    negation = bool(grams & (w.negation | w.negation_after)) or any(
        t.startswith(w.negation_prefixes) for t in tokens
    )
    return negation, names_other(tokens), bool(grams & w.conditionals)
