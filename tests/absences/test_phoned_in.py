"""Staff record what a citizen said by phone: counted from the call, receipted like an SMS."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome
from bot.channels.models import Message
from bot.contacts.models import Role
from bot.sick_notices.models import Cancellation, SickNotice

from . import test_routes

# The API with the clock at Tuesday 18:00, and staff tokens, as the absence routes are tested.
api = test_routes.api
token = test_routes.token


def test_a_phoned_in_notice_counts_from_the_call_not_from_when_it_was_typed(api, token, world, engine):
    consultant = token(Role.consultant, "karen", staff_id=world.consultant.id)
    # The citizen rang at 07:30; the consultant types it in at 18:00.
    made = api.post(f"/api/v1/citizens/{world.citizen.id}/sick-notices", headers=consultant,
                    json={"starts_on": "2026-11-24", "received_at": "2026-11-24T07:30:00"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["received_at"] == "2026-11-24T06:30:00+00:00"  # 07:30 Copenhagen
    assert body["source"] == "phone"
    assert set(body["appointment_ids"]) == {world.klass.id, world.internship.id}
    assert body["late"] is False
    with Session(engine) as s:
        assert s.get(Attendance, world.klass.id).outcome == Outcome.absent_with_notice
        assert s.exec(select(SickNotice)).one().source == "phone"


def test_a_call_in_the_future_is_refused_and_nothing_is_recorded(api, token, world, engine):
    consultant = token(Role.consultant, "karen", staff_id=world.consultant.id)
    refused = api.post(f"/api/v1/citizens/{world.citizen.id}/sick-notices", headers=consultant,
                       json={"starts_on": "2026-11-24", "received_at": "2026-11-25T07:30:00"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "received_at"
    with Session(engine) as s:
        assert s.exec(select(SickNotice)).all() == []


def test_a_phoned_in_cancellation_is_receipted_and_listed_with_the_absences(api, token, world, engine):
    consultant = token(Role.consultant, "karen", staff_id=world.consultant.id)
    benefits = token(Role.benefits, "yrsa")
    made = api.post(f"/api/v1/citizens/{world.citizen.id}/cancellations", headers=consultant,
                    json={"appointment_id": world.wednesday_class.id, "reason": "doctor's appointment",
                          "received_at": "2026-11-24T16:00:00"})
    assert made.status_code == 201, made.text
    created = made.json()
    assert created["reference"] == "A-2026-000001"
    assert (created["late"], created["source"], created["receipt_status"]) == (False, "phone", "queued")
    with Session(engine) as s:
        receipt = s.get(Message, created["receipt_message_id"])
        assert receipt.template == "absence.cancellation_noted" and receipt.locale == "ar"
        assert s.get(Attendance, world.wednesday_class.id).outcome == Outcome.absent_with_notice
        assert s.exec(select(Cancellation)).one().recorded_by_id == world.consultant.id
    listed = api.get(f"/api/v1/absences?citizen_id={world.citizen.id}", headers=consultant).json()
    assert [(c["reference"], c["appointment_id"], c["reason"]) for c in listed["cancellations"]] == [
        ("A-2026-000001", world.wednesday_class.id, "doctor's appointment")]
    hidden = api.get(f"/api/v1/absences?citizen_id={world.citizen.id}", headers=benefits).json()
    assert hidden["cancellations"][0]["reason"] is None
