"""The fresh set: messages written apart from the corpus, never trained or tuned on.

It stands in for the texts nobody on the team wrote: no harmful reading at all (a record the
message did not ask for, a STOP missed or invented), and at least 95 % read right.
"""

from __future__ import annotations

import pytest

from bot.flows import corpus
from bot.flows.intents import CONFIDENT, classify, is_command

RECORDS = ("sick", "no", "better")


@pytest.fixture(scope="module")
def fresh() -> list[corpus.Example]:
    return corpus.fresh()


def _reading(text: str) -> str | None:
    match = classify(text)
    return match.intent if match.intent and match.confidence >= CONFIDENT else None


def test_the_fresh_set_covers_every_language_and_the_traps(fresh: list[corpus.Example]) -> None:
    for language in corpus.CITIZEN_LANGUAGES:
        mine = [e for e in fresh if e.language == language]
        assert len(mine) >= 60, language
        assert sum(e.trap for e in mine) >= 10, language


def test_no_harmful_reading_on_the_fresh_set(fresh: list[corpus.Example]) -> None:
    harmful = []
    for example in fresh:
        got = _reading(example.text)
        mixed_up = got in ("sick", "no") and example.label in ("sick", "no")
        if got in RECORDS and got != example.label and not mixed_up:
            harmful.append((example.text, example.label, got))
        match = classify(example.text)
        if (example.label == "stop") != (match.intent == "stop" and is_command(match)):
            harmful.append((example.text, example.label, "stop" if example.label != "stop" else got))
    assert harmful == []


def test_fresh_accuracy(fresh: list[corpus.Example]) -> None:
    right = sum(_reading(e.text) == (None if e.label == "none" else e.label) for e in fresh)
    assert right / len(fresh) >= 0.95
