"""A small world: a citizen with a Danish class and an internship at Netto, their consultant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from bot.contacts import centres
from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff
from bot.reminders.models import Appointment, AppointmentKind, Placement

# From the fixed "now" (Tuesday 08:00 local) to after Tuesday's class and internship have started:
# staff record outcomes only for appointments that have started.
STARTED = timedelta(hours=5)


@dataclass
class World:
    citizen: Citizen
    consultant: Staff
    employer: Employer
    employer_contact: EmployerContact
    centre_contact_id: int
    centre_id: int
    placement: Placement
    klass: Appointment  # Tuesday 09:00 local
    internship: Appointment  # Tuesday 12:00 local
    wednesday_class: Appointment  # Wednesday 09:00 local


def add_appointment(s: Session, citizen_id: int, kind: AppointmentKind, starts_at: datetime, **kw) -> Appointment:
    appointment = Appointment(citizen_id=citizen_id, kind=kind, starts_at=starts_at, created_at=starts_at, **kw)
    s.add(appointment)
    s.flush()
    return appointment


@pytest.fixture
def world(engine, now) -> World:
    with Session(engine, expire_on_commit=False) as s:
        consultant = Staff(name="Karen", email="karen@kommune.dk", role=Role.consultant)
        s.add(consultant)
        s.flush()
        citizen = Citizen(name="Amal Hassan", phone="+4520123456", language="ar", consultant_id=consultant.id)
        employer = Employer(name="Netto")
        s.add_all([citizen, employer])
        s.flush()
        contact = EmployerContact(employer_id=employer.id, name="Jens", phone="+4521000001", language="da")
        s.add(contact)
        s.flush()
        centre = centres.create_centre(session=s, name="Sprogcenter Helsingør", now=now)
        centre_contact = centres.create_centre_contact(session=s, centre_id=centre.id, name="Lone",
                                                       phone="+4521000002", language="en", now=now)
        placement = Placement(citizen_id=citizen.id, employer_id=employer.id, start_date=date(2026, 11, 1),
                              contact_id=contact.id)
        s.add(placement)
        s.flush()
        klass = add_appointment(s, citizen.id, AppointmentKind.class_, datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
                                centre_id=centre.id, title="Dansk 2")
        internship = add_appointment(s, citizen.id, AppointmentKind.internship_day,
                                     datetime(2026, 11, 24, 11, 0, tzinfo=UTC), placement_id=placement.id)
        wednesday = add_appointment(s, citizen.id, AppointmentKind.class_, datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
                                    centre_id=centre.id)
        s.commit()
        return World(citizen, consultant, employer, contact, centre_contact.id, centre.id, placement,
                     klass, internship, wednesday)
