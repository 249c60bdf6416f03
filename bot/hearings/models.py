"""Hearing cases (partshøring): the absences they concern, documents, remarks, guidance sent."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as ApiField
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.models_base import json_field, utc_field

REPLY_DAYS = 7  # the citizen's time to answer a hearing, unless the caseworker gives another


class HearingStatus(StrEnum):
    awaiting_remarks = "awaiting_remarks"
    assessed = "assessed"
    decided = "decided"
    withdrawn = "withdrawn"


class Recommendation(StrEnum):
    sanction = "sanction"
    no_sanction = "no_sanction"


class DocumentSource(StrEnum):
    language_centre = "language_centre"
    company = "company"
    doctor = "doctor"
    consultant = "consultant"
    sms_ledger = "sms_ledger"
    citizen = "citizen"


class HearingCase(SQLModel, table=True):
    __tablename__ = "hearing_case"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    status: HearingStatus = HearingStatus.awaiting_remarks
    opened_by_id: int = Field(foreign_key="staff.id")
    opened_at: datetime = utc_field(nullable=False)
    period_from: date
    period_to: date
    reply_deadline: datetime = utc_field(nullable=False)
    letter_language: str = "da"
    # The letter's language had unapproved (fuzzy) strings, so it went out as a draft beside the Danish.
    letter_draft: bool = False
    notice_message_id: int | None = Field(default=None, foreign_key="message.id")
    recommendation: Recommendation | None = None
    assessment_reasons: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    assessed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    assessed_at: datetime | None = utc_field()
    decision: Recommendation | None = None
    decision_reasons: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime | None = utc_field()


class HearingAbsence(SQLModel, table=True):
    __tablename__ = "hearing_absence"

    case_id: int = Field(foreign_key="hearing_case.id", primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", primary_key=True)
    # The absence has a sick notice or a cancellation on record and the caseworker included it
    # anyway: why, and who decided (kept on the case and shown in the letter's file).
    override_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    overridden_by_id: int | None = Field(default=None, foreign_key="staff.id")


class HearingDocument(SQLModel, table=True):
    """One piece of documentation in a case, with where it came from and when."""

    __tablename__ = "hearing_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="hearing_case.id", index=True)
    source: DocumentSource
    description: str = Field(sa_column=Column(Text, nullable=False))
    # Documentation the assistant collects itself also carries a message id and parameters, so
    # the hearing letter can describe it in the citizen's language, not only in staff's.
    description_id: str | None = None
    description_params: dict[str, Any] = json_field(dict)
    received_at: datetime = utc_field(nullable=False)
    added_by_id: int | None = Field(default=None, foreign_key="staff.id")
    added_at: datetime | None = utc_field()
    message_id: int | None = Field(default=None, foreign_key="message.id")


class HearingRemark(SQLModel, table=True):
    """What the citizen said during the hearing: an SMS, or a remark staff wrote down."""

    __tablename__ = "hearing_remark"
    __table_args__ = (UniqueConstraint("case_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="hearing_case.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    received_at: datetime = utc_field(nullable=False)
    recorded_by_id: int | None = Field(default=None, foreign_key="staff.id")


class GuidanceDelivery(SQLModel, table=True):
    """The sanction-rules guidance sent to a citizen: which language version, when, by whom."""

    __tablename__ = "guidance_delivery"

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    language: str  # the version delivered
    requested_language: str | None = None  # the citizen's language when it was sent
    version: str  # SHA-256 of the guidance text that was delivered
    draft: bool = False  # a translation not yet approved by the municipality
    message_id: int | None = Field(default=None, foreign_key="message.id")
    sent_by_id: int | None = Field(default=None, foreign_key="staff.id")
    sent_at: datetime = utc_field(nullable=False)


# What the API reads and returns, beside the tables (``/api/v1``).

class HearingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    citizen_id: int
    appointment_ids: list[int] = ApiField(description="The selected absences without notice.")
    reply_days: int = ApiField(REPLY_DAYS, ge=1, le=60, description="Days the citizen has to answer.")
    overrides: dict[int, str] = ApiField(
        default_factory=dict,
        description="Appointment id -> the caseworker's reason for including an absence that has a sick "
        "notice or a cancellation on record; without one such an absence is refused (422).",
    )


class DocumentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: DocumentSource
    description: str = ApiField(min_length=1, max_length=4000)
    received_at: ApiDatetime
    message_id: int | None = None


class RemarkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ApiField(min_length=1, max_length=8000, description="What the citizen said, written down.")
    received_at: ApiDatetime


class Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Recommendation = ApiField(description="sanction or no_sanction")
    reasons: str = ApiField(min_length=1, max_length=8000)


class DocumentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: DocumentSource
    description: str
    received_at: ApiDatetime
    message_id: int | None


class RemarkPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    message_id: int | None
    text: str | None
    received_at: ApiDatetime


class NoticeOnRecordPublic(BaseModel):
    kind: str = ApiField(description="sick_notice or cancellation")
    reference: str
    received_at: ApiDatetime


class HearingAbsencePublic(BaseModel):
    appointment_id: int
    starts_at: ApiDatetime
    kind: str
    notices_on_record: list[NoticeOnRecordPublic]
    override_reason: str | None = ApiField(description="Why the caseworker included it despite the notice.")
    overridden_by_id: int | None


class PeriodNoticePublic(BaseModel):
    kind: str = ApiField(description="sick_notice or cancellation")
    reference: str
    received_at: ApiDatetime
    late: bool
    source: str
    message_id: int | None
    starts_on: date | None = ApiField(description="A sick notice: the first day it covers.")
    ends_on: date | None = ApiField(description="A sick notice: the last day (null: open-ended).")
    appointment_ids: list[int] = ApiField(description="A cancellation: what it was for (or may mean).")
    settled: bool = ApiField(description="A cancellation: false while the appointment it meant is not known.")
    first_received_as: str | None = ApiField(description="A sick notice that arrived as this cancellation.")


class HearingPublic(BaseModel):
    id: int
    reference: str
    citizen_id: int
    status: HearingStatus
    opened_at: ApiDatetime
    opened_by_id: int
    period_from: str
    period_to: str
    reply_deadline: ApiDatetime
    letter_language: str
    letter_draft: bool = ApiField(
        description="The letter's language had translations not yet approved: it went out as a draft "
        "with a note, beside the Danish text."
    )
    notice_message_id: int | None
    appointment_ids: list[int]
    absences: list[HearingAbsencePublic]
    notices: list[PeriodNoticePublic] = ApiField(
        description="Every sick notice and cancellation of the period."
    )
    documents: list[DocumentPublic]
    remarks: list[RemarkPublic]
    recommendation: Recommendation | None
    assessment_reasons: str | None
    assessed_by_id: int | None
    assessed_at: ApiDatetime | None
    decision: Recommendation | None
    decision_reasons: str | None
    decided_by_id: int | None
    decided_at: ApiDatetime | None


class GuidancePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    citizen_id: int
    language: str
    requested_language: str | None
    version: str
    draft: bool
    message_id: int | None
    sent_at: ApiDatetime
