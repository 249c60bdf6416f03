from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from bot.attendance import attendance
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.contacts.service import ContactInputError
from bot.items import service as items
from bot.items.models import OpenItem
from bot.sick_notices import service
from bot.sick_notices.service import NoticeOptions
from tests.absences.conftest import STARTED

TZ = "Europe/Copenhagen"


def test_staff_mark_a_whole_day_with_exceptions(engine, world, now):
    with Session(engine) as s:
        rows = attendance.mark_many(
            s, appointment_ids=[world.klass.id, world.internship.id], outcome="attended", now=now + STARTED,
            staff_id=world.consultant.id, exceptions={world.internship.id: Outcome.absent_without_notice},
        )
        s.commit()
        assert {r.appointment_id: r.outcome for r in rows} == {
            world.klass.id: Outcome.attended, world.internship.id: Outcome.absent_without_notice}
        assert all(r.source == OutcomeSource.staff for r in rows)


def test_an_unknown_outcome_or_appointment_is_refused_by_name(engine, world, now):
    with Session(engine) as s:
        with pytest.raises(ContactInputError) as err:
            attendance.mark_many(s, appointment_ids=[world.klass.id], outcome="sleeping", now=now, staff_id=None)
        assert err.value.field == "outcome"
        with pytest.raises(ContactInputError) as err:
            attendance.mark_many(s, appointment_ids=[999], outcome="attended", now=now, staff_id=None)
        assert err.value.field == "appointment_ids"


def test_a_sick_notice_does_not_overwrite_what_staff_recorded(engine, world, now):
    with Session(engine) as s:
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome="attended", now=now + STARTED, staff_id=None)
        service.record_sick_notice(s, citizen_id=world.citizen.id, starts_on=date(2026, 11, 24), ends_on=None,
                                   text=None, now=now, options=NoticeOptions(tz=TZ))
        s.commit()
        assert s.get(Attendance, world.klass.id).outcome == Outcome.attended
        assert s.get(Attendance, world.internship.id).outcome == Outcome.absent_with_notice


def test_employer_no_show_is_recorded_pending_a_check(engine, world, now):
    with Session(engine) as s:
        marked = attendance.record_employer_no_show(
            s, employer_id=world.employer.id, citizen_id=world.citizen.id, day=date(2026, 11, 24),
            now=now + timedelta(hours=5), tz=TZ, contact_id=world.employer_contact.id)
        s.commit()
        assert [m.appointment_id for m in marked] == [world.internship.id]
        row = s.get(Attendance, world.internship.id)
        assert row.outcome == Outcome.absent_without_notice and row.pending_check
        item = s.exec(select(OpenItem).where(OpenItem.kind == "attendance_check")).one()
        assert item.assignee_id == world.consultant.id


def test_employer_no_show_keeps_a_sick_notice(engine, world, now):
    with Session(engine) as s:
        service.record_sick_notice(s, citizen_id=world.citizen.id, starts_on=date(2026, 11, 24), ends_on=None,
                                   text=None, now=now, options=NoticeOptions(tz=TZ))
        marked = attendance.record_employer_no_show(
            s, employer_id=world.employer.id, citizen_id=world.citizen.id, day=date(2026, 11, 24),
            now=now + timedelta(hours=5), tz=TZ)
        assert marked == []
        assert s.get(Attendance, world.internship.id).outcome == Outcome.absent_with_notice


def test_recording_an_outcome_closes_the_missing_outcome_item(engine, world, now):
    with Session(engine) as s:
        items.open(s, kind="attendance_missing", summary="x", now=now,
                   dedupe_key=attendance.missing_key(world.klass.id))
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome="attended", now=now + STARTED, staff_id=None)
        s.commit()
        assert items.list_open(s, kind="attendance_missing") == []


def test_staff_record_no_outcome_before_the_appointment_starts(engine, world, now):
    with Session(engine) as s:
        with pytest.raises(attendance.NotStarted) as refused:
            attendance.mark_many(s, appointment_ids=[world.klass.id, world.wednesday_class.id],
                                 outcome=Outcome.absent_without_notice, now=world.klass.starts_at, staff_id=None)
        assert [a.id for a in refused.value.appointments] == [world.wednesday_class.id]
        assert refused.value.field == "appointment_ids"
        assert s.exec(select(Attendance)).all() == []
        rows = attendance.mark_many(s, appointment_ids=[world.klass.id], outcome=Outcome.absent_without_notice,
                                    now=world.klass.starts_at, staff_id=None)
        assert rows[0].outcome == Outcome.absent_without_notice  # from the moment it starts
