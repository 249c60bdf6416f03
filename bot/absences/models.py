"""Sick notices, attendance outcomes, language centres and hearing cases (partshøring).

A sick notice is health data: its free text is for the consultant and caseworkers only.
Employers and language centres are told that the citizen is absent, never why.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


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
