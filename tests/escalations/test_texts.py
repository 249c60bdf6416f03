"""Every escalations text exists in English and Danish and fits three SMS with realistic values."""

from __future__ import annotations

import pytest

from bot.i18n import gettext, render
from bot.sms_segments import count_segments

IDS = [
    "employer.ack",
    "employer.ack_problem",
    "employer.ack_joined",
    "employer.ack_nobody",
    "employer.faq_followup",
    "employer.faq_glad",
    "employer.no_show_recorded",
    "employer.no_show_recorded_ticket",
    "employer.no_show_which",
    "employer.noted",
    "employer.help",
    "employer.welcome",
    "ticket.consultant_new",
    "ticket.consultant_new_recruitment",
    "ticket.consultant_new_problem",
    "ticket.reassigned",
    "ticket.employer_followup",
    "ticket.no_show",
    "ticket.warning",
    "ticket.warning_visit",
    "ticket.escalated_lead",
    "ticket.escalated_lead_visit",
]
PARAMS = {
    "reference": "V-2026-000045",
    "consultant": "Christoffer",
    "due_day": "onsdag 25. november",
    "due_time": "08:00",
    "visit_day": "onsdag 25. november",
    "visit_time": "08:00",
    "citizen": "Abdirahman Mohamed",
    "choices": "1 Amal, 2 Omar, 3 Yonas",
    "name": "Hanne",
    "company": "Fynsk Bageri og Konditori ApS",
    "contact": "Hanne Berg Sørensen",
    "contact_phone": "+4530000001",
    "summary": "x" * 120,
    "assignee": "Christoffer Andersen",
}


@pytest.mark.parametrize("msgid", IDS)
@pytest.mark.parametrize("language", ["en", "da"])
def test_text_exists_and_fits_three_sms(msgid: str, language: str) -> None:
    assert gettext(msgid, language) != msgid
    text = render(msgid, language, PARAMS)
    assert "{" not in text
    assert count_segments(text).count <= 3
