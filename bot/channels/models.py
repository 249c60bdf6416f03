"""The message ledger: every inbound and outbound message, the outbox included."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"


class Channel(StrEnum):
    sms = "sms"
    whatsapp = "whatsapp"


class MessageStatus(StrEnum):
    received = "received"  # inbound, stored, not yet processed
    processed = "processed"  # inbound, handled by the pipeline
    process_failed = "process_failed"  # inbound, the pipeline raised; staff see it
    queued = "queued"
    sending = "sending"
    sent = "sent"
    delivered = "delivered"
    undelivered = "undelivered"
    failed = "failed"
    cancelled = "cancelled"  # outbound never sent, e.g. the recipient opted out


OUTBOUND_FINAL = {
    MessageStatus.delivered,
    MessageStatus.undelivered,
    MessageStatus.failed,
    MessageStatus.cancelled,
}


# The purpose of the one message a contact still gets after STOP: its confirmation.
OPT_OUT_CONFIRMATION = "opt_out_confirmation"


class SignatureVerdict(StrEnum):
    valid = "valid"
    not_applicable = "not_applicable"  # simulator and outbound


class ContactKind(StrEnum):
    citizen = "citizen"
    employer_contact = "employer_contact"
    staff = "staff"
    centre_contact = "centre_contact"
    unknown = "unknown"


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_outbox", "direction", "status", "due_at"),
        Index("ix_message_phone_created", "phone", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    direction: Direction
    channel: Channel = Channel.sms
    phone: str = Field(index=False)
    contact_kind: ContactKind = ContactKind.unknown
    contact_id: int | None = None
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Outbound text is rendered at the edge: the message id and parameters are kept so the
    # body can be rendered in the recipient's language when it is sent.
    template: str | None = None
    params: dict[str, Any] = json_field(dict)
    locale: str | None = None
    provider_sid: str | None = Field(default=None, unique=True, index=True)
    status: MessageStatus
    # The channel the provider was last asked to use; set when the message is handed over.
    # ``channel`` is what was stored and sealed in the ledger (what the message was meant to
    # be); this is how it actually travelled: a WhatsApp message outside the 24-hour window
    # goes by SMS, and is recorded here rather than by changing the sealed row.
    sent_channel: Channel | None = None
    error_code: str | None = None
    error_message: str | None = None
    raw_payload: dict[str, Any] = json_field(dict)
    signature: SignatureVerdict = SignatureVerdict.not_applicable
    purpose: str | None = None  # reply, reminder, receipt, notice, ticket ...
    attempts: int = 0
    due_at: datetime | None = utc_field()
    claimed_at: datetime | None = utc_field()
    sent_at: datetime | None = utc_field()
    delivered_at: datetime | None = utc_field()
    status_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()
    in_reply_to_id: int | None = Field(default=None, foreign_key="message.id")
    # Staff resent this message: the earlier attempt it copies (that row keeps its own outcome).
    resend_of_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    # When the provider was last asked about a message left at ``sent`` (see ``delivery_checks``).
    checked_at: datetime | None = utc_field()
    # Tamper evidence: SHA-256 of the body, and a hash chained to the previous message.
    body_sha256: str | None = None
    chain_hash: str | None = None
    # Set when the body (and the text in the raw payload) was erased for retention or on a
    # citizen's request; body_sha256 stays, so the ledger still verifies.
    erased_at: datetime | None = utc_field()


class EarlyStatus(SQLModel, table=True):
    """A delivery report that arrived before its message's provider SID was recorded.

    Twilio may post a status callback before the dispatcher has stored the SID the create call
    returned (the callback races the HTTP answer), so a callback for an unknown SID is kept here
    and applied when the SID is recorded, or by the sweep. ``applied_at`` stays empty until then;
    the row is kept afterwards as the record of what the provider said and when.
    """

    __tablename__ = "early_status"

    id: int | None = Field(default=None, primary_key=True)
    provider_sid: str = Field(index=True)
    status: MessageStatus
    error_code: str | None = None
    received_at: datetime = utc_field(nullable=False)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    applied_at: datetime | None = utc_field(index=True)
