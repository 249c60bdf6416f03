"""The held-out part of the labelled corpus: accuracy, and no harmful reading at all.

One classification pass over the corpus (no database): fast enough for every test run.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.flows import corpus, ngram
from bot.flows.intents import CONFIDENT, classify

RECORDS = ("sick", "no", "better")


@pytest.fixture(scope="module")
def examples() -> list[corpus.Example]:
    return corpus.load()


def _reading(text: str) -> str | None:
    match = classify(text)
    return match.intent if match.intent and match.confidence >= CONFIDENT else None


def test_the_corpus_is_large_enough_and_a_fifth_traps(examples: list[corpus.Example]) -> None:
    employer = corpus.load("employer")
    assert len(examples) + len(employer) >= 1500
    per = Counter((e.language, e.label) for e in examples if not e.trap)
    for language in corpus.CITIZEN_LANGUAGES:
        for intent in ("sick", "better", "yes", "no", "stop", "help", "person", "next_appointment"):
            assert per[(language, intent)] >= 20, (language, intent)
    assert Counter(e.label for e in employer if not e.trap).most_common()[-1][1] >= 20
    traps = sum(e.trap for e in examples) + sum(e.trap for e in employer)
    assert traps * 5 >= len(examples) + len(employer)


def test_the_model_artifact_was_trained_on_this_corpus(examples: list[corpus.Example]) -> None:
    """Run ``python -m bot.flows.train`` after changing the corpus."""
    trained = ngram.model()
    assert trained is not None and trained.fingerprint == corpus.fingerprint(examples)


def test_held_out_accuracy_and_no_harmful_reading(examples: list[corpus.Example]) -> None:
    held = [e for e in examples if e.held_out]
    right = 0
    harmful = []
    for example in held:
        got = _reading(example.text)
        want = None if example.label == "none" else example.label
        right += got == want
        mixed_up = got in ("sick", "no") and example.label in ("sick", "no")
        if got in RECORDS and got != example.label and not mixed_up:
            harmful.append((example.text, example.label, got))
    assert harmful == []
    assert right / len(held) >= 0.93


def test_every_trap_is_free_of_harm(examples: list[corpus.Example]) -> None:
    """Tune part too: a negated or someone else's illness never becomes the writer's record."""
    for example in examples:
        if example.trap and example.label in ("none", "other_sick", "yes"):
            assert _reading(example.text) not in ("sick", "no", "better") or example.label == "yes", example.text
