"""Legal texts in a language whose translation is not approved go out beside the Danish, with a
one-line note that the translation is a draft; the record says which version was sent."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.channels.models import Message
from bot.contacts.models import Citizen, Role, Staff
from bot.hearings import drafts, guidance, hearings, letters
from bot.i18n import LOCALES_DIR, render
from bot.i18n_review import read, replace_entry
from tests.absences.conftest import STARTED, world  # noqa: F401 - the absence tests' citizen, appointments

TZ = "Europe/Copenhagen"
DANISH_SMS = "Kommunen sender dig et brev om fravær"


@pytest.fixture
def approved_arabic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A copy of the catalogs in which a translator has approved every Arabic hearing text."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    po = copy / "ar" / "LC_MESSAGES" / "messages.po"
    for message in read(po, "ar"):
        if message.id and str(message.id).startswith(("hearing.", "legal.")):
            message.flags.discard("fuzzy")
            replace_entry(po, "ar", message)
    monkeypatch.setitem(drafts.CATALOGS, "dir", copy)
    yield


def _open_case(engine, world, now):  # type: ignore[no-untyped-def]  # noqa: F811
    s = Session(engine, expire_on_commit=False)
    caseworker = Staff(name="Birte", email="birte@kommune.dk", role=Role.caseworker)
    s.add(caseworker)
    s.flush()
    attendance.mark_many(s, appointment_ids=[world.klass.id, world.internship.id],
                         outcome=Outcome.absent_without_notice, now=now + STARTED, staff_id=world.consultant.id)
    case = hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.klass.id],
                              staff_id=caseworker.id, now=now, tz=TZ)
    s.commit()
    return s, case


def test_a_draft_hearing_sms_carries_the_note_and_the_danish(engine, world, now) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    s, case = _open_case(engine, world, now)
    with s:
        sms = s.get(Message, case.notice_message_id)
        assert sms.template == drafts.DRAFT_PAIR and sms.params["draft_of"] == "hearing.sms_letter_coming"
        text = render(sms.template, "ar", sms.params)
        arabic, note, danish = text.split("\n\n")
        assert case.reference in arabic and not arabic.startswith("Kommunen")
        assert note == render("legal.draft_note", "ar")
        assert danish.startswith(DANISH_SMS) and case.reference in danish
        assert case.letter_draft is True


def test_the_draft_letter_says_so_in_one_line_beside_the_danish(engine, world, now) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    s, case = _open_case(engine, world, now)
    with s:
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
        danish, arabic = html.split('<section class="letter"')[1:3]
        assert "draft-note" not in danish and "Partshøring" in danish
        assert arabic.count('class="note draft-note"') == 1
        assert render("legal.draft_note", "ar") in arabic


def test_approved_texts_go_out_alone(engine, world, now, approved_arabic) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    s, case = _open_case(engine, world, now)
    with s:
        sms = s.get(Message, case.notice_message_id)
        assert sms.template == "hearing.sms_letter_coming"
        assert case.letter_draft is False
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
        assert "draft-note" not in html


def test_a_danish_reader_gets_no_draft(engine, world, now) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with Session(engine) as s:
        citizen = s.get(Citizen, world.citizen.id)
        citizen.language = "da"
        s.add(citizen)
        s.commit()
    s, case = _open_case(engine, world, now)
    with s:
        assert s.get(Message, case.notice_message_id).template == "hearing.sms_letter_coming"
        assert case.letter_draft is False


def test_draft_guidance_shows_the_note_the_draft_and_the_danish(engine, world, now) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    text = guidance.guidance_text("ar")
    assert text.draft
    assert text.html.index("draft-note") < text.html.index('lang="ar" dir="rtl"') < text.html.index('lang="da"')
    assert text.html.count('class="draft-note"') == 1
    assert not guidance.guidance_text("da").draft and "draft-note" not in guidance.guidance_text("en").html
    with Session(engine) as s:
        delivery = guidance.send_guidance(s, citizen_id=world.citizen.id, staff_id=None, now=now,
                                          public_url="https://bot.example.dk", allow_draft=True)
        assert delivery.draft and delivery.language == "ar" and delivery.version == text.version
