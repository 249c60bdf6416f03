"""Every outbound message, in every language, with realistic parameters, fits 3 SMS segments."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, format_date, format_time, render
from bot.i18n_cli import is_sms_id
from bot.sms_segments import count_segments

TEMPLATE = Path(__file__).resolve().parents[2] / "bot" / "locales" / "messages.pot"
MAX_SEGMENTS = 3
WHEN = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # a Wednesday in late November: long names


def sms_ids() -> list[str]:
    with TEMPLATE.open("rb") as fh:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id]
    # Admin page texts (English phrases) and the printed hearing letter are not SMS.
    return sorted(i for i in ids if is_sms_id(i))


def test_the_printed_letter_is_not_measured_as_sms_but_its_notice_is() -> None:
    ids = sms_ids()
    assert "hearing.sms_letter_coming" in ids
    assert not [i for i in ids if i.startswith("hearing.letter.")]


def realistic(name: str, language: str) -> Any:
    """A value as long as real ones get: full dates in the language, long Danish place names."""
    day = format_date(WHEN.date(), language)
    clock = format_time(WHEN, language, "Europe/Copenhagen")
    values: dict[str, Any] = {
        "reference": "S-2026-000123",
        "time": clock, "due_time": clock, "visit_time": clock, "old_time": clock, "new_time": clock,
        "day": day, "due_day": day, "visit_day": day, "old_day": day, "new_day": day,
        "start": format_date(date(2026, 11, 24), language), "back": day, "deadline": day,
        "received": f"{day} {clock}",
        "company": "Netto Helsingør Centrum", "employer": "Netto Helsingør Centrum",
        "what": "Danskundervisning", "place": "Sprogcenter Helsingør, Rasmus Knudsens Vej 3",
        "address": "Rasmus Knudsens Vej 3, 3000 Helsingør",
        "name": "Mohammed Abdullahi", "citizen": "Mohammed Abdullahi", "contact": "Birgitte Holm",
        "consultant": "Birgitte Holm", "assignee": "Birgitte Holm", "staff_name": "Birgitte Holm",
        "contact_phone": "+45 49 28 28 28", "n": 3, "count": 3, "number": 2,
        "language": "Українська", "offered": "Українська", "current": "Soomaali",
        "title": "Ikke mødt op", "summary": "Ikke mødt op til praktik", "covers": "Danskundervisning 09:00",
        "lines": "1: onsdag 09:00 Dansk\n2: torsdag 12:00 Netto", "choices": "1 ja 2 nej",
        "url": "https://bot.example.dk/c/AbC123", "travel": "20 min", "text": "Jeg er syg",
        "body": "Kan du ringe til mig?", "answer": "ja",
    }
    return values.get(name, "Jobcenter Helsingør")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_fits_three_segments(language: str) -> None:
    too_long = []
    for msgid in sms_ids():
        english = render(msgid, "en")
        params = {name: realistic(name, language) for name in placeholders(english) | {"n"}}
        text = render(msgid, language, params)
        assert text.strip(), f"{msgid} is empty in {language}"
        segments = count_segments(text)
        if segments.count > MAX_SEGMENTS:
            too_long.append(f"{msgid} [{language}] {segments.encoding} {segments.units} units")
    assert too_long == []


@pytest.mark.parametrize(
    ("text", "encoding", "count"),
    [
        ("a" * 160, "GSM-7", 1), ("a" * 161, "GSM-7", 2), ("a" * 459, "GSM-7", 3),
        ("a" * 460, "GSM-7", 4), ("€" * 80, "GSM-7", 1), ("ب" * 70, "UCS-2", 1),
        ("ب" * 71, "UCS-2", 2), ("ب" * 201, "UCS-2", 3), ("ب" * 202, "UCS-2", 4),
        ("Næste aftale: æøå ÆØÅ", "GSM-7", 1), ("Kurdî: ş ê î", "UCS-2", 1),
    ],
)
def test_segment_counting(text: str, encoding: str, count: int) -> None:
    segments = count_segments(text)
    assert (segments.encoding, segments.count) == (encoding, count)
