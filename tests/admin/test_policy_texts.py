"""Policies built in code read as sentences in the reader's language, never codes or English."""

from __future__ import annotations

from admin.i18n import Translator
from admin.sections import Number, Territory, Text


def test_the_deadlines_on_the_settings_page_are_danish_for_a_danish_reader(world, login) -> None:  # type: ignore[no-untyped-def]
    admin = login(world["admin"])
    danish = admin.get("/admin/settings").text
    assert "24 timer, døgnet rundt" in danish
    assert "Spørgsmål" in danish
    assert " h (working hours" not in danish and ">question<" not in danish
    english = admin.get("/admin/settings", headers={"Accept-Language": "en"}).text
    assert "24 hours, around the clock" in english


def test_working_hours_name_the_country_in_the_readers_language() -> None:
    text = Text("{hours} working hours ({start}–{end} on working days in {country})",
                {"hours": Number(7.5), "start": "08:00", "end": "16:00", "country": Territory("DK")})
    assert text.render(Translator("da")) == "7,5 arbejdstimer (08:00–16:00 på hverdage i Danmark)"
    assert text.render(Translator("en")) == "7.5 working hours (08:00–16:00 on working days in Denmark)"
