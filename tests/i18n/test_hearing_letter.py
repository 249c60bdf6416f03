"""The hearing letter's second page is in the citizen's own language, not in English."""

from __future__ import annotations

import html
import re
import string
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.contacts.models import Citizen, Role, Staff
from bot.hearings import hearings, letters
from bot.i18n import gettext
from bot.i18n_cli import po_path, read_catalog
from bot.reminders.models import Appointment, AppointmentKind

TZ = "Europe/Copenhagen"
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
TRANSLATED = ["ar", "fa", "ps", "ti", "so", "uk", "ku"]


def english_fragments() -> set[str]:
    """The literal parts of every English letter text, as they would appear on the page."""
    catalog = read_catalog(po_path("en"), "en")
    fragments = set()
    for message in catalog:
        if isinstance(message.id, str) and message.id.startswith("hearing.letter."):
            for literal, *_ in string.Formatter().parse(str(message.string)):
                fragments.update(p.strip() for p in re.split(r"[.:]\s", literal) if len(p.strip()) >= 5)
    # The Danish name of the procedure is quoted in every language on purpose.
    return {f for f in fragments if "partshøring" not in f}


def letter_for(engine, language: str) -> str:
    with Session(engine) as s:
        caseworker = Staff(name="Birte", email="birte@kommune.dk", role=Role.caseworker)
        citizen = Citizen(name="Amal Hassan", phone="+4520123456", language=language)
        s.add_all([caseworker, citizen])
        s.flush()
        klass = Appointment(citizen_id=citizen.id, kind=AppointmentKind.class_, title="Dansk 2",
                            starts_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC), created_at=NOW)
        s.add(klass)
        s.flush()
        attendance.mark_many(s, appointment_ids=[klass.id], outcome=Outcome.absent_without_notice,
                             now=NOW, staff_id=caseworker.id)
        case = hearings.open_case(s, citizen_id=citizen.id, appointment_ids=[klass.id],
                                  staff_id=caseworker.id, now=NOW, tz=TZ)
        page = letters.render_letter(s, case_id=case.id, tz=TZ, now=NOW)
        s.commit()
    return page


def own_section(page: str, language: str) -> str:
    """The citizen's page, documentation included: what the assistant collected is described in
    the citizen's language too."""
    start = page.index(f'<section class="letter" lang="{language}"')
    return html.unescape(page[start:page.index("</section>", start)])


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_citizens_letter_has_no_english_sentence(engine, language: str) -> None:
    section = own_section(letter_for(engine, language), language)
    assert gettext("hearing.letter.title", language) in section
    assert gettext("hearing.letter.not_translated", language) not in section  # it is translated
    english = sorted(f for f in english_fragments() if f in section)
    assert english == []


def test_the_arabic_letter_reads_right_to_left_with_the_danish_page_first(engine) -> None:
    page = letter_for(engine, "ar")
    assert page.index('lang="da" dir="ltr"') < page.index('lang="ar" dir="rtl"')
    section = own_section(page, "ar")
    assert "إبداء رأيك قبل اتخاذ القرار: الغياب دون إبلاغ" in section
    assert "درس اللغة الدنماركية Dansk 2" in section
    assert "سُجّل غياب بدون إبلاغ" in section
    assert "recorded as absent without notice" not in section
