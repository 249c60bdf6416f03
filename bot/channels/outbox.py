"""One outbox for every outbound message: rows with status ``queued`` and a ``due_at``.

Text is not rendered here: the message id and parameters are kept, and the dispatcher
renders them in the recipient's language when it sends.

Quiet hours are kept here, where every message gets its due time. A message nobody just asked
for (a flow's re-prompt, a notice that staff moved or cancelled an appointment) is queued with
the caller's quiet-hours rule (``quiet_hours``: the first moment at or after a given time when
messages may go out) and waits for the morning; unless ``needed_by`` (the appointment's start)
comes before the morning does, when late at night is better than too late. A reply to an
inbound message (``in_reply_to_id``; ``bot.conversations.replies``) is never held: the person just wrote
and is waiting. The rule itself belongs to the caller's domain (``bot.reminders.policy``), so
``channels`` imports no domain: callers pass it in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

from bot.channels import ledger
from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus, SignatureVerdict
from bot.i18n import normalise_language

# The first moment at or after a time when an unsolicited message may go out.
QuietHours = Callable[[datetime], datetime]


def held_due(
    due: datetime,
    *,
    quiet_hours: QuietHours | None,
    needed_by: datetime | None = None,
    in_reply_to_id: int | None = None,
) -> datetime:
    """When a message queued for ``due`` goes out: after quiet hours, unless it is a reply
    (never held) or the morning would come after ``needed_by`` (then at ``due``)."""
    if quiet_hours is None or in_reply_to_id is not None:
        return due
    allowed = quiet_hours(due)
    if allowed <= due or (needed_by is not None and allowed >= needed_by):
        return due
    return allowed


def compose(
    *,
    phone: str,
    template: str,
    params: dict[str, Any] | None,
    language: str,
    purpose: str,
    contact_kind: str | None,
    contact_id: int | None,
    now: datetime,
    due_at: datetime | None = None,
    channel: str = "sms",
    in_reply_to_id: int | None = None,
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
) -> Message:
    """A queued outbound message, not yet in any session: add many and flush once for a batch."""
    return Message(
        direction=Direction.outbound,
        channel=Channel(channel),
        phone=phone,
        contact_kind=ContactKind(contact_kind or ContactKind.unknown),
        contact_id=contact_id,
        template=template,
        params=dict(params or {}),
        locale=normalise_language(language),
        purpose=purpose,
        status=MessageStatus.queued,
        due_at=held_due(
            due_at or now, quiet_hours=quiet_hours, needed_by=needed_by, in_reply_to_id=in_reply_to_id
        ),
        created_at=now,
        status_at=now,
        in_reply_to_id=in_reply_to_id,
    )


def enqueue(
    session: Session,
    *,
    phone: str,
    template: str,
    params: dict[str, Any] | None,
    language: str,
    purpose: str,
    contact_kind: str | None,
    contact_id: int | None,
    now: datetime,
    due_at: datetime | None = None,
    channel: str = "sms",
    in_reply_to_id: int | None = None,
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
) -> Message:
    """Queue one outbound message; it goes out when ``due_at`` (default ``now``) has come.

    With ``quiet_hours`` (an unsolicited message) it waits for the end of quiet hours, unless
    ``needed_by`` comes first; see the module's docstring.
    """
    message = compose(
        phone=phone, template=template, params=params, language=language, purpose=purpose,
        contact_kind=contact_kind, contact_id=contact_id, now=now, due_at=due_at, channel=channel,
        in_reply_to_id=in_reply_to_id, quiet_hours=quiet_hours, needed_by=needed_by,
    )
    session.add(message)
    session.flush()
    return message


def row(
    *,
    phone: str,
    template: str,
    params: dict[str, Any] | None,
    language: str,
    purpose: str,
    contact_kind: str | None,
    contact_id: int | None,
    now: datetime,
    due_at: datetime | None = None,
    channel: str = "sms",
    in_reply_to_id: int | None = None,
    quiet_hours: QuietHours | None = None,
    needed_by: datetime | None = None,
) -> dict[str, Any]:
    """The same queued message as ``compose``, as plain column values for ``enqueue_rows``."""
    return {
        "direction": Direction.outbound,
        "channel": Channel(channel),
        "phone": phone,
        "contact_kind": ContactKind(contact_kind or ContactKind.unknown),
        "contact_id": contact_id,
        "body": None,
        "template": template,
        "params": dict(params or {}),
        "locale": normalise_language(language),
        "purpose": purpose,
        "status": MessageStatus.queued,
        "raw_payload": {},
        "signature": SignatureVerdict.not_applicable,
        "attempts": 0,
        "due_at": held_due(due_at or now, quiet_hours=quiet_hours, needed_by=needed_by,
                           in_reply_to_id=in_reply_to_id),
        "created_at": now,
        "status_at": now,
        "in_reply_to_id": in_reply_to_id,
    }


def enqueue_rows(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Queue many messages (from ``row``) with multi-row inserts; their ids, in ``rows`` order.

    Building ORM objects costs more than everything else a batch does, and so does SQLAlchemy
    processing every bound value of a 20-column row one by one, so a batch (the reminder
    dispatcher's) goes to the driver with its values converted once per distinct value
    (``driver_rows``). The ledger is kept exactly as a flush keeps it: its lock is taken before
    the ids are drawn, and the rows are sealed in id order in the same transaction.
    """
    if not rows:
        return []
    connection = session.connection()
    stored: list[dict[str, Any]] = []
    sealed = []
    for values in rows:
        message = SimpleNamespace(**values)
        message.body_sha256 = ledger.content_digest(message)
        stored.append(dict(values, body_sha256=message.body_sha256))
        sealed.append(message)
    ledger.lock(connection)
    ids = _insert(connection, stored)
    for message, message_id in zip(sealed, ids, strict=True):
        message.id = message_id
    ledger.seal_rows(connection, sealed)
    return ids


