"""The message store is tamper-evident: every stored message carries a hash chained to the one before.

What a link covers
    ``chain_hash = sha256(previous chain_hash | id | direction | channel | phone | created_at |
    body_sha256)``. These are the fields fixed when a message is stored. Status, provider id and
    delivery times change afterwards and are deliberately outside the chain.

``body_sha256`` is the digest of the content as stored:
    - inbound, and outbound text given as a body: SHA-256 of the body (UTF-8);
    - outbound queued as a message id: SHA-256 of the canonical JSON of template, params and
      locale (the body is rendered later, when it is sent, from exactly these).
    Retention may erase a body (and an outbound message's template and params) but keeps
    ``body_sha256``, so the chain still verifies after erasure; content is re-checked only while
    it is still there.

How links are made
    A session listener seals every new ``Message`` in the flush that inserts it, whatever code
    path added it, all of that flush's messages at once (one predecessor read, one batched update,
    one head update). On PostgreSQL the flush first takes a transaction-scoped advisory lock, so
    message ids are handed out and chained in one order and two writers can never chain to the
    same predecessor; SQLite has one writer at a time (``BEGIN IMMEDIATE`` in ``bot.db``). The
    lock is keyed by the current schema, since each schema holds its own chain. A transaction
    that flushes many times may keep its links back and write them once at commit (``defer``),
    and a writer that can wait elsewhere takes the lock only when it is free (``try_lock``) and
    gives it up when somebody is queued for it (``wanted``).
    Chain order is therefore id order, and ``verify`` walks ids upwards.

What is detected
    A changed body, content digest or identifying field, a deleted message (the next one no longer
    links; the newest ones are checked against ``ledger_head``), a row inserted behind the ledger's
    back (no or a wrong hash). ``verify`` names the first broken link. Someone who can rewrite the
    whole table and recompute every hash is not stopped by any chain kept in the same database;
    the head hash is what to copy somewhere else (e.g. an evidence export) to anchor it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, bindparam, event, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Field, Session, SQLModel

from bot.channels.models import Direction, Message

GENESIS = "0" * 64
# The first key of the two-key pg_advisory_xact_lock: "ledg" in ASCII. The second is a hash of
# the current schema: each schema has its own chain, so writers in different schemas (parallel
# test runs, several deployments in one database) need not wait for each other.
_LOCK_CLASS = 0x6C656467
_LOCK_SQL = text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))")
_TRY_LOCK_SQL = text("SELECT pg_try_advisory_xact_lock(:key, hashtext(current_schema()))")
# A two-key advisory lock shows in pg_locks as classid (first key), objid (second key, as oid)
# and objsubid 2.
_WANTED_SQL = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND classid = :key AND objid = hashtext(current_schema())::oid AND objsubid = 2)"
)
_BATCH = 1000
_DEFERRING = "ledger_deferring"
_CHECKED_COLUMNS = (
    "id", "direction", "channel", "phone", "created_at", "body", "template", "params", "locale",
    "body_sha256", "chain_hash",
)


class LedgerHead(SQLModel, table=True):
    """The newest sealed message: deleting the last messages leaves the chain whole but not this."""

    __tablename__ = "ledger_head"

    id: int = Field(default=1, primary_key=True)
    last_id: int
    last_hash: str
    count: int


def sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _enum_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def content_digest(message: Any) -> str | None:
    """The digest of the message's content as it is now, or None when the content was erased."""
    if _enum_value(message.direction) == Direction.outbound.value and message.template is not None:
        canonical = json.dumps(
            {"template": message.template, "params": message.params or {}, "locale": message.locale},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return sha256_text(canonical)
    if message.body is not None:
        return sha256_text(message.body)
    return None


def link_hash(previous: str, message: Any) -> str:
    parts = [
        previous,
        str(message.id),
        _enum_value(message.direction),
        _enum_value(message.channel),
        message.phone or "",
        _iso(message.created_at),
        message.body_sha256 or "",
    ]
    return sha256_text("|".join(parts))


def seal(session: Session | OrmSession, messages: Iterable[Message]) -> None:
    """Chain ``messages`` (already inserted, so they have ids) onto the ledger, in id order.

    The listener below calls this for every flush; rows written without the ORM session are
    sealed by ``seal_rows``.
    """
    for message, chained in _chain(session.connection(), list(messages)):
        set_committed_value(message, "chain_hash", chained)


def lock(connection: Any) -> None:
    """Take the ledger's write lock (PostgreSQL; held until commit) before drawing message ids.

    Taken once per transaction: a batch that flushes many times pays for it once.
    """
    state = _in_transaction(connection)
    if state.locked:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_SQL, {"key": _LOCK_CLASS})
    state.locked = True


