"""Hearing cases (partshøring): the absences they concern, documents, remarks, guidance sent."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


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
