"""Employer tickets with their SLA clocks and timeline, and the FAQ knowledge base."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.api.types import INT64_MAX
from bot.models_base import json_field, utc_field


class TicketKind(StrEnum):
    problem = "problem"  # a problem with the intern or placement: answer and visit within 24 h
    recruitment = "recruitment"
    question = "question"


class TicketStatus(StrEnum):
    open = "open"
    answered = "answered"
    visited = "visited"
    solved = "solved"
    placement_ended = "placement_ended"
    closed = "closed"


ACTIVE_STATUSES: tuple[TicketStatus, ...] = (TicketStatus.open, TicketStatus.answered, TicketStatus.visited)
OUTCOMES: tuple[TicketStatus, ...] = (TicketStatus.solved, TicketStatus.placement_ended, TicketStatus.closed)


class _Output(SQLModel):
    # Every field is in every answer, with null when empty: the schema says so.
    model_config = ConfigDict(  # type: ignore[assignment]
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


class TicketBase(SQLModel):
    employer_id: int = Field(foreign_key="employer.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="employer_contact.id")
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    kind: TicketKind
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Ticket(TicketBase, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_response_clock", "status", "first_response_at", "response_warn_at"),
        Index("ix_ticket_visit_clock", "status", "visited_at", "visit_warn_at"),
        Index("ix_ticket_contact_created", "contact_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True, index=True)  # V-2026-000045
    status: TicketStatus = Field(default=TicketStatus.open, index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    language: str = "da"  # the employer contact's language when the ticket opened
    # Response clock: stopped by the first staff reply.
    response_due_at: datetime | None = utc_field()
    response_warn_at: datetime | None = utc_field()
    first_response_at: datetime | None = utc_field()
    response_warned_at: datetime | None = utc_field()
    response_escalated_at: datetime | None = utc_field()
    # Visit clock (problems only): stopped when a consultant has been at the company.
    visit_due_at: datetime | None = utc_field()
    visit_warn_at: datetime | None = utc_field()
    visited_at: datetime | None = utc_field()
    # A visit planned within the visit deadline stops the visit clock's escalation.
    visit_planned_for: datetime | None = utc_field()
    visit_warned_at: datetime | None = utc_field()
    visit_escalated_at: datetime | None = utc_field()
    # The first warning / escalation on either clock; escalated tickets show red in the admin.
    warned_at: datetime | None = utc_field()
    escalated_at: datetime | None = utc_field(index=True)
    last_staff_reply_at: datetime | None = utc_field()
    last_employer_message_at: datetime | None = utc_field()
    resolved_at: datetime | None = utc_field()
    resolved_by_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime | None = utc_field(index=True)
    updated_at: datetime | None = utc_field()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_red(self) -> bool:
        return self.escalated_at is not None and self.is_active


# A request that came by phone or mail; replies, visits and outcomes are actions of their own.
class TicketCreate(TicketBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    employer_id: int = Field(ge=1, le=INT64_MAX)
    summary: str = Field(min_length=1, max_length=2000, description="What the company wants, for staff.")
    contact_id: int | None = Field(
        default=None, ge=1, le=INT64_MAX, description="Gets the acknowledgement with the deadline."
    )
    citizen_id: int | None = Field(default=None, ge=1, le=INT64_MAX)


class TicketUpdate(SQLModel):
    """What staff may change on a ticket directly; the clocks move only by the actions."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    assignee_id: int | None = Field(default=None, ge=1, le=INT64_MAX)
    citizen_id: int | None = Field(default=None, ge=1, le=INT64_MAX)
    summary: str | None = Field(default=None, min_length=1, max_length=2000)


class TicketPublic(TicketBase, _Output):
    id: int
    reference: str
    kind: str  # type: ignore[assignment]
    status: str
    assignee_id: int | None
    response_due_at: ApiDatetime | None
    visit_due_at: ApiDatetime | None
    first_response_at: ApiDatetime | None
    visited_at: ApiDatetime | None
    warned_at: ApiDatetime | None
    escalated_at: ApiDatetime | None
    resolved_at: ApiDatetime | None
    created_at: ApiDatetime | None
    is_red: bool = Field(description="A deadline passed and the ticket is not resolved.")


class TicketEventKind(StrEnum):
    opened = "opened"
    employer_message = "employer_message"
    acknowledged = "acknowledged"
    consultant_notified = "consultant_notified"
    warned = "warned"
    escalated = "escalated"
    reassigned = "reassigned"
    staff_reply = "staff_reply"
    visited = "visited"
    resolved = "resolved"
    absence_recorded = "absence_recorded"
    visit_planned = "visit_planned"
    merged = "merged"
    split_off = "split"  # (not ``split``: str.split)


class TicketEvent(SQLModel, table=True):
    """One step on a ticket's timeline; never updated or deleted."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_ticket_event_ticket_at", "ticket_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    at: datetime = utc_field(nullable=False)
    kind: TicketEventKind
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    message_id: int | None = Field(default=None, foreign_key="message.id")
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    details: dict[str, Any] = json_field(dict)


class FaqEntryBase(SQLModel):
    topic: str = ""
    questions: dict[str, list[str]] = json_field(dict)  # language -> question variants
    answers: dict[str, str] = json_field(dict)  # language -> answer
    active: bool = True


class FaqEntry(FaqEntryBase, table=True):
    """A question employers ask, with variants and an answer per language; staff edit these.

    An answer may name ``{consultant_name}``, ``{consultant_phone}``, ``{consultant_email}``
    or ``{company}``; they are filled from the asking company's data.
    """

    __tablename__ = "faq_entry"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    created_at: datetime | None = utc_field()
    updated_at: datetime | None = utc_field()
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")


# The whole entry, saved under the slug in the address (``PUT /escalations/faq/{slug}``).
class FaqEntryCreate(FaqEntryBase):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    questions: dict[str, list[str]]
    answers: dict[str, str]


class FaqEntryUpdate(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    topic: str | None = None
    questions: dict[str, list[str]] | None = None
    answers: dict[str, str] | None = None
    active: bool | None = None


class FaqEntryPublic(FaqEntryBase):
    model_config = ConfigDict(from_attributes=True)  # type: ignore[assignment]

    slug: str
    topic: str
    questions: dict[str, list[str]]
    answers: dict[str, str]
    active: bool
    placeholders: list[str] = Field(default_factory=list, description="Gaps the municipality must fill.")


class FollowUpKind(StrEnum):
    visit = "visit"
    call = "call"


class FollowUp(SQLModel, table=True):
    """The proactive follow-up of one running placement: due at least every few days.

    ``due_at`` is the marker the sweeper claims; ``notified_at`` says the consultant's item
    and the employer's reminder went out for that due date, so they go out once.
    """

    __tablename__ = "placement_follow_up"
    __table_args__ = (Index("ix_placement_follow_up_due", "notified_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", unique=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    due_at: datetime = utc_field(nullable=False)
    notified_at: datetime | None = utc_field()
    last_done_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()


class FollowUpContact(SQLModel, table=True):
    """A follow-up visit or call that took place; the company page lists them over time."""

    __tablename__ = "follow_up_contact"

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: FollowUpKind
    at: datetime = utc_field(nullable=False)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
