"""The evidence export carries every message of the case, both directions: the reminder the day
before, a cancellation sent ahead, the SMS that the letter is coming, the citizen's reply."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

from sqlmodel import Session

from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.contacts.models import Role, Staff
from bot.hearings import export, hearings
from bot.sick_notices.models import Cancellation
from tests.absences.conftest import STARTED

TZ = "Europe/Copenhagen"


def _message(s, world, direction, at, body, purpose=None):
    row = Message(direction=direction, phone=world.citizen.phone, body=body, contact_kind=ContactKind.citizen,
                  contact_id=world.citizen.id, created_at=at, purpose=purpose,
                  status=MessageStatus.delivered if direction == Direction.outbound else MessageStatus.processed)
    s.add(row)
    s.flush()
    return row


def test_the_messages_before_and_during_the_case_are_all_in_the_export(engine, world, now):
    with Session(engine, expire_on_commit=False) as s:
        caseworker = Staff(name="Birte", email="birte@kommune.dk", role=Role.caseworker)
        s.add(caseworker)
        s.flush()
        week_old = _message(s, world, Direction.outbound, now - timedelta(days=8), "Påmindelse i sidste uge")
        reminder = _message(s, world, Direction.outbound, now - timedelta(days=1), "Påmindelse: dansk i morgen",
                            purpose="reminder")
        ahead = _message(s, world, Direction.inbound, now - timedelta(days=10), "kan ikke komme onsdag")
        s.add(Cancellation(reference="A-2026-000001", citizen_id=world.citizen.id,
                           appointment_id=world.wednesday_class.id, received_at=ahead.created_at,
                           inbound_message_id=ahead.id))
        attendance.mark_many(s, appointment_ids=[world.internship.id], outcome=Outcome.absent_without_notice,
                             now=now + STARTED, staff_id=None)
        case = hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.internship.id],
                                  staff_id=caseworker.id, now=now + STARTED, tz=TZ)
        reply = _message(s, world, Direction.inbound, now + timedelta(days=1), "jeg var syg")
        s.commit()
        archive = zipfile.ZipFile(io.BytesIO(export.export_case(s, case_id=case.id, tz=TZ,
                                                                now=now + timedelta(days=2))))
    rows = json.loads(archive.read("messages.json"))
    ids = [r["id"] for r in rows]
    assert reminder.id in ids and reply.id in ids and case.notice_message_id in ids
    assert ahead.id not in ids  # the cancellation is for another appointment, outside the period
    assert week_old.id not in ids
    assert {r["direction"] for r in rows} == {"inbound", "outbound"}
    assert len(list(csv.DictReader(io.StringIO(archive.read("messages.csv").decode())))) == len(rows)
    assert json.loads(archive.read("case.json"))["messages_from"] == "2026-11-16T23:00:00+00:00"
    assert case.period_from == date(2026, 11, 24)


def test_a_notice_sent_long_before_the_period_opens_the_window_at_its_arrival(engine, world, now):
    with Session(engine, expire_on_commit=False) as s:
        caseworker = Staff(name="Birte", email="birte@kommune.dk", role=Role.caseworker)
        s.add(caseworker)
        s.flush()
        ahead = _message(s, world, Direction.inbound, now - timedelta(days=10), "kan ikke komme tirsdag kl 12")
        s.add(Cancellation(reference="A-2026-000001", citizen_id=world.citizen.id,
                           appointment_id=world.internship.id, received_at=ahead.created_at,
                           inbound_message_id=ahead.id))
        attendance.mark_many(s, appointment_ids=[world.internship.id], outcome=Outcome.absent_without_notice,
                             now=now + STARTED, staff_id=None)
        case = hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.internship.id],
                                  staff_id=caseworker.id, now=now + STARTED, tz=TZ,
                                  overrides={world.internship.id: "Afbuddet blev trukket tilbage i telefonen"})
        s.commit()
        archive = zipfile.ZipFile(io.BytesIO(export.export_case(s, case_id=case.id, tz=TZ,
                                                                now=now + timedelta(days=2))))
    ids = [r["id"] for r in json.loads(archive.read("messages.json"))]
    assert ids[0] == ahead.id  # the citizen's own notice, ten days before, is the first message
    summary = archive.read("summary.txt").decode()
    assert "Beskeder fra 14. november 2026 kl. 08:00, begge retninger" in summary
