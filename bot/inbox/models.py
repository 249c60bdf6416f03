"""The inbox's own tables: who read what, who holds a conversation, notes and saved replies.

Read markers are a table of their own rather than the audit log's "view" entries: the audit log
is an append-only history with no index on (staff, subject), and an unread check runs for every
line of every inbox page; one row per staff member and conversation, updated in place, answers
it with one indexed look-up and keeps the audit log what it is.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.conversations.models import Conversation
from bot.models_base import utc_field

NOTE_MAX = 2000
REPLY_NAME_MAX = 80
REPLY_BODY_MAX = 459  # three text messages of 153 characters


class _Input(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class _Output(SQLModel):
    model_config = ConfigDict(from_attributes=True)  # type: ignore[assignment]


class InboxRead(SQLModel, table=True):
    """When a staff member last opened a conversation (``phone:+45...``) or a ticket (``ticket:12``)."""

    __tablename__ = "inbox_read"
    __table_args__ = (UniqueConstraint("staff_id", "key", name="uq_inbox_read_staff_key"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    key: str
    read_at: datetime | None = utc_field()


class InboxThreadBase(SQLModel):
    phone: str = Field(unique=True)


class InboxThread(InboxThreadBase, table=True):
    """A conversation's inbox state: who holds it, and when it was last marked done."""

    __tablename__ = "inbox_thread"

    id: int | None = Field(default=None, primary_key=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    assigned_at: datetime | None = utc_field()
    closed_at: datetime | None = utc_field()
    closed_by_id: int | None = Field(default=None, foreign_key="staff.id")


class InboxThreadCreate(InboxThreadBase, _Input):
    pass


class InboxThreadUpdate(_Input):
    assignee_id: int | None = None


class InboxThreadPublic(InboxThreadBase, _Output):
    id: int
    assignee_id: int | None = None
    assigned_at: ApiDatetime | None = None
    closed_at: ApiDatetime | None = None
    closed_by_id: int | None = None


class InboxNoteBase(SQLModel):
    phone: str
    body: str = Field(sa_column=Column(Text, nullable=False))


class InboxNote(InboxNoteBase, table=True):
    """An internal note on a conversation: staff read it, the contact never gets it."""

    __tablename__ = "inbox_note"
    __table_args__ = (Index("ix_inbox_note_phone_created", "phone", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    created_at: datetime | None = utc_field()


class InboxNoteCreate(InboxNoteBase, _Input):
    body: str = Field(min_length=1, max_length=NOTE_MAX)


class InboxNoteUpdate(_Input):
    body: str | None = Field(default=None, min_length=1, max_length=NOTE_MAX)


class InboxNotePublic(InboxNoteBase, _Output):
    id: int
    staff_id: int
    created_at: ApiDatetime | None = None


class SavedReplyBase(SQLModel):
    team: str  # the role whose members use it (consultant, caseworker ...)
    name: str
    body: str = Field(sa_column=Column(Text, nullable=False))


class SavedReply(SavedReplyBase, table=True):
    """A named reply text a team reuses; team leads keep them up to date."""

    __tablename__ = "saved_reply"
    __table_args__ = (UniqueConstraint("team", "name", name="uq_saved_reply_team_name"),)

    id: int | None = Field(default=None, primary_key=True)
    updated_at: datetime | None = utc_field()
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")


class SavedReplyCreate(SavedReplyBase, _Input):
    name: str = Field(min_length=1, max_length=REPLY_NAME_MAX)
    body: str = Field(min_length=1, max_length=REPLY_BODY_MAX)


class SavedReplyUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=REPLY_NAME_MAX)
    body: str | None = Field(default=None, min_length=1, max_length=REPLY_BODY_MAX)


class SavedReplyPublic(SavedReplyBase, _Output):
    id: int
    updated_at: ApiDatetime | None = None
    updated_by_id: int | None = None


# The inbox lists conversations newest waiting first; without this index every inbox page would
# sort the whole conversation table.
conversation_waiting_index = Index(
    "ix_conversation_last_inbound_at",
    Conversation.__table__.c.last_inbound_at,  # type: ignore[attr-defined]
)