def try_lock(connection: Any) -> bool:
    """``lock`` if nobody holds it now; False (and nothing taken) when somebody does.

    A writer that can wait elsewhere (the inbound worker) uses this rather than queueing for
    the lock, so that whoever does queue for it is somebody who cannot wait: see ``wanted``.
    """
    state = _in_transaction(connection)
    if state.locked:
        return True
    postgres = connection.dialect.name == "postgresql"
    if postgres and not connection.execute(_TRY_LOCK_SQL, {"key": _LOCK_CLASS}).scalar():
        return False
    state.locked = True
    return True


def wanted(connection: Any) -> bool:
    """Whether another transaction is queued for the lock this one holds (PostgreSQL; on SQLite
    the database's writer is not visible this way and the answer is False)."""
    if connection.dialect.name != "postgresql":
        return False
    return bool(connection.execute(_WANTED_SQL, {"key": _LOCK_CLASS}).scalar())


@dataclass
class _Transaction:
    """What this transaction knows of the ledger while it holds the lock.

    ``tail`` is the last link this transaction sealed: with the lock held since, nobody else
    can have chained behind it, so the next seal in the same transaction needs no predecessor
    read. Any savepoint begun or ended starts afresh (a rolled-back savepoint drops its links
    and, on PostgreSQL, the lock taken inside it).
    """

    key: tuple[Any, Any]
    locked: bool = False
    tail: tuple[int, str] | None = None
    # Links computed but not yet written (``defer``): written together by ``settle``.
    deferred: list[tuple[int, str]] | None = None


def _in_transaction(connection: Any) -> _Transaction:
    key = (connection.get_transaction(), connection.get_nested_transaction())
    state: _Transaction | None = connection.info.get("ledger_transaction")
    if state is None or state.key[0] is not key[0] or state.key[1] is not key[1]:
        state = _Transaction(key)
        connection.info["ledger_transaction"] = state
    return state


def defer(session: Session | OrmSession) -> None:
    """Write this transaction's links once, at commit, instead of once per flush.

    A batch that flushes many times pays for one batched update of ``chain_hash`` and one head
    update. Holding the lock makes this safe: nobody else chains until this transaction ends,
    and its own later seals continue from the tail it keeps in memory. Only outside savepoints
    (a savepoint beginning writes what waits); ``settle`` writes it, and a session commit does
    so by itself.
    """
    connection = session.connection()
    state = _in_transaction(connection)
    if state.key[1] is None and state.deferred is None:
        state.deferred = []
        session.info[_DEFERRING] = True


def settle(session: Session | OrmSession) -> None:
    """Flush ``session`` and write the links ``defer`` kept back; later seals write at once."""
    session.flush()
    connection = session.connection()
    state = _in_transaction(connection)
    if state.deferred:
        _write(connection, state)
    state.deferred = None
    session.info.pop(_DEFERRING, None)


def _write(connection: Any, state: _Transaction) -> None:
    links = state.deferred or []
    state.deferred = None
    if not links:
        return
    connection.execute(_SEAL, [{"sealed_id": link_id, "sealed_hash": value} for link_id, value in links])
    _move_head(connection, last_id=links[-1][0], last_hash=links[-1][1], added=len(links))


def seal_rows(connection: Any, rows: Iterable[Any]) -> None:
    """Chain rows inserted with Core (objects with the fields ``link_hash`` reads, ids set).

    The caller took ``lock`` before inserting them, in the same transaction.
    """
    _chain(connection, list(rows))


def _chain(connection: Any, messages: list[Any]) -> list[tuple[Any, str]]:
    pending = sorted((m for m in messages if m.id is not None), key=lambda m: m.id or 0)
    if not pending:
        return []
    state = _in_transaction(connection)
    first_id = pending[0].id or 0
    if state.locked and state.tail is not None and state.tail[0] < first_id:
        previous = state.tail[1]
    else:
        previous = connection.execute(_PREVIOUS_HASH, {"first_id": first_id}).scalar() or GENESIS
    chained: list[tuple[Any, str]] = []
    for message in pending:
        previous = link_hash(previous, message)
        chained.append((message, previous))
    state.tail = (pending[-1].id or 0, previous)
    if state.deferred is not None and state.locked:
        state.deferred.extend((message.id, value) for message, value in chained)
        return chained
    # One statement executed for many rows: a flush of a whole batch costs one round of updates.
    connection.execute(_SEAL, [{"sealed_id": message.id, "sealed_hash": value} for message, value in chained])
    _move_head(connection, last_id=pending[-1].id or 0, last_hash=previous, added=len(pending))
    return chained


