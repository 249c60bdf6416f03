from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.flows.dates import days_named, parse_period

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "starts", "ends"),
    [
        ("jeg er syg i dag og i morgen", MONDAY, date(2026, 11, 24)),
        ("sick until Friday", MONDAY, date(2026, 11, 27)),
        ("3 days", MONDAY, date(2026, 11, 25)),
        ("٣ ايام", MONDAY, date(2026, 11, 25)),
        ("syg i morgen", date(2026, 11, 24), date(2026, 11, 24)),
        ("syg til fredag", MONDAY, date(2026, 11, 27)),
        ("я хворію до п’ятниці", MONDAY, date(2026, 11, 27)),
        ("mariz hastam ta jome", MONDAY, date(2026, 11, 27)),
        ("waan bukaa maanta", MONDAY, MONDAY),
        ("syg til 27/11", MONDAY, date(2026, 11, 27)),
        ("ana mareed al yom", MONDAY, MONDAY),
        ("ana mareeda alyom", MONDAY, MONDAY),
        ("ana marid el youm", MONDAY, MONDAY),
        ("ana mareed alyawm", MONDAY, MONDAY),
    ],
)
def test_lengths_read_from_words(text: str, starts: date, ends: date) -> None:
    period = parse_period(text, MONDAY)
    assert (period.starts_on, period.ends_on, period.known) == (starts, ends, True)


@pytest.mark.parametrize("text", ["syg", "ana mareed", "я хворію", "waan bukaa"])
def test_no_length_means_ask(text: str) -> None:
    period = parse_period(text, MONDAY)
    assert period.known is False and period.ends_on is None


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("sick until tomorrow", date(2026, 11, 24)),
        ("syg i 3 dage", date(2026, 11, 25)),
        ("مريض يومين", date(2026, 11, 24)),
        ("emroz o farda", date(2026, 11, 24)),
        ("nan aw saba", date(2026, 11, 24)),
        ("for three days", date(2026, 11, 25)),
        ("хворію три дні", date(2026, 11, 25)),
        ("፫ መዓልቲ", date(2026, 11, 25)),
    ],
)
def test_durations_in_words_and_numerals(text: str, ends: date) -> None:
    period = parse_period(text, MONDAY)
    assert (period.starts_on, period.ends_on) == (MONDAY, ends)


def test_ethiopic_numerals_do_not_crash_anything() -> None:
    from bot.flows.intents import classify, numbers_in

    assert numbers_in("፩") == (1,)
    assert classify("፩").intent == "yes"
    assert parse_period("፩", MONDAY).known is False


@pytest.mark.parametrize(("text", "first", "last"), [
    ("kan ikke komme i morgen til dansk", 1, 1),   # "til dansk" is "to Danish class", not "until"
    ("kan ikke komme fredag", 4, 4),               # Friday itself, not until Friday
    ("не прийду в пʼятницю", 4, 4),
    ("kan ikke komme til fredag", 0, 4),
    ("ana mish jay bukra", 1, 1),
    ("kan ikke komme i dag og i morgen", 0, 1),
    ("kan ikke komme 3 dage", 0, 2),
])
def test_the_days_a_cancellation_names(text: str, first: int, last: int) -> None:
    assert days_named(text, MONDAY) == (MONDAY + timedelta(days=first), MONDAY + timedelta(days=last))


def test_a_cancellation_naming_no_day_names_none() -> None:
    assert days_named("kan ikke komme", MONDAY) is None
