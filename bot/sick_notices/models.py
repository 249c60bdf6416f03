"""Sick notices, the appointments they cover, cancellations (afbud) and who was told.

A sick notice is health data: its free text is for the consultant and caseworkers only.
Employers and language centres are told that the citizen is absent, never why.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as ApiField
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.models_base import json_field, utc_field


class SickNotice(SQLModel, table=True):
    __tablename__ = "sick_notice"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    received_at: datetime = utc_field(nullable=False, index=True)
    starts_on: date
    ends_on: date | None = None  # None: the citizen does not know yet
    ended_at: datetime | None = utc_field()  # when the citizen wrote "I'm better"
    late: bool = False  # arrived after an activity of the first day had started
    # Health data: shown to the consultant and caseworkers only.
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source: str = "sms"  # sms | staff
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
    inbound_message_id: int | None = Field(default=None, foreign_key="message.id")
    receipt_message_id: int | None = Field(default=None, foreign_key="message.id")
    documentation_asked_at: datetime | None = utc_field()
    # The last local day the citizen was asked "are you still sick?" (open-ended notices only).
    checked_in_on: date | None = None


class SickNoticeAppointment(SQLModel, table=True):
    __tablename__ = "sick_notice_appointment"

    sick_notice_id: int = Field(foreign_key="sick_notice.id", primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True, index=True)
    late: bool = False  # the appointment had started when the notice arrived


class Cancellation(SQLModel, table=True):
    """An afbud: the citizen said they cannot come. Their evidence of notice from the moment it
    arrived; the appointment may be settled later (several were waiting for an answer)."""

    __tablename__ = "cancellation"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    received_at: datetime = utc_field(nullable=False, index=True)
    # Their own words; may hold health details, so it is shown like a sick notice's text.
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    late: bool = False  # arrived after the appointment had started
    source: str = "sms"  # sms | phone | staff
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")
    inbound_message_id: int | None = Field(default=None, foreign_key="message.id")
    receipt_message_id: int | None = Field(default=None, foreign_key="message.id")
    # The reason was sickness: the record lives on as this sick notice (kept for the evidence).
    sick_notice_id: int | None = Field(default=None, foreign_key="sick_notice.id")
    # Appointments it may mean when several waited for an answer and none was picked yet.
    may_mean: list[int] = json_field(list)


class NoticeRecipient(StrEnum):
    employer_contact = "employer_contact"
    centre_contact = "centre_contact"
    citizen = "citizen"


class SickNoticeMessage(SQLModel, table=True):
    """Who was told about a notice, by which message (its delivery status is the evidence)."""

    __tablename__ = "sick_notice_message"
    __table_args__ = (UniqueConstraint("sick_notice_id", "purpose", "contact_kind", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sick_notice_id: int = Field(foreign_key="sick_notice.id", index=True)
    message_id: int = Field(foreign_key="message.id")
    # receipt | notice:<local day> (one per newly covered day) | ended | check_in:<local day>
    purpose: str
    contact_kind: NoticeRecipient
    contact_id: int


# What the API reads and returns, beside the tables (``/api/v1``).

class NoticeDocument(BaseModel):
    media_id: int
    content_type: str
    sha256: str | None


class SickNoticePublic(BaseModel):
    id: int
    reference: str
    received_at: ApiDatetime
    starts_on: date
    ends_on: date | None
    ended_at: ApiDatetime | None
    late: bool
    source: str
    text: str | None = ApiField(None, description="Only for consultants, caseworkers and team leads.")
    appointment_ids: list[int]
    receipt_message_id: int | None
    receipt_status: str | None = ApiField(None, description="Delivery status of the receipt SMS.")
    documents: list[NoticeDocument] = ApiField(
        default_factory=list,
        description="Photos and documents the citizen sent for it; only for roles that read health data.",
    )


class SickNoticeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_on: date
    ends_on: date | None = None
    text: str | None = ApiField(None, max_length=2000)
    received_at: ApiDatetime | None = ApiField(None, description="When the citizen called; default now.")
    source: Literal["phone", "in_person"] = "phone"


class CancellationPublic(BaseModel):
    id: int
    reference: str
    appointment_id: int | None = ApiField(description="None while the citizen has not said which.")
    received_at: ApiDatetime = ApiField(description="When the citizen's message or call arrived.")
    reason: str | None = ApiField(None, description="Only for consultants, caseworkers and team leads.")
    late: bool = ApiField(description="Arrived after the appointment had started.")
    source: str
    sick_notice_id: int | None = ApiField(description="The reason was sickness: this sick notice counts.")
    receipt_message_id: int | None
    receipt_status: str | None = ApiField(None, description="Delivery status of the receipt SMS.")


class CancellationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appointment_id: int
    received_at: ApiDatetime | None = ApiField(None, description="When the citizen called; default now.")
    reason: str | None = ApiField(None, max_length=2000)
    source: Literal["phone", "in_person"] = "phone"
