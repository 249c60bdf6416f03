"""A citizen's appointments as an iCalendar feed at a secret address.

The consultant makes the address and can share it (a phone's calendar subscribes to it) and
revoke it. Only the token's SHA-256 is stored, so a copy of the database opens no calendars;
making a new address replaces the old one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from bot.contacts.models import Citizen
from bot.contacts.service import NotFound
from bot.reminders import texts
from bot.reminders.models import Appointment, AppointmentStatus

PAST = timedelta(days=30)
FUTURE = timedelta(days=366)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _citizen(session: Session, citizen_id: int) -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"There is no citizen with id {citizen_id}.")
    return citizen


def issue_token(session: Session, *, citizen_id: int) -> str:
    """A new secret for the citizen's feed; the previous address stops working."""
    citizen = _citizen(session, citizen_id)
    token = secrets.token_urlsafe(24)
    citizen.calendar_token = _digest(token)
    session.add(citizen)
    session.flush()
    return token


def revoke_token(session: Session, *, citizen_id: int) -> bool:
    citizen = _citizen(session, citizen_id)
    had = citizen.calendar_token is not None
    citizen.calendar_token = None
    session.add(citizen)
    session.flush()
    return had


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/calendar/{token}.ics"


def citizen_for_token(session: Session, token: str) -> Citizen | None:
    if not token:
        return None
    return session.exec(select(Citizen).where(Citizen.calendar_token == _digest(token))).first()


def feed(session: Session, citizen: Citizen, *, now: datetime, zone: str, host: str) -> bytes:
    """The citizen's appointments from a month ago to a year ahead, in their language.

    Cancelled appointments stay in the feed as cancelled, so subscribed calendars remove them.
    """
    language = citizen.language
    cal = Calendar()
    cal.add("prodid", "-//Integration assistant//reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", citizen.name)
    cal.add("x-wr-timezone", zone)
    rows = session.exec(
        select(Appointment)
        .where(
            Appointment.citizen_id == citizen.id,
            col(Appointment.starts_at) >= now - PAST,
            col(Appointment.starts_at) < now + FUTURE,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    ).all()
    for appointment in rows:
        event = Event()
        event.add("uid", f"appointment-{appointment.id}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at or appointment.starts_at + timedelta(hours=1))
        event.add("summary", texts.what(appointment, language))
        if appointment.location:
            event.add("location", appointment.location)
        details = [value for value in (appointment.contact_name, appointment.travel_hint) if value]
        if details:
            event.add("description", "\n".join(details))
        if appointment.updated_at is not None:
            event.add("last-modified", appointment.updated_at)
        cancelled = appointment.status == AppointmentStatus.cancelled
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # Each change makes a newer version, so a subscribed calendar picks up moves.
        stamp = appointment.updated_at or appointment.created_at or now
        event.add("sequence", int(stamp.timestamp()) // 60 % 2_000_000_000)
        cal.add_component(event)
    return bytes(cal.to_ical())
