"""Placements, appointments (single or expanded from a weekly series) and their reminders.

A reminder is a row with a ``due_at``: the database is the truth, the scheduler only a clock.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


class PlacementKind(StrEnum):
    internship = "internship"
    wage_subsidy = "wage_subsidy"
    igu = "igu"
    job = "job"


class AppointmentKind(StrEnum):
    meeting = "meeting"
    info_meeting = "info_meeting"
    class_ = "class"
    internship_day = "internship_day"
    igu_school = "igu_school"
    job_interview = "job_interview"
    follow_up = "follow_up"
    mentor = "mentor"
    health = "health"
    group = "group"


class AppointmentStatus(StrEnum):
    planned = "planned"
    moved = "moved"
    cancelled = "cancelled"


class Confirmation(StrEnum):
    none = "none"
    confirmed = "confirmed"
    declined = "declined"


class ReminderStatus(StrEnum):
    pending = "pending"
    enqueued = "enqueued"  # one outbound message exists for it; the outbox sends it
    sent = "sent"
    cancelled = "cancelled"
    skipped = "skipped"  # never sent; ``reason`` says why


class RecipientKind(StrEnum):
    citizen = "citizen"
    employer_contact = "employer_contact"


NOT_REACHABLE = "not reachable by SMS"


class Placement(SQLModel, table=True):
    __tablename__ = "placement"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: PlacementKind = PlacementKind.internship
    start_date: date
    end_date: date | None = None
    address: str | None = None
    contact_id: int | None = Field(default=None, foreign_key="employer_contact.id")
    purpose: str | None = None
    # [{"weekday": 0, "start": "08:00", "end": "15:30"}, ...]; Monday is 0.
    weekly_schedule: list[dict[str, Any]] = json_field(list)
    travel_hint: str | None = None
    created_at: datetime | None = utc_field()


class AppointmentSeries(SQLModel, table=True):
    """A weekly recurrence (classes, internship days), expanded into Appointment rows."""

    __tablename__ = "appointment_series"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    kind: AppointmentKind
    title: str | None = None
    location: str | None = None
    weekdays: list[int] = json_field(list)
    start_time: str  # local "HH:MM"
    end_time: str | None = None
    first_date: date
    until_date: date
    placement_id: int | None = Field(default=None, foreign_key="placement.id")
    skip_holidays: bool = True
    skipped_dates: list[str] = json_field(list)  # ISO dates left out because they are holidays
    travel_hint: str | None = None
    contact_name: str | None = None
    centre_id: int | None = None
    created_at: datetime | None = utc_field()


class Appointment(SQLModel, table=True):
    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_citizen_start", "citizen_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    kind: AppointmentKind
    starts_at: datetime = utc_field(nullable=False)
    ends_at: datetime | None = utc_field()
    location: str | None = None
    title: str | None = None
    placement_id: int | None = Field(default=None, foreign_key="placement.id", index=True)
    status: AppointmentStatus = AppointmentStatus.planned
    confirmation: Confirmation = Confirmation.none
    confirmed_at: datetime | None = utc_field()
    # When staff were shown that the citizen has not answered "are you coming?" (once only).
    unconfirmed_flagged_at: datetime | None = utc_field()
    series_id: int | None = Field(default=None, foreign_key="appointment_series.id", index=True)
    skip_holidays: bool = True
    travel_hint: str | None = None
    contact_name: str | None = None
    # Language centres arrive later; a plain column until that table exists.
    centre_id: int | None = None
    cancel_reason: str | None = None
    sms_note: str | None = None  # e.g. "not reachable by SMS"
    external_ref: str | None = Field(default=None, index=True)
    created_at: datetime | None = utc_field()
    updated_at: datetime | None = utc_field()


class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    recipient_kind: RecipientKind = RecipientKind.citizen
    recipient_id: int
    kind: str  # the policy rule that made it: before_24h, class_week, internship_eve ...
    template: str
    due_at: datetime = utc_field(nullable=False)
    status: ReminderStatus = ReminderStatus.pending
    reason: str | None = None
    asks_confirmation: bool = False
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    created_at: datetime | None = utc_field()
    updated_at: datetime | None = utc_field()
