"""Retention, access export and erasure of personal data, each leaving an audit entry.

The functions take a session (keyword-only) and ``now``; the caller commits. Held data (an open
hearing case, see ``holds``) is never erased; what was held is counted in the result so staff
can see why something is still there.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import String, Table, and_, cast, not_, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.channels import media
from bot.channels.models import ContactKind, Message, MessageStatus
from bot.contacts.models import Citizen
from bot.contacts.registry import is_shared
from bot.conversations.models import Conversation
from bot.privacy.holds import Holds, current_holds
from bot.privacy.scrub import erased_message_values
from bot.privacy.targets import TextRecords, text_record_kinds

# Outbound messages still on their way keep their text until they are sent or cancelled.
_IN_FLIGHT = (MessageStatus.queued, MessageStatus.sending)
# Columns never handed out in an export: credentials, not information about the person.
_SECRET_COLUMNS = frozenset({"calendar_token", "password_hash", "token_sha256"})
ERASED_NAME = "(erased)"


@dataclass(frozen=True)
class RetentionResult:
    messages_erased: int
    records_erased: int
    held_messages: int


@dataclass(frozen=True)
class ErasureResult:
    citizen_id: int
    messages_erased: int
    records_erased: int
    held: bool  # an open hearing case: nothing of this citizen was erased
    identity_erased: bool


# -- retention ---------------------------------------------------------------------------------
def erase_expired(
    session: Session, *, now: datetime, retention_days: int, batch_size: int = 500
) -> RetentionResult:
    """Erase one batch of message bodies and sick-notice texts older than ``retention_days``.

    Call it until it returns zero erasures; small batches keep each transaction short, so the
    inbound webhook never waits long for the database.
    """
    cutoff = now - timedelta(days=retention_days)
    holds = current_holds(session)
    expired = and_(
        col(Message.created_at) < cutoff,
        col(Message.erased_at).is_(None),
        col(Message.status).not_in(_IN_FLIGHT),
    )
    messages = _erase_messages(session, and_(expired, not_(holds.message_clause())), now, batch_size)
    held = 0
    if holds.citizen_ids or holds.phones:
        held = len(
            session.execute(
                core_select(col(Message.id)).where(expired, holds.message_clause()).limit(10_000)
            ).all()
        )
    records = 0
    for kind in text_record_kinds():
        records += _erase_records(session, kind, now, batch_size, older_than=cutoff, holds=holds)
    records += _forget_idle_conversations(session, cutoff, holds)
    return RetentionResult(messages_erased=messages, records_erased=records, held_messages=held)


def _forget_idle_conversations(session: Session, cutoff: datetime, holds: Holds) -> int:
    """Clear the state of conversations idle since before ``cutoff``: it can quote what was said."""
    result = session.execute(
        update(Conversation)
        .where(
            col(Conversation.updated_at) < cutoff,
            cast(col(Conversation.state), String) != "{}",
            col(Conversation.phone).not_in(sorted(holds.phones)),
        )
        .values(state={}, flow=None, wait_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _erase_messages(session: Session, where: Any, now: datetime, limit: int) -> int:
    rows = session.execute(
        core_select(col(Message.id), col(Message.raw_payload))
        .where(where)
        .order_by(col(Message.id))
        .limit(limit)
    ).all()
    for message_id, payload in rows:
        session.execute(
            update(Message)
            .where(col(Message.id) == message_id)
            .values(erased_at=now, **erased_message_values(payload))
        )
    # Photos and documents go with the body they came with; their digests stay for the ledger.
    media.erase_for_messages(session, [message_id for message_id, _ in rows], now)
    return len(rows)


def _erase_records(
    session: Session,
    kind: TextRecords,
    now: datetime,
    limit: int,
    *,
    older_than: datetime | None = None,
    citizen_id: int | None = None,
    holds: Holds,
) -> int:
    table: Table = kind.model.__table__  # type: ignore[attr-defined]
    conditions: list[Any] = [or_(*(table.c[name].is_not(None) for name in kind.text_columns))]
    if kind.erased_column is not None:
        conditions.append(table.c[kind.erased_column].is_(None))
    if older_than is not None:
        conditions.append(table.c[kind.time_column] < older_than)
    if citizen_id is not None:
        conditions.append(table.c[kind.citizen_column] == citizen_id)
    if holds.citizen_ids:
        conditions.append(table.c[kind.citizen_column].not_in(sorted(holds.citizen_ids)))
    query = core_select(table.c.id).where(*conditions).order_by(table.c.id).limit(limit)
    found = list(session.execute(query).scalars())
    if found:
        values: dict[str, Any] = {column: None for column in kind.text_columns}
        if kind.erased_column is not None:
            values[kind.erased_column] = now
        session.execute(update(table).where(table.c.id.in_(found)).values(**values))
    return len(found)


# -- access request ----------------------------------------------------------------------------
def export_citizen(
    session: Session, *, citizen_id: int, staff_id: int | None, now: datetime, address: str | None = None
) -> dict[str, Any]:
    """Everything the assistant holds about a citizen, as JSON-ready data (GDPR art. 15).

    Every table with a ``citizen_id`` column is included, so records added by later features are
    not silently left out; messages are found by contact and by phone number.
    """
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise LookupError(f"citizen {citizen_id} does not exist")
    export: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "citizen": _plain(citizen.model_dump()),
        "messages": [_plain(m.model_dump()) for m in _citizen_messages(session, citizen)],
        "conversation": None,
        "records": {},
    }
    if citizen.phone:
        conversation = session.exec(
            select(Conversation).where(col(Conversation.phone) == citizen.phone)
        ).first()
        if conversation is not None:
            export["conversation"] = _plain(conversation.model_dump())
    for table in _tables_with_citizen_id():
        rows = session.execute(core_select(table).where(table.c.citizen_id == citizen_id)).mappings().all()
        export["records"][table.name] = [_plain(dict(row)) for row in rows]
    audit.record(
        session,
        staff_id=staff_id,
        action="privacy.export",
        subject=f"citizen:{citizen_id}",
        now=now,
        details={"messages": len(export["messages"])},
        address=address,
    )
    return export


def _citizen_messages(session: Session, citizen: Citizen) -> list[Message]:
    mine = and_(col(Message.contact_kind) == ContactKind.citizen, col(Message.contact_id) == citizen.id)
    # On a household's shared phone only what was attributed to this person is theirs: the
    # others' messages are not exported to, or erased at the request of, someone else.
    by_phone = citizen.phone and not is_shared(session, citizen.phone)
    where = or_(mine, col(Message.phone) == citizen.phone) if by_phone else mine
    return list(session.exec(select(Message).where(where).order_by(col(Message.id))).all())


def _tables_with_citizen_id() -> list[Table]:
    from bot.tables import metadata

    return [t for t in metadata.sorted_tables if "citizen_id" in t.c and t.name != "message"]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {key: _json_value(value) for key, value in values.items() if key not in _SECRET_COLUMNS}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):  # a photo or document the person sent
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


# -- erasure -----------------------------------------------------------------------------------
def erase_citizen(
    session: Session, *, citizen_id: int, staff_id: int | None, now: datetime, address: str | None = None
) -> ErasureResult:
    """Erase a citizen's messages, sick-notice texts and identity (GDPR art. 17), unless held.

    What is erased: message bodies and payload text, sick-notice texts, the conversation state,
    the citizen's name and phone number. What stays: the metadata of each message (time,
    direction, delivery status, body hash) that the ledger and the municipality's record keeping
    rely on, and records of decisions. The citizen is opted out so nothing is sent to the number.
    With an open hearing case nothing is erased: the result says ``held`` and staff erase again
    once the case is closed.
    """
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise LookupError(f"citizen {citizen_id} does not exist")
    holds = current_holds(session)
    if holds.covers_citizen(citizen_id):
        result = ErasureResult(citizen_id, 0, 0, held=True, identity_erased=False)
        _audit_erasure(session, result, staff_id=staff_id, now=now, address=address)
        return result
    messages = _citizen_messages(session, citizen)
    for message in messages:
        if message.status in _IN_FLIGHT:
            message.status = MessageStatus.cancelled
            message.status_at = now
            message.error_message = "cancelled: the citizen's data was erased"
    session.flush()
    ids = [m.id for m in messages if m.erased_at is None]
    erased = _erase_messages(session, col(Message.id).in_(ids), now, limit=len(ids) or 1) if ids else 0
    records = sum(
        _erase_records(session, kind, now, 100_000, citizen_id=citizen_id, holds=holds)
        for kind in text_record_kinds()
    )
    if citizen.phone and not is_shared(session, citizen.phone):
        conversation = session.exec(
            select(Conversation).where(col(Conversation.phone) == citizen.phone)
        ).first()
        if conversation is not None:
            session.delete(conversation)
    citizen.name = ERASED_NAME
    citizen.phone = None
    citizen.calendar_token = None
    citizen.opted_out = True
    citizen.opted_out_at = citizen.opted_out_at or now
    session.add(citizen)
    session.flush()
    result = ErasureResult(citizen_id, erased, records, held=False, identity_erased=True)
    _audit_erasure(session, result, staff_id=staff_id, now=now, address=address)
    return result


def _audit_erasure(
    session: Session, result: ErasureResult, *, staff_id: int | None, now: datetime, address: str | None
) -> None:
    audit.record(
        session,
        staff_id=staff_id,
        action="privacy.erase" if not result.held else "privacy.erase_refused_hold",
        subject=f"citizen:{result.citizen_id}",
        now=now,
        details=asdict(result),
        address=address,
    )
