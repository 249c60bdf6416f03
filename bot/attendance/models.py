"""Attendance outcomes of appointments and the language centres that report them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bot.models_base import utc_field


class LanguageCentre(SQLModel, table=True):
    __tablename__ = "language_centre"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    address: str | None = None
    created_at: datetime | None = utc_field()


class CentreContact(SQLModel, table=True):
    """A person at a language centre who is told about absences (kept like employer contacts)."""

    __tablename__ = "centre_contact"

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="language_centre.id", index=True)
    name: str
    phone: str | None = Field(default=None, unique=True, index=True)
    language: str = "da"
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()


class Outcome(StrEnum):
    attended = "attended"
    absent_with_notice = "absent_with_notice"
    absent_with_late_notice = "absent_with_late_notice"
    absent_without_notice = "absent_without_notice"
    cancelled_by_municipality = "cancelled_by_municipality"
    excused_by_staff = "excused_by_staff"


class OutcomeSource(StrEnum):
    staff = "staff"
    import_file = "import"
    employer_sms = "employer_sms"
    sick_notice = "sick_notice"
    cancellation = "cancellation"


class Attendance(SQLModel, table=True):
    """The outcome of one appointment; one row per appointment, replaced when corrected."""

    __tablename__ = "attendance"

    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    outcome: Outcome
    source: OutcomeSource
    pending_check: bool = False  # e.g. an employer's "did not come" until staff confirm
    note: str | None = None
    sick_notice_id: int | None = Field(default=None, foreign_key="sick_notice.id")
    message_id: int | None = Field(default=None, foreign_key="message.id")
    import_name: str | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
    recorded_at: datetime | None = utc_field()
