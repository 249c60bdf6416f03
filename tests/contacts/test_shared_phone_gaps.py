"""Issue 18's remaining pieces: a photo during an open hearing is documentation on the case and
in the evidence export (bytes and all); a sick notice's photo in the API only for health-data
readers; reminders to a shared number name the person by first name; the clock's re-prompt on a
shared phone is for the person the waiting question is about. Time travels by ``now``."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels.media import MediaStatus, MessageMedia
from bot.channels.models import Direction, Message
from bot.config import Settings
from bot.contacts.models import Citizen, Role, Staff
from bot.contacts.registry import citizens_of
from bot.conversations.household import waiting_person
from bot.conversations.jobs import run_flow_timeouts
from bot.conversations.models import Conversation
from bot.hearings.export import export_case
from bot.hearings.models import HearingCase, HearingDocument
from bot.i18n import render
from bot.media.documents import SOURCE_TEXT
from bot.reminders import service as appointments
from bot.reminders.dispatch import enqueue_due
from bot.reminders.models import AppointmentKind
from bot.reminders.service import AppointmentInput
from bot.sick_notices.models import SickNotice
from tests.contacts.conftest import PHONE, Post, post_with
from tests.fakes.twilio_api import FakeTwilio
from tests.reminders.helpers import policy

JPEG = b"\xff\xd8\xff\xe0" + b"laegeerklaering" * 50


def _household(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        amal = Citizen(name="Amal Hassan", phone=PHONE, language="da")
        omar = Citizen(name="Omar Hassan", phone=PHONE, language="da")
        session.add_all([amal, omar])
        session.commit()
        return int(amal.id or 0), int(omar.id or 0)


def _open_case(engine: Engine, citizen_id: int, now: datetime) -> int:
    with Session(engine) as session:
        staff = Staff(name="Sanne", email="sanne@kommune.dk", role=Role.caseworker)
        session.add(staff)
        session.flush()
        case = HearingCase(reference="H-2026-000001", citizen_id=citizen_id, opened_by_id=staff.id or 0,
                           opened_at=now - timedelta(days=1), period_from=date(2026, 11, 16),
                           period_to=date(2026, 11, 20), reply_deadline=now + timedelta(days=14))
        session.add(case)
        session.commit()
        return int(case.id or 0)


def test_a_photo_during_an_open_hearing_is_on_the_case_and_in_the_export_with_its_bytes(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    amal, omar = _household(engine)
    case_id = _open_case(engine, omar, now)
    post = post_with(engine, twilio_settings)
    url = fake_twilio.add_media("image/jpeg", JPEG)
    payload = {"NumMedia": "1", "MediaUrl0": url, "MediaContentType0": "image/jpeg"}
    replies = post("Omar", now, payload=payload)  # named: the photo is Omar's
    assert "media.photo_attached" in [m.template for m in replies]
    with Session(engine) as session:
        [row] = session.exec(select(MessageMedia)).all()
        assert row.citizen_id == omar and row.status == MediaStatus.stored
        [document] = session.exec(select(HearingDocument).where(HearingDocument.case_id == case_id)).all()
        assert document.description.startswith(SOURCE_TEXT)
        reference, digest = row.reference, row.sha256
        data = export_case(session, case_id=case_id, tz=twilio_settings.timezone, now=now + timedelta(hours=1))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read(f"media/{reference}.jpg") == JPEG
    [listed] = json.loads(archive.read("case.json"))["files"]
    assert listed["content_type"] == "image/jpeg" and listed["size"] == len(JPEG)
    assert listed["sha256"] == digest and listed["received_at"].startswith("2026-11-24T07:00")
    assert listed["source"] == SOURCE_TEXT
    manifest = archive.read("manifest.sha256").decode()
    assert f"{digest}  media/{reference}.jpg" in manifest
    summary = archive.read("summary.txt").decode()
    assert f"{reference} modtaget" in summary and digest in summary
    assert amal != omar


def test_an_other_persons_case_export_never_lists_the_household_s_other_photos(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    amal, omar = _household(engine)
    case_id = _open_case(engine, amal, now)
    post = post_with(engine, twilio_settings)
    url = fake_twilio.add_media("image/jpeg", JPEG)
    post("Omar", now, payload={"NumMedia": "1", "MediaUrl0": url, "MediaContentType0": "image/jpeg"})
    with Session(engine) as session:
        data = export_case(session, case_id=case_id, tz=twilio_settings.timezone, now=now + timedelta(hours=1))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert json.loads(archive.read("case.json"))["files"] == []
    assert not [n for n in archive.namelist() if n.startswith("media/")]
    assert omar != amal


def test_reminders_to_a_shared_number_name_the_person_by_first_name_only(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    amal, omar = _household(engine)
    starts = now + timedelta(days=2, hours=2)
    with Session(engine) as session:
        for who in (amal, omar):
            appointments.create_appointment(
                session, AppointmentInput(citizen_id=who, kind=AppointmentKind.meeting, starts_at=starts,
                                          location="Rådhuset"), policy=policy(), now=now)
        session.commit()
    enqueue_due(engine, starts - timedelta(hours=23), settings.timezone)
    with Session(engine) as session:
        sent = session.exec(select(Message).where(Message.direction == Direction.outbound)
                            .order_by(col(Message.contact_id))).all()
        texts = [render(m.template or "", m.locale or "da", m.params) for m in sent]
    assert [m.template for m in sent] == ["reminder.meeting_for", "reminder.meeting_for"]
    assert texts[0].startswith("Til Amal: Påmindelse: samtale i kommunen")
    assert texts[1].startswith("Til Omar: Påmindelse:")
    assert not [t for t in texts if "Hassan" in t]


def test_the_clock_re_prompts_the_person_the_waiting_question_is_about(
    engine: Engine, post: Post, settings: Settings, now: datetime
) -> None:
    amal, omar = _household(engine)
    post("jeg er syg", now)
    asked = post("2", now + timedelta(minutes=5))  # Omar
    assert [m.template for m in asked] == ["absence.receipt_ask_length"]
    with Session(engine) as session:
        [notice] = session.exec(select(SickNotice)).all()
        assert notice.citizen_id == omar
        conversation = session.exec(select(Conversation).where(Conversation.phone == PHONE)).one()
        assert conversation.wait_until is not None
        # Amal holds the number first; the question waits for Omar, so the clock acts for him.
        assert waiting_person(session, conversation) == next(c for c in citizens_of(session, PHONE) if c.id == omar)
        before = {m.id for m in session.exec(select(Message))}
    assert run_flow_timeouts(engine, settings, None, now + timedelta(days=2)) == 1
    with Session(engine) as session:
        conversation = session.exec(select(Conversation).where(Conversation.phone == PHONE)).one()
        assert conversation.wait_until is None and conversation.contact_id == omar
        [notice] = session.exec(select(SickNotice)).all()
        assert notice.citizen_id == omar and amal != omar
        outbound = session.exec(select(Message).where(Message.direction == Direction.outbound)).all()
        assert not [m for m in outbound if m.id not in before and m.contact_id != omar]
