"""Settings staff change in the panel reach the code that uses them: quiet hours in the reminder
policy, hours per ticket kind in the deadlines, closing days in weekly series."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, Role, Staff
from bot.escalations import service as tickets
from bot.preferences import operating
from bot.preferences.service import PreferenceError, set_preference
from bot.reminders import service as reminders
from bot.reminders.config import build_policy
from bot.reminders.models import AppointmentKind


@pytest.fixture
def admin(session: Session) -> Staff:
    staff = Staff(name="Mette", email="mette@kommune.dk", role=Role.admin)
    session.add(staff)
    session.flush()
    return staff


def test_quiet_hours_from_the_panel_replace_the_environment(session: Session, admin: Staff, settings: Settings,
                                                            now: datetime) -> None:
    assert build_policy(settings, session=session).quiet_start == time(21, 0)  # the default
    quiet = operating.read_quiet("20.30", "7:00")
    set_preference(session, setting=operating.QUIET_HOURS, value=operating.QUIET_HOURS.dump(quiet),
                   acting_staff=admin, now=now)
    policy = build_policy(settings, session=session)
    assert (policy.quiet_start, policy.quiet_end) == (time(20, 30), time(7, 0))
    entry = session.exec(select(AuditEntry)).one()
    assert entry.details == {"from": None, "to": ["20:30", "07:00"]}


def test_a_consultant_may_not_move_quiet_hours(session: Session, now: datetime) -> None:
    karen = Staff(name="Karen", email="karen@kommune.dk", role=Role.consultant)
    session.add(karen)
    session.flush()
    with pytest.raises(PreferenceError):
        set_preference(session, setting=operating.QUIET_HOURS, value=["20:00", "07:00"], acting_staff=karen,
                       now=now)


def test_what_was_typed_wrong_names_its_field() -> None:
    with pytest.raises(PreferenceError) as clock:
        operating.read_quiet("25:00", "07:00")
    assert clock.value.field == "quiet_start"
    with pytest.raises(PreferenceError) as hours:
        operating.read_sla({"problem": "-3"})
    assert hours.value.field == "sla_problem"
    with pytest.raises(PreferenceError) as day:
        operating.read_closing_days("24.12, 31.13")
    assert day.value.field == "closing_days"


def test_hours_per_ticket_kind_set_the_deadline(session: Session, admin: Staff, settings: Settings,
                                                now: datetime) -> None:
    set_preference(session, setting=operating.SLA_HOURS, value={"question": 48}, acting_staff=admin, now=now)
    employer = Employer(name="Netto")
    session.add(employer)
    session.flush()
    question = tickets.open_ticket(session, employer_id=employer.id, kind="question", summary="?", now=now,
                                   settings=settings)
    problem = tickets.open_ticket(session, employer_id=employer.id, kind="problem", summary="!", now=now,
                                  settings=settings)
    assert question.response_due_at == now + timedelta(hours=48)
    assert problem.response_due_at == now + timedelta(hours=24)


def test_closing_days_are_left_out_of_a_weekly_series(session: Session, admin: Staff, settings: Settings,
                                                      now: datetime) -> None:
    days = operating.read_closing_days("24.12\n31.12")
    set_preference(session, setting=operating.CLOSING_DAYS, value=list(days), acting_staff=admin, now=now)
    citizen = Citizen(name="Amal", phone="+4520123456")
    session.add(citizen)
    session.flush()
    data = reminders.AppointmentInput(citizen_id=citizen.id, kind=AppointmentKind.class_,
                                      starts_at=now, title="Dansk")
    _, rows = reminders.create_series(
        session, data, weekdays=[1, 3], start_time=time(9, 0), end_time=None, first_date=date(2026, 12, 21),
        until_date=date(2027, 1, 3), policy=build_policy(settings, session=session), now=now,
    )
    held = {row.starts_at.date() for row in rows}
    assert date(2026, 12, 22) in held and date(2026, 12, 29) in held
    assert not held & {date(2026, 12, 24), date(2026, 12, 31)}
