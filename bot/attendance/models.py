"""Attendance outcomes of appointments (the language centres that report them are contacts)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
from pydantic import Field as ApiField
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.models_base import utc_field


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


class Counts(StrEnum):
    present = "present"
    absent = "absent"
    not_counted = "not_counted"


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


# What the API reads and returns, beside the tables (``/api/v1``).

class AttendancePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    appointment_id: int
    citizen_id: int
    outcome: Outcome
    source: str
    pending_check: bool
    note: str | None
    recorded_at: ApiDatetime | None
    recorded_by_id: int | None


class AbsenceLine(BaseModel):
    appointment_id: int
    kind: str
    starts_at: ApiDatetime
    title: str | None
    outcome: Outcome | None
    pending_check: bool
    sick_notice_ids: list[int]


class AttendanceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: str | None = ApiField(None, max_length=1000)


class MarkMany(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appointment_ids: list[int] = ApiField(min_length=1, description="The whole class or day.")
    outcome: Outcome = Outcome.attended
    exceptions: dict[int, Outcome] = ApiField(default_factory=dict, description="Appointment id -> outcome.")
    note: str | None = None


class BreakdownLine(BaseModel):
    outcome: Outcome
    count: int
    counts: Counts = ApiField(description="present, absent (counts against the rate) or not_counted")


class AttendanceReport(BaseModel):
    citizen_id: int
    period_from: date
    period_to: date
    present: int
    absent: int
    not_counted: int
    without_outcome: int
    percent: float | None
    band: str
    band_label: str
    by_outcome: dict[str, int]
    basis: str = ApiField(
        description="physical_attendance (the default) or custom: staff changed what counts"
    )
    counted_against: list[Outcome] = ApiField(description="The outcomes that count against the rate.")
    breakdown: list[BreakdownLine] = ApiField(description="Every outcome, its count and how it counted.")
    lines: list[AbsenceLine]