def _move_head(connection: Any, *, last_id: int, last_hash: str, added: int) -> None:
    moved = connection.execute(
        _MOVE_HEAD, {"head_id": last_id, "head_hash": last_hash, "added": added}
    ).rowcount
    if not moved:
        # The first message ever: writers are serialised (advisory lock / SQLite), so no race here.
        head = _head_table()
        connection.execute(insert(head).values(id=1, last_id=last_id, last_hash=last_hash, count=added))


def _table() -> Table:
    table: Table = Message.__table__  # type: ignore[attr-defined]
    return table


def _head_table() -> Table:
    table: Table = LedgerHead.__table__  # type: ignore[attr-defined]
    return table


# Built once: every flush that writes messages runs them.
_MESSAGES, _HEAD = _table(), _head_table()
_PREVIOUS_HASH = (
    select(_MESSAGES.c.chain_hash)
    .where(_MESSAGES.c.id < bindparam("first_id"))
    .order_by(_MESSAGES.c.id.desc())
    .limit(1)
)
_SEAL = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("sealed_id"))
    .values(chain_hash=bindparam("sealed_hash"))
)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(last_id=bindparam("head_id"), last_hash=bindparam("head_hash"),
            count=_HEAD.c.count + bindparam("added"))
)


def _new_messages(session: OrmSession) -> list[Message]:
    return [obj for obj in session.new if isinstance(obj, Message)]


@event.listens_for(OrmSession, "before_flush")
def _before_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    new = _new_messages(session)
    if not new:
        return
    for message in new:
        if message.body_sha256 is None:
            message.body_sha256 = content_digest(message)
    # Held until commit: ids are drawn and chained by one writer at a time.
    lock(session.connection())
    session.info["ledger_pending"] = new


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    pending = session.info.pop("ledger_pending", None)
    if pending:
        seal(session, pending)


@event.listens_for(Engine, "savepoint")
def _before_savepoint(connection: Any, _name: Any) -> None:
    """Write the links ``defer`` kept back before a savepoint begins: they belong to the
    transaction whatever the savepoint does, and a seal inside it reads its predecessor from
    the table."""
    state: _Transaction | None = connection.info.get("ledger_transaction")
    if state is not None and state.deferred and state.key == (connection.get_transaction(), None):
        _write(connection, state)


@event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    if session.info.get(_DEFERRING):
        settle(session)


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def check(session: Session) -> Verdict:
    """Walk the whole chain; the first message whose link or content does not match, and why."""
    verdict, last_id, last_hash = _walk(session)
    if not verdict.ok:
        return verdict
    media_verdict = _check_media(session)
    if media_verdict is not None:
        return media_verdict
    head_table = _head_table()
    head = session.connection().execute(select(head_table).where(head_table.c.id == 1)).first()
    if head is None:
        return verdict
    if head.last_id != last_id or head.last_hash != last_hash or head.count != verdict.checked:
        if last_id < head.last_id:
            return Verdict(verdict.checked, head.last_id, "the newest sealed message is missing")
        return Verdict(verdict.checked, last_id or None, "the chain does not end where the ledger head says")
    return verdict


def _check_media(session: Session) -> Verdict | None:
    """Photos and documents are sealed onto their message's link (``bot.channels.media``)."""
    from bot.channels import media

    found = media.check(session)
    if found.broken_id is None:
        return None
    return Verdict(found.checked, found.broken_id, f"media {found.broken_id}: {found.reason}")


def _walk(session: Session) -> tuple[Verdict, int, str]:
    previous = GENESIS
    checked = 0
    last_id = 0
    table = _table()
    columns = [table.c[name] for name in _CHECKED_COLUMNS]
    while True:
        # Plain rows, not ORM objects: the caller's session and identity map stay untouched.
        rows = session.connection().execute(
            select(*columns).where(table.c.id > last_id).order_by(table.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return Verdict(checked, None, None), last_id, previous
        for message in rows:
            checked += 1
            last_id = message.id
            digest = content_digest(message)
            if digest is not None and message.body_sha256 != digest:
                return Verdict(checked, message.id, "content does not match its stored SHA-256"), 0, ""
            if message.chain_hash != link_hash(previous, message):
                return Verdict(checked, message.id, "hash does not link to the message before it"), 0, ""
            previous = message.chain_hash


def head(session: Session) -> LedgerHead | None:
    """The newest sealed message id and hash: copy it elsewhere to anchor the chain."""
    return session.get(LedgerHead, 1)


def verify(session: Session) -> int | None:
    """The id of the first broken link, or None when the whole ledger is intact."""
    return check(session).broken_id


__all__ = [
    "GENESIS", "LedgerHead", "Verdict", "check", "content_digest", "defer", "head", "link_hash", "lock",
    "seal", "seal_rows", "settle", "try_lock", "verify", "wanted",
]
