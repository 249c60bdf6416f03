"""How long someone is away, read from their words: "i dag og i morgen", "until Friday", "3 days".

Pure: takes the local date of today and returns dates; no clock, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from babel import Locale

from bot.flows.normalize import normalise, number, to_western_digits
from bot.flows.yaml_loader import load_yaml

DATA = Path(__file__).parent / "lexicon" / "dates.yaml"
BABEL_LANGUAGES = ("da", "en", "ar", "fa", "ps", "ti", "so", "uk", "ku")
MAX_DAYS = 60
_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2,4}))?\b")


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date | None  # None: not known yet
    known: bool  # the words said how long; False means ask


@dataclass(frozen=True)
class _Vocabulary:
    today: frozenset[str]
    tomorrow: frozenset[str]
    days: frozenset[str]
    weekdays: dict[str, int]
    until: frozenset[str]
    numbers: dict[str, int]
    two_days: frozenset[str]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    data = load_yaml(DATA)
    weekdays: dict[str, int] = {}
    for code in BABEL_LANGUAGES:
        for index, name in Locale.parse(code).days["format"]["wide"].items():
            weekdays[normalise(name)] = int(index)
    for index, names in data["weekdays"].items():
        for name in names:
            weekdays[normalise(str(name))] = int(index)
    return _Vocabulary(
        today=frozenset(normalise(str(w)) for w in data["today"]),
        tomorrow=frozenset(normalise(str(w)) for w in data["tomorrow"]),
        days=frozenset(normalise(str(w)) for w in data["days"]),
        weekdays=weekdays,
        until=frozenset(normalise(str(w)) for w in data["until"]),
        numbers={normalise(str(w)): int(n) for n, words in data["numbers"].items() for w in words},
        two_days=frozenset(normalise(str(w)) for w in data["two_days"]),
    )


@lru_cache(maxsize=1)
def time_words() -> frozenset[str]:
    """Single words that name a day ("bukra", "fredag", "сьогодні"): never a typo of an intent."""
    vocabulary = _vocabulary()
    words = vocabulary.today | vocabulary.tomorrow | vocabulary.days | set(vocabulary.weekdays)
    return frozenset(w for w in words if " " not in w)


def _grams(tokens: list[str]) -> set[str]:
    return {" ".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}


def _explicit_date(text: str, today: date) -> date | None:
    found = _DATE.search(text)
    if not found:
        return None
    day, month = int(found.group(1)), int(found.group(2))
    year = today.year
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if value < today - timedelta(days=7):
        # "2/1" written in late December means next January.
        try:
            value = date(year + 1, month, day)
        except ValueError:
            return None
    return value


def _day_count(tokens: list[str], vocab: _Vocabulary) -> int | None:
    """"3 days", "٣ ايام", "three days", "tre dage", "يومين": how many days, from today."""
    for index, token in enumerate(tokens):
        if token in vocab.two_days:
            return 2
        if index + 1 < len(tokens) and tokens[index + 1] in vocab.days:
            count = number(token)
            if count is None:
                count = vocab.numbers.get(token)
            if count is not None and 1 <= count <= MAX_DAYS:
                return count
    return None


def parse_period(text: str, today: date) -> Period:
    """The period the message speaks of; ``known`` is False when the words do not say."""
    norm = normalise(text)
    tokens = norm.split()
    grams = _grams(tokens)
    vocab = _vocabulary()
    says_today = bool(grams & vocab.today)
    says_tomorrow = bool(grams & vocab.tomorrow)

    ends = _explicit_date(re.sub(r"\s+", " ", to_western_digits(text)), today)
    if ends is not None and today <= ends <= today + timedelta(days=MAX_DAYS):
        start = today + timedelta(days=1) if says_tomorrow and not says_today else today
        return Period(start, ends, True)

    count = _day_count(tokens, vocab)
    if count is not None:
        return Period(today, today + timedelta(days=count - 1), True)

    for gram in sorted(grams, key=len, reverse=True):
        weekday = vocab.weekdays.get(gram)
        if weekday is not None:
            ahead = (weekday - today.weekday()) % 7
            return Period(today, today + timedelta(days=ahead), True)

    if says_today and says_tomorrow:
        return Period(today, today + timedelta(days=1), True)
    if says_tomorrow and grams & vocab.until:
        # "sick until tomorrow", "syg til i morgen": today is covered too.
        return Period(today, today + timedelta(days=1), True)
    if says_tomorrow:
        tomorrow = today + timedelta(days=1)
        return Period(tomorrow, tomorrow, True)
    if says_today:
        return Period(today, today, True)
    return Period(today, None, False)


def days_named(text: str, today: date) -> tuple[date, date] | None:
    """The days a "can't come" message is about: "i morgen" is tomorrow, "fredag" is Friday
    itself, "til fredag" today until Friday, "i dag og i morgen" both; None when it names no
    day. "til" right before the day means until; elsewhere it is "to" ("i morgen til dansk")."""
    tokens = normalise(text).split()
    vocab = _vocabulary()
    tomorrow = today + timedelta(days=1)
    found: list[tuple[date, bool]] = []  # each day named, and whether "until" comes right before it
    for start in range(len(tokens)):
        for size in (3, 2, 1):
            gram = " ".join(tokens[start : start + size])
            if len(gram.split()) < size:
                continue
            day: date | None = None
            if gram in vocab.today:
                day = today
            elif gram in vocab.tomorrow:
                day = tomorrow
            elif gram in vocab.weekdays:
                day = today + timedelta(days=(vocab.weekdays[gram] - today.weekday()) % 7)
            if day is not None:
                found.append((day, start > 0 and tokens[start - 1] in vocab.until))
                break
    if found:
        first, last = min(day for day, _ in found), max(day for day, _ in found)
        return (today if any(until for _, until in found) else first), last
    period = parse_period(text, today)
    if not period.known or period.ends_on is None:
        return None
    return period.starts_on, period.ends_on
