"""Absences without notice across a period: whose, which days, what can go into a hearing."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.access import Viewer
from bot.attendance import attendance, unexcused
from bot.attendance.models import Outcome, OutcomeSource
from bot.audit.models import AuditEntry
from bot.contacts.models import Citizen, Role, Staff
from bot.contacts.service import ContactInputError
from bot.hearings import hearings
from bot.reminders.models import AppointmentKind
from tests.absences.conftest import STARTED, add_appointment

TZ = "Europe/Copenhagen"


def _viewer(s: Session, role: Role, name: str) -> Viewer:
    staff = Staff(name=name, email=f"{name.lower()}@kommune.dk", role=role)
    s.add(staff)
    s.flush()
    return Viewer.of(staff)


def _absent(s, appointment_ids, now):
    attendance.mark_many(s, appointment_ids=appointment_ids, outcome=Outcome.absent_without_notice, now=now,
                         staff_id=None)


def test_the_last_month_by_citizen_with_every_absence_without_notice(engine, world, now):
    with Session(engine, expire_on_commit=False) as s:
        other = Citizen(name="Bashir Ahmadi", phone="+4520999999", language="fa")
        s.add(other)
        s.flush()
        old = add_appointment(s, world.citizen.id, AppointmentKind.class_, now - timedelta(days=40))
        early = add_appointment(s, other.id, AppointmentKind.meeting, now - timedelta(days=3))
        _absent(s, [world.klass.id, old.id, early.id], now + STARTED)
        attendance.mark_many(s, appointment_ids=[world.internship.id], outcome=Outcome.attended,
                             now=now + STARTED, staff_id=None)
        caseworker = _viewer(s, Role.caseworker, "Birte")
        report = unexcused.without_notice(s, acting_staff=caseworker, period_from=date(2026, 10, 24),
                                          period_to=date(2026, 11, 24), tz=TZ, now=now + STARTED)
        assert [(c.name, [a.appointment.id for a in c.absences]) for c in report.citizens] == [
            ("Amal Hassan", [world.klass.id]), ("Bashir Ahmadi", [early.id])]
        assert report.count == 2 and not report.truncated
        longer = unexcused.without_notice(s, acting_staff=caseworker, period_from=date(2026, 10, 1),
                                          period_to=date(2026, 11, 24), tz=TZ, now=now + STARTED)
        assert [a.appointment.id for a in longer.citizens[0].absences] == [old.id, world.klass.id]
        entry = s.exec(select(AuditEntry).where(AuditEntry.subject == "absences:without_notice")).first()
        assert entry is not None and entry.staff_id == caseworker.staff_id and entry.action == "view"
        assert entry.details == {"from": "2026-10-24", "to": "2026-11-24",
                                 "citizen_ids": sorted([world.citizen.id, other.id])}


def test_the_last_day_is_a_whole_local_day(engine, world, now):
    with Session(engine) as s:
        late = add_appointment(s, world.citizen.id, AppointmentKind.meeting,
                               datetime(2026, 11, 23, 22, 30, tzinfo=UTC))  # 23:30 local on the 23rd
        _absent(s, [late.id], now)
        caseworker = _viewer(s, Role.caseworker, "Birte")
        on_23rd = unexcused.without_notice(s, acting_staff=caseworker, period_from=date(2026, 11, 23),
                                           period_to=date(2026, 11, 23), tz=TZ, now=now)
        on_24th = unexcused.without_notice(s, acting_staff=caseworker, period_from=date(2026, 11, 24),
                                           period_to=date(2026, 11, 24), tz=TZ, now=now)
        assert on_23rd.count == 1 and on_24th.count == 0


def test_a_consultant_sees_only_their_own_citizens_and_the_benefits_department_none(engine, world, now):
    with Session(engine) as s:
        other = Citizen(name="Bashir Ahmadi", phone="+4520999999", language="fa")
        s.add(other)
        s.flush()
        theirs = add_appointment(s, other.id, AppointmentKind.meeting, now - timedelta(days=3))
        _absent(s, [world.klass.id, theirs.id], now + STARTED)
        own = Viewer(staff_id=world.consultant.id, role=Role.consultant)
        period = {"period_from": date(2026, 11, 1), "period_to": date(2026, 11, 30), "tz": TZ, "now": now}
        seen = unexcused.without_notice(s, acting_staff=own, **period)
        assert [c.citizen_id for c in seen.citizens] == [world.citizen.id]
        benefits = _viewer(s, Role.benefits, "Yrsa")
        assert unexcused.without_notice(s, acting_staff=benefits, **period).citizens == []


def test_what_cannot_go_into_a_hearing_yet_is_marked(engine, world, now):
    with Session(engine) as s:
        _absent(s, [world.klass.id, world.internship.id], now + STARTED)
        attendance.set_outcome(s, appointment=attendance.get_appointment(s, world.internship.id),
                               outcome=Outcome.absent_without_notice, source=OutcomeSource.employer_sms,
                               now=now + STARTED, pending_check=True)
        caseworker = _viewer(s, Role.caseworker, "Birte")
        case = hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.klass.id],
                                  staff_id=caseworker.staff_id, now=now + STARTED, tz=TZ)
        report = unexcused.without_notice(s, acting_staff=caseworker, period_from=date(2026, 11, 1),
                                          period_to=date(2026, 11, 30), tz=TZ, now=now + STARTED)
        rows = {a.appointment.id: a for a in report.citizens[0].absences}
        assert rows[world.klass.id].open_case is not None
        assert rows[world.klass.id].open_case.reference == case.reference
        assert rows[world.internship.id].attendance.pending_check
        assert report.citizens[0].openable_ids == []


@pytest.mark.parametrize(("first", "last", "field"), [
    (date(2026, 11, 30), date(2026, 11, 1), "to"),
    (date(1999, 12, 31), date(2026, 11, 1), "from"),
    (date(2024, 1, 1), date(2026, 11, 1), "to"),
])
def test_a_period_that_cannot_be_listed_names_its_field(engine, world, now, first, last, field):
    with Session(engine) as s:
        caseworker = _viewer(s, Role.caseworker, "Birte")
        with pytest.raises(ContactInputError) as refused:
            unexcused.without_notice(s, acting_staff=caseworker, period_from=first, period_to=last, tz=TZ, now=now)
        assert refused.value.field == field


@pytest.mark.parametrize(("today", "first"), [
    (datetime(2026, 11, 24, 7, 0, tzinfo=UTC), date(2026, 10, 24)),
    (datetime(2026, 3, 31, 7, 0, tzinfo=UTC), date(2026, 2, 28)),
    (datetime(2026, 1, 15, 7, 0, tzinfo=UTC), date(2025, 12, 15)),
    (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), date(2026, 11, 1)),  # already 1 December in Copenhagen
])
def test_the_default_period_is_the_last_month_up_to_today(today, first):
    start, end = unexcused.default_period(today, TZ)
    assert start == first and end == today.astimezone(ZoneInfo(TZ)).date()
