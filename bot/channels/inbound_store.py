"""Storing inbound messages: the first thing that happens to one, before anything reads it.

One code path for one message and for many. The webhook hands over every post that arrived
while the previous batch was being written (``bot.channels.inbound_writer``), so a burst costs one
transaction per batch instead of one per message; the chat simulator and the terminal chat store
one at a time through the same function.

Rows are written with Core, not ORM objects: building ORM objects would cost more than the
insert. The ledger is kept exactly as a flush keeps it: its lock is taken first (PostgreSQL's
advisory lock; SQLite has one writer at a time), and with it held, the provider SIDs already
stored are looked up, only new ones are inserted, and they are sealed in id order in the same
transaction. Every message insert holds that lock, so a SID can never be stored twice, even by
two app instances storing Twilio's retry and the original at the same moment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from bot.channels import ledger
from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus, SignatureVerdict
from bot.phones import split_channel, try_normalise

log = logging.getLogger("bot.channels.inbound")


def clean_text(value: str) -> str:
    """Text every database can store: NUL and unpaired surrogates become U+FFFD."""
    value = value.replace("\x00", "\ufffd")
    return value.encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class InboundPost:
    """One message as the provider delivered it, not yet stored."""

    provider_sid: str
    from_address: str
    body: str
    received_at: datetime
    raw_payload: dict[str, Any] = field(default_factory=dict)
    signature: SignatureVerdict = SignatureVerdict.valid


@dataclass(frozen=True)
class Stored:
    message_id: int
    duplicate: bool
    status: MessageStatus


def store_batch(connection: Connection, posts: list[InboundPost], *, region: str = "DK") -> list[Stored]:
    """Store ``posts`` in the caller's transaction; one result per post, in order.

    A SID stored before, or given twice in ``posts``, is a duplicate of the row that holds it.
    """
    if not posts:
        return []
    ledger.lock(connection)
    stored_before = connection.execute(_STORED_SIDS, {"sids": list({post.provider_sid for post in posts})})
    known = {sid: Stored(row_id, True, MessageStatus(status)) for row_id, sid, status in stored_before}
    first_of: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for index, post in enumerate(posts):
        if post.provider_sid not in known and post.provider_sid not in first_of:
            first_of[post.provider_sid] = index
            rows.append(_row(post, region))
    ids: list[int] = []
    if rows:
        ids = list(connection.execute(_INSERT, rows).scalars())
        ledger.seal_rows(connection, [SimpleNamespace(**row, id=i) for row, i in zip(rows, ids, strict=True)])
    id_of = dict(zip(first_of, ids, strict=True))
    results = []
    for index, post in enumerate(posts):
        sid = post.provider_sid
        if sid in known:
            results.append(known[sid])
        else:
            results.append(Stored(id_of[sid], first_of[sid] != index, MessageStatus.received))
    if log.isEnabledFor(logging.INFO):
        for row, message_id in zip(rows, ids, strict=True):
            log.info("inbound stored", extra={"message_id": message_id, "sid": row["provider_sid"],
                                              "channel": row["channel"].value,
                                              "signature": row["signature"].value})
    return results


def store_posts(engine: Engine, posts: list[InboundPost], *, region: str = "DK") -> list[Stored | Exception]:
    """Store ``posts`` in one transaction; one result per post, in order.

    When the database is unreachable the whole batch fails with it (every sender gets a non-2xx
    and tries again). Any other error is confined to the posts that cause it: the batch is
    stored again one post at a time, so one bad message never costs the others their answer.
    """
    try:
        with engine.begin() as connection:
            return list(store_batch(connection, posts, region=region))
    except OperationalError:
        raise
    except Exception:
        if len(posts) == 1:
            raise
        log.exception("inbound batch refused; storing its messages one by one", extra={"count": len(posts)})
    results: list[Stored | Exception] = []
    for post in posts:
        try:
            with engine.begin() as connection:
                results.extend(store_batch(connection, [post], region=region))
        except OperationalError:
            raise
        except Exception as exc:
            results.append(exc)
    return results


def store_inbound(
    session: Session,
    *,
    provider_sid: str,
    from_address: str,
    body: str,
    raw_payload: dict[str, Any],
    signature: SignatureVerdict,
    now: datetime,
    region: str = "DK",
) -> Stored:
    """Write one message and commit; a SID seen before returns the stored row untouched."""
    post = InboundPost(
        provider_sid=provider_sid, from_address=from_address, body=body, received_at=now,
        raw_payload=raw_payload, signature=signature,
    )
    [stored] = store_batch(session.connection(), [post], region=region)
    session.commit()
    return stored


def _row(post: InboundPost, region: str) -> dict[str, Any]:
    channel, address = split_channel(clean_text(post.from_address))
    body = clean_text(post.body)
    row = {
        "direction": Direction.inbound,
        "channel": Channel(channel),
        # A sender we cannot read as a number (an alphanumeric sender) is kept as written.
        "phone": try_normalise(address, region) or address.strip(),
        "contact_kind": ContactKind.unknown,
        "body": body,
        "params": {},
        "provider_sid": post.provider_sid,
        "status": MessageStatus.received,
        "raw_payload": {key: _clean_value(value) for key, value in post.raw_payload.items()},
        "signature": post.signature,
        "attempts": 0,
        "created_at": post.received_at,
        "status_at": post.received_at,
    }
    row["body_sha256"] = ledger.content_digest(SimpleNamespace(**row))
    return row


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_value(item) for item in value]
    return value


_TABLE: Table = Message.__table__  # type: ignore[attr-defined]
# Built once: a burst runs them thousands of times.
_STORED_SIDS = select(_TABLE.c.id, _TABLE.c.provider_sid, _TABLE.c.status).where(
    col(_TABLE.c.provider_sid).in_(bindparam("sids", expanding=True))
)
_INSERT = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)


__all__ = ["InboundPost", "Stored", "clean_text", "store_batch", "store_inbound", "store_posts"]
