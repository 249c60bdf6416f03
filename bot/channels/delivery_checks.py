"""Delivery that can be trusted: ask the provider about messages whose report never came.

Twilio reports delivery by calling ``/sms/status``. A report can be lost (our service was down,
a proxy refused it) or come before we stored the message's SID (kept as an ``EarlyStatus``,
see ``service.record_callback``). Two sweeps close those gaps:

- ``check_stale_sent``: a message left at ``sent`` for longer than ``BOT_STALE_SENT_MINUTES`` is
  fetched from the provider and its status applied, so an undelivered message reaches staff
  even when its report was lost. Like the dispatcher it claims, commits, asks, then records:
  ``checked_at`` is the claim, so two instances never ask about the same message at once and
  no row lock is held while the provider is called. Each message is asked about again at most
  once per stale period, and not after ``GIVE_UP_AFTER``: some networks never confirm
  delivery, and ``sent`` is then the last word.
- ``sweep_early_statuses``: applies kept reports whose message has its SID by now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import service
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.peers import DeliveryPeers
from bot.channels.transport import SendResult, Transport, TransportError
from bot.db import claim_clause

log = logging.getLogger("bot.channels.delivery_checks")

GIVE_UP_AFTER = timedelta(days=2)
CHECK_BATCH = 50


@dataclass(frozen=True)
class _Answer:
    message_id: int
    found: SendResult | None


def check_stale_sent(
    engine: Engine, transport: Transport, now: datetime, *, stale_after: timedelta, peers: DeliveryPeers,
    limit: int = CHECK_BATCH,
) -> int:
    """Ask the provider about messages at ``sent`` for longer than ``stale_after``; how many changed."""
    claimed = _claim_stale(engine, now, stale_after=stale_after, limit=limit)
    answers = [_ask(transport, message_id, sid) for message_id, sid in claimed]
    return _record_answers(engine, answers, now, peers=peers)


def _claim_stale(
    engine: Engine, now: datetime, *, stale_after: timedelta, limit: int
) -> list[tuple[int, str]]:
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(
            select(Message)
            .where(
                Message.direction == Direction.outbound,
                Message.status == MessageStatus.sent,
                col(Message.provider_sid).is_not(None),
                col(Message.sent_at) <= now - stale_after,
                col(Message.sent_at) > now - GIVE_UP_AFTER,
                (col(Message.checked_at).is_(None)) | (col(Message.checked_at) <= now - stale_after),
            )
            .order_by(col(Message.sent_at), col(Message.id))
            .limit(limit)
            .with_for_update(**claim_clause(session))
        ).all()
        claimed = []
        for message in rows:
            message.checked_at = now
            session.add(message)
            assert message.id is not None and message.provider_sid is not None
            claimed.append((message.id, message.provider_sid))
        session.commit()
    return claimed


def _ask(transport: Transport, message_id: int, sid: str) -> _Answer:
    try:
        return _Answer(message_id, transport.fetch_status(sid))
    except TransportError as exc:
        # Asked again after another stale period; a provider hiccup costs nothing but time.
        log.warning("status fetch failed", extra={"message_id": message_id, "error_code": exc.code})
        return _Answer(message_id, None)


def _record_answers(engine: Engine, answers: list[_Answer], now: datetime, *, peers: DeliveryPeers) -> int:
    known = [answer for answer in answers if answer.found is not None]
    if not known:
        return 0
    changed = 0
    with Session(engine, expire_on_commit=False) as session:
        ids = [answer.message_id for answer in known]
        messages = {m.id: m for m in session.exec(select(Message).where(col(Message.id).in_(ids))).all()}
        for answer in known:
            assert answer.found is not None
            status = service.provider_status(answer.found.status)
            message = messages.get(answer.message_id)
            if status is None or message is None:
                continue
            if service.apply_status(
                session, message, status, now=now, peers=peers, error_code=answer.found.error_code
            ):
                changed += 1
        session.commit()
    if changed:
        log.info("stale sent messages settled", extra={"count": changed})
    return changed


def sweep_early_statuses(engine: Engine, now: datetime, *, peers: DeliveryPeers) -> int:
    """Apply kept delivery reports whose message has its SID by now; how many."""
    with Session(engine, expire_on_commit=False) as session:
        applied = service.sweep_early(session, now=now, peers=peers)
        session.commit()
    return applied
