"""Nine catalogs: right plural forms, drafted texts flagged fuzzy but used, never an empty text."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.plurals import get_plural

from bot.conversations.responder import GLOBAL_MESSAGES
from bot.flows.definition import load_flow
from bot.i18n import LANGUAGES, format_date, gettext, render, translations
from bot.i18n_cli import po_path, read_catalog, status

CONVERSATION_IDS = sorted(
    set(GLOBAL_MESSAGES) | load_flow("citizen").message_ids() | {"ack.sick_notice", "reply.unknown_sender"}
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_header_is_right_for_the_language(language: str) -> None:
    catalog = read_catalog(po_path(language), language)
    assert catalog.num_plurals == get_plural(language).num_plurals
    if language == "ar":
        assert catalog.num_plurals == 6
    if language == "uk":
        assert catalog.num_plurals == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_conversation_message_is_written_in_every_language(language: str) -> None:
    catalog = read_catalog(po_path(language), language)
    for msgid in CONVERSATION_IDS:
        message = catalog.get(msgid)
        assert message is not None, f"{msgid} missing in {language}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{msgid} empty in {language}"
        if language not in ("en", "da"):
            # Drafted without review by a native speaker: flagged until someone reviews it.
            assert message.fuzzy, f"{msgid} in {language} is a draft and must be flagged fuzzy"


def test_fuzzy_drafts_are_used_at_run_time() -> None:
    assert render("flow.handover", "ar") != render("flow.handover", "en")
    assert "ሰራሕተኛ" in render("flow.handover", "ti")


def test_a_missing_translation_falls_back_to_english_then_danish() -> None:
    assert gettext("reply.stopped", "xx") == gettext("reply.stopped", "en")
    chain = translations("ar")
    assert [getattr(t, "_language", None) for t in _chain(chain)] == ["ar", "en", "da"]
    assert render("no.such.id", "ar") == "no.such.id"  # the id, never an empty message


def _chain(head: object) -> list[object]:
    found = [head]
    while getattr(found[-1], "_fallback", None) is not None:
        found.append(found[-1]._fallback)  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "ليوم واحد"), (2, "ليومين"), (3, "3 أيام"), (10, "10 أيام"), (11, "11 يومًا"), (100, "100 يوم")],
)
def test_arabic_has_six_plural_forms(n: int, word: str) -> None:
    assert word in render("ack.sick_notice", "ar", {"n": n, "start": "x"})


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "1 день"), (2, "2 дні"), (4, "4 дні"), (5, "5 днів"), (11, "11 днів"), (21, "21 день"), (22, "22 дні")],
)
def test_ukrainian_has_three_plural_forms(n: int, word: str) -> None:
    assert word in render("ack.sick_notice", "uk", {"n": n, "start": "x"})


def test_dates_are_written_in_the_recipients_language() -> None:
    friday = date(2026, 11, 27)
    assert format_date(friday, "ar").startswith("الجمعة")
    # Date first in Ukrainian: after "з" or "до" the month is in the genitive and the weekday,
    # in brackets, needs no case ("з 27 листопада (пʼятниця)", never "з пʼятниця").
    assert format_date(friday, "uk") == "27 листопада (пʼятниця)"
    assert format_date(friday, "da").startswith("fredag")
    assert format_date(friday, "so").startswith("Jimco")


def test_status_counts_translated_fuzzy_and_missing() -> None:
    rows = {row.language: row for row in status()}
    assert set(rows) == set(LANGUAGES)
    assert rows["ar"].fuzzy >= len(CONVERSATION_IDS) - 2
    assert rows["en"].fuzzy == 0

