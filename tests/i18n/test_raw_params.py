"""A stored message keeps dates and labels raw: the citizen reads them in their language, staff
read the same message in Danish, with no word of the citizen's language in it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.i18n import N_, day_param, list_param, moment_param, render, text_param

ZONE = "Europe/Copenhagen"
RECEIVED = datetime(2026, 12, 2, 8, 10, tzinfo=UTC)


def _params() -> dict[str, object]:
    time = moment_param(RECEIVED, ZONE, "HH:mm")
    return {
        "reference": "S-2026-000001",
        "received": moment_param(RECEIVED, ZONE, "d MMM HH:mm"),
        "covers": list_param([text_param(N_("absence.covers.meeting"), {"time": time}),
                              text_param(N_("absence.covers.more"), {"count": 2})]),
    }


def test_the_same_receipt_reads_in_danish_for_staff_and_in_arabic_for_the_citizen() -> None:
    danish = render(N_("absence.receipt"), "da", _params())
    arabic = render(N_("absence.receipt"), "ar", _params())
    assert "2 dec. 09:10" in danish
    assert "ديسمبر" in arabic
    assert not any("\u0600" <= ch <= "\u06ff" for ch in danish)
    assert render(N_("absence.covers.meeting"), "da", {"time": "09:10"}) in danish


def test_a_value_stored_as_text_is_left_as_it_is() -> None:
    assert "S-2026-000001" in render(N_("absence.receipt"), "da", {"reference": "S-2026-000001"})


def test_a_day_is_written_the_readers_way() -> None:
    params = {"start": day_param(date(2026, 12, 2)), "n": 2}
    assert "onsdag d. 2. december" in render("ack.sick_notice", "da", params)
    assert "2 грудня" in render("ack.sick_notice", "uk", params)
