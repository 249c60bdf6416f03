"""The outbox dispatcher: claims due messages, sends them, records what the provider said.

A claimed row is marked ``sending`` and committed before the provider is called, so two
dispatchers never send the same row, and a crash mid-send leaves a visible ``sending`` row
instead of a silent duplicate. What the provider said is recorded for the whole claimed batch
in one commit once the batch has been handed over; a crash before that commit leaves those
rows ``sending`` too, the same as a crash mid-send. ``reconcile_sending`` later settles such rows: it asks the
provider when it has a SID, and otherwise shows the message to staff as "may not have been
sent" rather than sending it a second time.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, func, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import service
from bot.channels.factory import status_callback_url
from bot.channels.models import (
    OPT_OUT_CONFIRMATION,
    Channel,
    Direction,
    EarlyStatus,
    Message,
    MessageStatus,
)
from bot.channels.peers import Addressee, DeliveryPeers
from bot.channels.ratelimit import TokenBucket, bucket_for
from bot.channels.transport import SendResult, Transport, TransportError
from bot.config import Settings
from bot.db import claim_clause
from bot.i18n import render

log = logging.getLogger("bot.channels.outbound")

WHATSAPP_WINDOW = timedelta(hours=24)
STALE_SENDING = timedelta(minutes=10)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# A claimed batch is one second of sending at the rate cap (10 at the default cap), and never
# more than this: the most messages a crash mid-batch can leave as "may not have been sent".
MAX_BATCH = 200
MAYBE_NOT_SENT = "maybe_not_sent"


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled


@dataclass(frozen=True)
class _Ready:
    """A claimed message, rendered and ready for the provider."""

    id: int
    phone: str
    body: str
    channel: str
    attempts: int
    purpose: str | None = None


@dataclass(frozen=True)
class _Outcome:
    """What the provider said about one claimed message: a result or an error."""

    item: _Ready
    result: SendResult | None
    error: TransportError | None


def backoff(attempt: int) -> timedelta:
    """Wait before attempt ``attempt + 1``: 30 s, 1 min, 2 min ... capped at an hour."""
    return min(BACKOFF_MAX, BACKOFF_BASE * (2 ** max(0, attempt - 1)))


def dispatch(
    engine: Engine,
    settings: Settings,
    transport: Transport,
    now: datetime,
    *,
    peers: DeliveryPeers,
    only_ids: list[int] | None = None,
    limit: int = 1000,
    bucket: TokenBucket | None = None,
) -> DispatchReport:
    """Send every due queued message (or only ``only_ids``), at most ``limit`` this run."""
    bucket = bucket or bucket_for(transport, settings.sms_max_per_second)
    batch = max(1, min(MAX_BATCH, math.ceil(settings.sms_max_per_second)))
    report = DispatchReport()
    while report.handled < limit:
        size = min(batch, limit - report.handled)
        claimed, ready = _claim(
            engine, now, batch=size, only_ids=only_ids, report=report, peers=peers,
            whatsapp=getattr(transport, "supports_whatsapp", True),
        )
        if not claimed:
            break
        outcomes: list[_Outcome] = []
        for item in ready:
            bucket.acquire()
            outcomes.append(_call_provider(settings, transport, item))
        _record(engine, settings, outcomes, now, report, peers=peers)
    return report


def _claim(
    engine: Engine,
    now: datetime,
    *,
    batch: int,
    only_ids: list[int] | None,
    report: DispatchReport,
    peers: DeliveryPeers,
    whatsapp: bool,
) -> tuple[int, list[_Ready]]:
    """Claim due messages, render them and mark them ``sending``, in one short transaction.

    Plain column reads and one executemany ``UPDATE`` per outcome: building and flushing an ORM
    object per message cost more than everything else the dispatcher does with it.
    """
    with Session(engine) as session:
        query = core_select(*_CLAIMED).where(
            _MESSAGES.c.direction == Direction.outbound,
            _MESSAGES.c.status == MessageStatus.queued,
            _MESSAGES.c.due_at <= now,
        )
        if only_ids is not None:
            query = query.where(_MESSAGES.c.id.in_(only_ids))
        query = query.order_by(_MESSAGES.c.due_at, _MESSAGES.c.id).limit(batch)
        connection = session.connection()
        rows = connection.execute(query.with_for_update(**claim_clause(session))).all()
        # Asked once for the whole batch, by the same rule as every other opt-out check.
        opted_out = peers.opt_outs.opted_out(session, {_addressee(row) for row in rows})
        answers = _answers_to_the_sender(session, [row for row in rows if _addressee(row) in opted_out])
        ready: list[_Ready] = []
        cancelled: list[dict[str, Any]] = []
        for row in rows:
            # STOP stops what we send of our own accord. The confirmation of a STOP still goes out,
            # and so does the answer to a message the person sent since (a sick notice's receipt).
            if row.purpose != OPT_OUT_CONFIRMATION and row.id not in answers and _addressee(row) in opted_out:
                cancelled.append({"b_id": row.id, "b_now": now})
                log.info("outbound cancelled", extra={"message_id": row.id, "reason": "opted_out"})
                continue
            channel = _travels_by(session, row, now, whatsapp=whatsapp)
            body = render(row.template, row.locale or "da", row.params) if row.template else row.body
            ready.append(_Ready(row.id, row.phone, body or "", channel.value, row.attempts + 1, row.purpose))
        if cancelled:
            connection.execute(_MARK_CANCELLED, cancelled)
            report.cancelled += len(cancelled)
        if ready:
            connection.execute(_MARK_SENDING, [
                {"b_id": item.id, "b_now": now, "b_body": item.body, "b_channel": Channel(item.channel)}
                for item in ready
            ])
        session.commit()
        return len(rows), ready


_MESSAGES: Table = Message.__table__  # type: ignore[attr-defined]
_CLAIMED = (
    _MESSAGES.c.id, _MESSAGES.c.phone, _MESSAGES.c.channel, _MESSAGES.c.template, _MESSAGES.c.locale,
    _MESSAGES.c.params, _MESSAGES.c.body, _MESSAGES.c.purpose, _MESSAGES.c.attempts,
    _MESSAGES.c.contact_kind, _MESSAGES.c.contact_id, _MESSAGES.c.in_reply_to_id,
)
_MARK_CANCELLED = (
    update(_MESSAGES).where(_MESSAGES.c.id == bindparam("b_id"))
    .values(status=MessageStatus.cancelled, status_at=bindparam("b_now"),
            error_message="recipient opted out")
)
_MARK_SENDING = (
    update(_MESSAGES).where(_MESSAGES.c.id == bindparam("b_id"))
    .values(status=MessageStatus.sending, claimed_at=bindparam("b_now"), status_at=bindparam("b_now"),
            attempts=_MESSAGES.c.attempts + 1, body=bindparam("b_body"), sent_channel=bindparam("b_channel"))
)
# Only the usual answer (accepted, queued or sent); any other goes through ``_record_sent``.
_MARK_SENT = (
    update(_MESSAGES).where(_MESSAGES.c.id == bindparam("b_id"))
    .values(provider_sid=bindparam("b_sid"), status=MessageStatus.sent, sent_at=bindparam("b_now"),
            status_at=bindparam("b_now"), error_code=None, error_message=None)
)


def _answers_to_the_sender(session: Session, rows: list[Any]) -> set[int]:
    """Which of ``rows`` answer a message their own recipient sent: one query, and only when
    some claimed message is for a contact who opted out."""
    asked = {row.in_reply_to_id for row in rows if row.in_reply_to_id is not None}
    if not asked:
        return set()
    senders = dict(session.connection().execute(
        core_select(_MESSAGES.c.id, _MESSAGES.c.phone).where(_MESSAGES.c.id.in_(sorted(asked)))
    ).all())
    return {row.id for row in rows
            if row.in_reply_to_id is not None and senders.get(row.in_reply_to_id) == row.phone}


def _addressee(row: Any) -> Addressee:
    kind = row.contact_kind
    return Addressee(row.phone, None if kind is None else str(kind), row.contact_id)


def _travels_by(session: Session, message: Any, now: datetime, *, whatsapp: bool) -> Channel:
    """The channel to hand ``message`` to the provider on: its own, or SMS when WhatsApp cannot.

    Free-form WhatsApp is allowed only within 24 h of the person's last WhatsApp message to us,
    and only with a WhatsApp sender. The fallback is recorded in ``sent_channel`` and never by
    changing ``channel``: that field is covered by the ledger's hash, which seals what was
    stored when it was stored. Rewriting it would make ``bot ledger verify`` report a broken
    link and would erase the evidence that the message was meant for WhatsApp; keeping both
    says truthfully what was meant and how it went.
    """
    if message.channel != Channel.whatsapp:
        return message.channel
    if whatsapp and within_whatsapp_window(session, message.phone, now):
        return Channel.whatsapp
    log.info("outbound whatsapp falls back to sms", extra={"message_id": message.id})
    return Channel.sms


def within_whatsapp_window(session: Session, phone: str, now: datetime) -> bool:
    last = session.exec(
        select(func.max(Message.created_at)).where(
            Message.direction == Direction.inbound,
            Message.channel == Channel.whatsapp,
            Message.phone == phone,
        )
    ).first()
    return last is not None and now - last < WHATSAPP_WINDOW


def _call_provider(settings: Settings, transport: Transport, item: _Ready) -> _Outcome:
    try:
        result = transport.send(
            to=item.phone, body=item.body, channel=item.channel, status_callback=status_callback_url(settings)
        )
    except TransportError as exc:
        return _Outcome(item, None, exc)
    except Exception as exc:
        # An unexpected failure in the adapter: treat it like a provider hiccup and retry.
        log.exception("transport raised", extra={"message_id": item.id})
        return _Outcome(item, None, TransportError("internal", type(exc).__name__, retryable=True))
    return _Outcome(item, result, None)


def _record(
    engine: Engine, settings: Settings, outcomes: list[_Outcome], now: datetime, report: DispatchReport, *,
    peers: DeliveryPeers,
) -> None:
    """Store what the provider said for a batch in one commit.

    The usual answer (taken, not yet delivered) is one executemany ``UPDATE`` for the batch; a
    failure or an answer that already says more loads its row and goes through the full rules.
    """
    if not outcomes:
        return
    plain: list[_Outcome] = []
    others: list[_Outcome] = []
    for outcome in outcomes:
        usual = outcome.result is not None and service.provider_status(outcome.result.status) in (
            None, MessageStatus.sent)
        (plain if usual else others).append(outcome)
    with Session(engine, expire_on_commit=False) as session:
        if plain:
            session.connection().execute(_MARK_SENT, [
                {"b_id": outcome.item.id, "b_sid": outcome.result.provider_sid, "b_now": now}
                for outcome in plain if outcome.result is not None
            ])
            for outcome in plain:
                assert outcome.result is not None
                log.info("outbound sent", extra={
                    "message_id": outcome.item.id, "sid": outcome.result.provider_sid,
                    "channel": outcome.item.channel, "purpose": outcome.item.purpose,
                    "attempt": outcome.item.attempts,
                })
            report.sent += len(plain)
        ids = [outcome.item.id for outcome in others]
        messages = {m.id: m for m in session.exec(select(Message).where(col(Message.id).in_(ids))).all()} \
            if ids else {}
        sent: list[Message] = []
        for outcome in others:
            message = messages[outcome.item.id]
            if outcome.result is not None:
                result = outcome.result
                _record_sent(session, message, result.provider_sid, result.status, now, peers=peers)
                sent.append(message)
                report.sent += 1
            else:
                assert outcome.error is not None
                max_attempts = settings.send_max_attempts
                if _record_failure(session, message, outcome.error, now, max_attempts, peers=peers):
                    report.retried += 1
                else:
                    report.failed += 1
        # Delivery reports that beat the provider's answer to us were kept; apply them now.
        sent.extend(_with_kept_reports(session, [o.result.provider_sid for o in plain if o.result]))
        service.apply_early(session, sent, now=now, peers=peers)
        session.commit()


def _with_kept_reports(session: Session, sids: list[str]) -> list[Message]:
    """The messages among ``sids`` that a delivery report overtook: one query, rarely any rows."""
    if not sids:
        return []
    kept = session.exec(
        select(EarlyStatus.provider_sid)
        .where(col(EarlyStatus.provider_sid).in_(sorted(set(sids))), col(EarlyStatus.applied_at).is_(None))
    ).all()
    if not kept:
        return []
    return list(session.exec(select(Message).where(col(Message.provider_sid).in_(sorted(set(kept))))).all())


def _record_sent(
    session: Session, message: Message, sid: str, status: str, now: datetime, *, peers: DeliveryPeers
) -> None:
    message.provider_sid = sid
    message.status = MessageStatus.sent
    message.sent_at = now
    message.status_at = now
    message.error_code = None
    message.error_message = None
    session.add(message)
    log.info(
        "outbound sent",
        extra={"message_id": message.id, "sid": sid, "channel": message.channel.value,
               "purpose": message.purpose, "attempt": message.attempts},
    )
    mapped = service.provider_status(status)
    if mapped is not None and mapped != MessageStatus.sent:
        service.apply_status(session, message, mapped, now=now, peers=peers)


def _record_failure(
    session: Session, message: Message, error: TransportError, now: datetime, max_attempts: int, *,
    peers: DeliveryPeers,
) -> bool:
    """Queue again with back-off (True) or give up and tell staff (False)."""
    message.error_code = error.code
    message.error_message = error.message[:500]
    message.claimed_at = None
    message.status_at = now
    if error.retryable and message.attempts < max_attempts:
        message.status = MessageStatus.queued
        message.due_at = now + backoff(message.attempts)
        session.add(message)
        log.warning(
            "outbound retry",
            extra={"message_id": message.id, "error_code": error.code, "attempt": message.attempts,
                   "due_at": message.due_at.isoformat()},
        )
        return True
    log.warning(
        "outbound failed",
        extra={"message_id": message.id, "error_code": error.code, "attempt": message.attempts},
    )
    message.status = MessageStatus.sending  # apply_status moves it forward to failed
    service.apply_status(session, message, MessageStatus.failed, now=now, peers=peers, error_code=error.code)
    return False


def reconcile_sending(
    engine: Engine,
    settings: Settings,
    transport: Transport,
    now: datetime,
    *,
    peers: DeliveryPeers,
    stale_after: timedelta = STALE_SENDING,
) -> int:
    """Settle messages left ``sending`` by a dispatcher that stopped; returns how many."""
    settled = 0
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(
            select(Message)
            .where(
                Message.direction == Direction.outbound,
                Message.status == MessageStatus.sending,
                col(Message.claimed_at) < now - stale_after,
            )
            .order_by(col(Message.id))
            .limit(200)
            .with_for_update(**claim_clause(session))
        ).all()
        for message in rows:
            if message.provider_sid:
                settled += _ask_provider(session, transport, message, now, peers=peers)
            else:
                # Whether the provider got it is unknown; sending again could send it twice.
                message.status = MessageStatus.failed
                message.error_code = MAYBE_NOT_SENT
                message.error_message = "The service stopped while sending; it may not have been sent."
                message.status_at = now
                session.add(message)
                session.flush()
                peers.follow_up.maybe_not_sent(session, message, now=now)
                log.warning("outbound maybe not sent", extra={"message_id": message.id})
                settled += 1
        session.commit()
    return settled


def _ask_provider(
    session: Session, transport: Transport, message: Message, now: datetime, *, peers: DeliveryPeers
) -> int:
    assert message.provider_sid is not None
    try:
        found = transport.fetch_status(message.provider_sid)
    except TransportError as exc:
        log.warning("status fetch failed", extra={"message_id": message.id, "error_code": exc.code})
        return 0
    status = service.provider_status(found.status) or MessageStatus.sent
    message.sent_at = message.sent_at or now
    service.apply_status(session, message, status, now=now, peers=peers, error_code=found.error_code)
    if message.status == MessageStatus.sending:
        message.status = MessageStatus.sent
        session.add(message)
    return 1


def describe(report: DispatchReport) -> dict[str, Any]:
    return {"sent": report.sent, "retried": report.retried, "failed": report.failed,
            "cancelled": report.cancelled}