# Rows a statement: 20 columns each stays well below SQLite's 32,766 bound values.
_INSERT_CHUNK = 500


def _insert(connection: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    table: Table = Message.__table__  # type: ignore[attr-defined]
    names = list(rows[0])
    dialect = connection.dialect
    mark = placeholder(dialect)
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(table.c[name].name) for name in names)
    # Only the table's own column names go into the text; every value is a bound parameter.
    head = f"INSERT INTO {quote(table.name)} ({columns}) VALUES "  # noqa: S608
    group = "(" + ", ".join([mark] * len(names)) + ")"
    ids: list[int] = []
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start:start + _INSERT_CHUNK]
        values = [value for row_values in driver_rows(table, names, chunk, dialect) for value in row_values]
        sql = head + ", ".join([group] * len(chunk)) + f" RETURNING {quote('id')}"
        # Ids come from the table's own counter while the ledger's lock is held, so ascending ids
        # are insertion order (what SQLAlchemy's own ordered RETURNING relies on too).
        ids.extend(sorted(connection.exec_driver_sql(sql, tuple(values)).scalars()))
    return ids


def placeholder(dialect: Any) -> str:
    """The driver's positional marker: ``?`` for sqlite3, ``%s`` for psycopg."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def driver_rows(table: Table, names: Sequence[str], rows: Sequence[dict[str, Any]],
                dialect: Any) -> list[tuple[Any, ...]]:
    """``rows`` as the driver takes them: each column's value converted by its SQLAlchemy type.

    A batch shares most of its values (direction, status, the moment it was queued, an empty
    payload), so a column holding one value in every row is converted once, and any other value
    once per distinct value; values that cannot be a dict key (JSON) are converted every time.
    """
    columns: list[list[Any]] = []
    for name in names:
        process = driver_value(table, name, dialect)
        first = rows[0][name]
        kind = type(first)
        if all(value is first or (type(value) is kind and value == first)
               for value in (values[name] for values in rows)):
            columns.append([process(first)] * len(rows))
        else:
            columns.append(_converted([values[name] for values in rows], process))
    return list(zip(*columns, strict=True))


def driver_value(table: Table, name: str, dialect: Any) -> Callable[[Any], Any]:
    """Converts a value of ``table.name`` to what the driver takes, as SQLAlchemy would."""
    process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return _unchanged
    return lambda value: None if value is None else process(value)


def _unchanged(value: Any) -> Any:
    return value


def _converted(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    if process is _unchanged:
        return values
    memo: dict[Any, Any] = {}
    out = []
    for value in values:
        try:
            done = memo[value]
        except KeyError:
            done = memo[value] = process(value)
        except TypeError:
            done = process(value)
        out.append(done)
    return out
