"""Placements, appointments (single or expanded from a weekly series) and their reminders.

A reminder is a row with a ``due_at``: the database is the truth, the scheduler only a clock.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
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


class _Input(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class _Output(SQLModel):
    # Every field is in every answer, with null when empty: the schema says so.
    model_config = ConfigDict(  # type: ignore[assignment]
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


# -- placements ---------------------------------------------------------------------------------


class WeeklySlot(BaseModel):
    weekday: int = Field(ge=0, le=6, description="0 is Monday.")
    start: time
    end: time | None = None


class PlacementBase(SQLModel):
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: PlacementKind = PlacementKind.internship
    start_date: date
    end_date: date | None = None
    address: str | None = Field(default=None, description="Defaults to the employer's address.")
    contact_id: int | None = Field(
        default=None, foreign_key="employer_contact.id", description="The employer contact the citizen meets."
    )
    purpose: str | None = None
    travel_hint: str | None = Field(
        default=None, schema_extra={"examples": ["Bus 340 from Helsingør st. at 07:12"]}
    )


class Placement(PlacementBase, table=True):
    __tablename__ = "placement"

    id: int | None = Field(default=None, primary_key=True)
    # [{"weekday": 0, "start": "08:00", "end": "15:30"}, ...]; Monday is 0.
    weekly_schedule: list[dict[str, Any]] = json_field(list)
    created_at: datetime | None = utc_field()


class PlacementCreate(PlacementBase, _Input):
    weekly_schedule: list[WeeklySlot] = Field(default_factory=list)

    def schedule(self) -> list[dict[str, Any]]:
        """The weekly schedule as the table keeps it: local "HH:MM" times."""
        return [
            {"weekday": s.weekday, "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M") if s.end else None}
            for s in self.weekly_schedule
        ]


class PlacementUpdate(_Input):
    kind: PlacementKind | None = None
    start_date: date | None = None
    end_date: date | None = None
    address: str | None = None
    contact_id: int | None = None
    purpose: str | None = None
    weekly_schedule: list[WeeklySlot] | None = None
    travel_hint: str | None = None


class PlacementPublic(PlacementBase, _Output):
    id: int
    weekly_schedule: list[dict[str, Any]]
    created_at: ApiDatetime | None = None


# -- appointments -------------------------------------------------------------------------------


class AppointmentFields(SQLModel):
    """What a single appointment and a weekly series are both told: where, what, with whom."""

    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    kind: AppointmentKind
    location: str | None = None
    title: str | None = Field(default=None, description="Shown to the citizen instead of the kind.")
    travel_hint: str | None = None
    contact_name: str | None = None
    # Language centres arrive later; a plain column until that table exists.
    centre_id: int | None = None


class AppointmentSeriesBase(AppointmentFields):
    placement_id: int | None = Field(default=None, foreign_key="placement.id")
    first_date: date
    until_date: date
    skip_holidays: bool = Field(default=True, description="Leave out Danish public holidays.")


class AppointmentSeries(AppointmentSeriesBase, table=True):
    """A weekly recurrence (classes, internship days), expanded into Appointment rows."""

    __tablename__ = "appointment_series"

    id: int | None = Field(default=None, primary_key=True)
    weekdays: list[int] = json_field(list)
    start_time: str  # local "HH:MM"
    end_time: str | None = None
    skipped_dates: list[str] = json_field(list)  # ISO dates left out because they are holidays
    created_at: datetime | None = utc_field()


class AppointmentSeriesCreate(AppointmentSeriesBase, _Input):
    """A weekly series: classes or internship days on ``weekdays`` until ``until_date``."""

    weekdays: list[int] = Field(
        min_length=1, description="0 is Monday.", schema_extra={"examples": [[0, 2, 3]]}
    )
    start_time: time
    end_time: time | None = None


class AppointmentSeriesUpdate(_Input):
    title: str | None = None
    location: str | None = None
    travel_hint: str | None = None
    contact_name: str | None = None
    until_date: date | None = None


class AppointmentSeriesPublic(AppointmentSeriesBase, _Output):
    id: int
    weekdays: list[int]
    start_time: str = Field(description="Local time, HH:MM.")
    end_time: str | None
    skipped_dates: list[str] = Field(description="Dates left out because they are holidays.")
    created_at: ApiDatetime | None


class AppointmentBase(AppointmentFields):
    placement_id: int | None = Field(default=None, foreign_key="placement.id", index=True)
    starts_at: ApiDatetime = utc_field(nullable=False, default=...)
    ends_at: ApiDatetime | None = utc_field()
    skip_holidays: bool = True
    external_ref: str | None = Field(default=None, index=True)


class Appointment(AppointmentBase, table=True):
    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_citizen_start", "citizen_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    status: AppointmentStatus = AppointmentStatus.planned
    confirmation: Confirmation = Confirmation.none
    confirmed_at: datetime | None = utc_field()
    # When staff were shown that the citizen has not answered "are you coming?" (once only).
    unconfirmed_flagged_at: datetime | None = utc_field()
    series_id: int | None = Field(default=None, foreign_key="appointment_series.id", index=True)
    cancel_reason: str | None = None
    sms_note: str | None = None  # e.g. "not reachable by SMS"
    created_at: datetime | None = utc_field()
    updated_at: datetime | None = utc_field()


# One appointment; the panel's form, the CSV import and the API all give the service this.
class AppointmentCreate(AppointmentBase, _Input):
    pass


class AppointmentUpdate(_Input):
    """Move (``starts_at``/``ends_at``) or cancel (``status: cancelled``)."""

    starts_at: ApiDatetime | None = None
    ends_at: ApiDatetime | None = None
    status: Literal["cancelled"] | None = None
    reason: str | None = None
    notify: bool = Field(default=True, description="Tell the citizen by SMS.")


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


# A reminder is the policy's, never a person's: it has no Create or Update.
class ReminderPublic(_Output):
    id: int
    recipient_kind: str
    recipient_id: int
    kind: str
    due_at: ApiDatetime
    status: str
    reason: str | None
    asks_confirmation: bool
    message_id: int | None


class AppointmentPublic(AppointmentBase, _Output):
    id: int
    status: AppointmentStatus
    confirmation: Confirmation
    confirmed_at: ApiDatetime | None
    series_id: int | None
    cancel_reason: str | None
    sms_note: str | None
    reminders: list[ReminderPublic] = Field(default_factory=list)
