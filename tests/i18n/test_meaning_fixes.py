"""Known meaning errors stay fixed: wording a reader could take the wrong way round."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import LANGUAGES, format_date, render


@pytest.mark.parametrize("msgid", ["reminder.cancelled", "reminder.moved", "reminder.class_week"])
def test_danish_never_puts_a_common_gender_possessive_before_a_neuter_meeting_kind(msgid: str) -> None:
    params = {"what": "informationsmøde", "day": "mandag d. 7. december", "time": "09:00", "place": "Rådhuset",
              "old_day": "x", "old_time": "x", "new_day": "y", "new_time": "y"}
    text = render(msgid, "da", params)
    assert "informationsmøde" in text
    assert "Din informationsmøde" not in text and "din informationsmøde" not in text


def test_danish_dates_read_as_danish_letters_write_them() -> None:
    assert format_date(date(2026, 12, 7), "da") == "mandag d. 7. december"
    assert format_date(date(2026, 12, 7), "en") == "Monday 7 December"


def test_tigrinya_answer_is_until_the_deadline_not_before_it() -> None:
    text = render("hearing.letter.answer", "ti", {"deadline": "X"})
    assert "ክሳብ X" in text and "ቅድሚ X" not in text


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang not in ("da", "en")])
def test_partshoering_is_the_right_to_comment_not_a_court_hearing(language: str) -> None:
    texts = render("hearing.letter.title", language) + render("hearing.letter.intro", language)
    for court_like in ("استماع", "Слухання", "слухання", "Guhdarîkirin", "guhdarîkirin", "اورېدنه", "Dhageysi",
                       "dhageysi", "ምስማዕ"):
        assert court_like not in texts


def test_somali_get_well_and_cancelled() -> None:
    sick = render("ack.sick_notice_open", "so", {"start": "X"})
    assert "Caafimaad degdeg" not in sick and "Ladnaansho degdeg ah" in sick
    cancelled = render("reminder.cancelled", "so", {"what": "X", "day": "Y", "time": "Z"})
    assert "baajiyay" in cancelled and "joojiyay" not in cancelled
