"""Negation, contrast, questions and someone else's illness never produce the wrong record."""

from __future__ import annotations

import pytest

from bot.escalations.intents import Intent
from bot.escalations.intents import classify as employer_intent
from bot.flows.intents import classify


def _reading(text: str) -> str | None:
    match = classify(text)
    return match.intent if match.confident else None


@pytest.mark.parametrize(
    "text", ["jeg er ikke syg", "I'm not sick", "مریض نیستم", "я не хворію", "ana mish mareed",
             "ሕሙም ኣይኮንኩን", "ez ne nexweş im", "زه ناروغ نه یم", "nej, jeg er ikke syg"],
)
def test_a_negated_sick_statement_is_no_sick_notice(text: str) -> None:
    assert _reading(text) is None


@pytest.mark.parametrize("text", ["ez ne baş im", "I'm not better", "jeg er ikke rask", "مش منيح"])
def test_a_negated_better_never_ends_a_notice(text: str) -> None:
    assert _reading(text) == "sick"


@pytest.mark.parametrize("text", ["I'm not sick, I'm coming", "مریض نیستم میام", "ana mish mareed ra7 eji"])
def test_not_sick_but_coming_is_a_confirmation(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["my son is sick", "min kone er syg", "ابني مريض", "kurê min nexweş e"])
def test_someone_else_ill_is_not_the_writers_notice(text: str) -> None:
    assert _reading(text) == "other_sick"


@pytest.mark.parametrize("text", ["hvad gør jeg hvis jeg er syg?", "what if i am sick?", "لا توقف"])
def test_questions_and_negated_commands_record_nothing(text: str) -> None:
    assert _reading(text) not in ("sick", "no", "stop")


def test_one_reading_per_message_is_shared() -> None:
    assert classify("jeg er syg i dag") is classify("jeg er syg i dag")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Der er problemer med praktikanten, han møder ikke til tiden. Kan I komme ud?", Intent.problem),
        ("Vi mangler 2 medarbejdere til lageret, har I kandidater?", Intent.recruitment),
        ("Praktikanten er ikke mødt op i dag", Intent.no_show),
    ],
)
def test_employer_examples_open_the_right_ticket(text: str, intent: Intent) -> None:
    assert employer_intent(text) is intent
