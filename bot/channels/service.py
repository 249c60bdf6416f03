"""Delivery state of outbound messages: provider statuses, opt-outs, staff follow-up, resend.

Who opted out and how staff follow up a message that did not arrive are asked of and told to
the ``DeliveryPeers`` the caller hands in (``bot.channels.peers``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from bot.channels.models import Direction, EarlyStatus, Message, MessageStatus
from bot.channels.peers import DeliveryPeers
from bot.db import claim_clause

log = logging.getLogger("bot.channels.delivery")

# Twilio's error code for "the recipient has unsubscribed (replied STOP)".
UNSUBSCRIBED = "21610"

# Twilio's message statuses in our vocabulary. Everything the provider holds but has not yet
# handed to the network is "sent" from our side: it left the outbox.
_PROVIDER_STATUS = {
    "accepted": MessageStatus.sent,
    "scheduled": MessageStatus.sent,
    "queued": MessageStatus.sent,
    "sending": MessageStatus.sent,
    "sent": MessageStatus.sent,
    "delivered": MessageStatus.delivered,
    "read": MessageStatus.delivered,
    "undelivered": MessageStatus.undelivered,
    "failed": MessageStatus.failed,
    "canceled": MessageStatus.cancelled,
}

# Callbacks arrive out of order; a status only ever moves forward.
_RANK = {
    MessageStatus.queued: 0,
    MessageStatus.sending: 1,
    MessageStatus.sent: 2,
    MessageStatus.undelivered: 3,
    MessageStatus.failed: 3,
    MessageStatus.cancelled: 3,
    MessageStatus.delivered: 4,
}


def provider_status(value: str) -> MessageStatus | None:
    return _PROVIDER_STATUS.get(value.strip().lower())


def by_provider_sid(session: Session, provider_sid: str) -> Message | None:
    return session.exec(select(Message).where(Message.provider_sid == provider_sid)).first()


# A report for a SID we never learn (another system posting to our callback URL) is kept this
# long and then let go: by then no dispatcher is still between sending and recording.
EARLY_STATUS_KEEP = timedelta(days=7)


def apply_callback(
    engine: Engine, sid: str, status: MessageStatus, *, now: datetime, peers: DeliveryPeers,
    error_code: str | None = None,
) -> bool:
    """``record_callback`` in a transaction of its own, committed before the webhook answers."""
    with Session(engine, expire_on_commit=False) as session:
        applied = record_callback(session, sid, status, now=now, peers=peers, error_code=error_code)
        session.commit()
        return applied


def record_callback(
    session: Session, sid: str, status: MessageStatus, *, now: datetime, peers: DeliveryPeers,
    error_code: str | None = None,
) -> bool:
    """Apply a provider's delivery report to the message with ``sid``; True when applied now.

    Twilio can report a status before the dispatcher has stored the SID its create call
    returned: the callback races the HTTP answer. Such a report is kept as an ``EarlyStatus``
    and applied when the SID is recorded (``apply_early``) or by the sweep, never dropped.
    """
    message = session.exec(
        select(Message).where(Message.provider_sid == sid).with_for_update(**claim_clause(session))
    ).first()
    if message is None:
        session.add(EarlyStatus(provider_sid=sid, status=status, error_code=error_code, received_at=now))
        session.flush()
        log.info("status kept for later", extra={"sid": sid, "status": status.value})
        return False
    apply_status(session, message, status, now=now, peers=peers, error_code=error_code)
    return True


def apply_early(session: Session, messages: Iterable[Message], *, now: datetime, peers: DeliveryPeers) -> int:
    """Apply the kept reports for ``messages``, whose SIDs were just recorded; how many.

    Each report is applied at the time it arrived, so the message's status times say when the
    provider said it; statuses only move forward, so the order reports arrived in is harmless.
    """
    by_sid = {m.provider_sid: m for m in messages if m.provider_sid}
    if not by_sid:
        return 0
    rows = session.exec(
        select(EarlyStatus)
        .where(col(EarlyStatus.provider_sid).in_(sorted(by_sid)), col(EarlyStatus.applied_at).is_(None))
        .order_by(col(EarlyStatus.received_at), col(EarlyStatus.id))
    ).all()
    for row in rows:
        _apply_kept(session, row, by_sid[row.provider_sid], now=now, peers=peers)
    return len(rows)


def _apply_kept(
    session: Session, row: EarlyStatus, message: Message, *, now: datetime, peers: DeliveryPeers
) -> None:
    apply_status(session, message, row.status, now=row.received_at, peers=peers, error_code=row.error_code)
    row.applied_at = now
    row.message_id = message.id
    session.add(row)
    log.info("kept status applied", extra={"message_id": message.id, "sid": row.provider_sid,
                                            "status": row.status.value})


def sweep_early(session: Session, *, now: datetime, peers: DeliveryPeers, limit: int = 200) -> int:
    """Apply kept reports whose message has its SID by now; forget week-old unmatched ones.

    ``apply_early`` covers the usual case; this covers a report stored in the moment between
    the dispatcher's look for kept reports and its commit. Returns how many were applied.
    """
    found = session.exec(
        select(EarlyStatus, Message)
        .join(Message, col(Message.provider_sid) == col(EarlyStatus.provider_sid))
        .where(col(EarlyStatus.applied_at).is_(None))
        .order_by(col(EarlyStatus.received_at), col(EarlyStatus.id))
        .limit(limit)
        .with_for_update(**claim_clause(session))
    ).all()
    for row, message in found:
        _apply_kept(session, row, message, now=now, peers=peers)
    session.exec(
        delete(EarlyStatus).where(
            col(EarlyStatus.applied_at).is_(None), col(EarlyStatus.received_at) < now - EARLY_STATUS_KEEP
        )
    )
    return len(found)


def apply_status(
    session: Session,
    message: Message,
    status: MessageStatus,
    *,
    now: datetime,
    peers: DeliveryPeers,
    error_code: str | None = None,
    error_message: str | None = None,
) -> bool:
    """Move ``message`` to ``status`` unless that would move it backwards; True if it changed.

    A refusal with 21610 marks the recipient opted out; undelivered and failed are followed up.
    """
    if error_code == UNSUBSCRIBED:
        peers.opt_outs.opt_out(session, message.phone, now=now)
    current = _RANK.get(message.status, 0)
    if _RANK.get(status, 0) <= current and status != message.status:
        log.info(
            "status ignored",
            extra={"message_id": message.id, "sid": message.provider_sid, "status": status.value,
                   "current": message.status.value},
        )
        return False
    if status == message.status and not error_code:
        return False
    message.status = status
    message.status_at = now
    if error_code:
        message.error_code = error_code
    if error_message:
        message.error_message = error_message[:500]
    if status == MessageStatus.delivered:
        message.delivered_at = now
    session.add(message)
    session.flush()
    if status in (MessageStatus.undelivered, MessageStatus.failed):
        peers.follow_up.not_delivered(session, message, now=now)
    log.info(
        "outbound status",
        extra={"message_id": message.id, "sid": message.provider_sid, "status": status.value,
               "error_code": error_code},
    )
    return True


RESENDABLE = frozenset({MessageStatus.failed, MessageStatus.undelivered})


class NotResendable(ValueError):
    """The message is not one staff may resend: it is on its way, or it arrived."""


def resend(
    session: Session,
    message_id: int,
    now: datetime,
    *,
    peers: DeliveryPeers,
    staff_id: int | None = None,
    address: str | None = None,
) -> Message:
    """Staff's one-click resend of a message that failed, was undelivered or may not have been sent.

    A new queued copy rather than the same row: the ledger keeps the first attempt and what
    became of it, and the copy names it in ``resend_of_id``. The peers are told of the resend
    here (they settle the follow-up of the first attempt and put the resend on record), so the
    panel and any other caller record it alike. Should the copy fail too, it is followed up anew.
    """
    original = session.get(Message, message_id)
    if original is None or original.direction != Direction.outbound:
        raise LookupError(f"outbound message {message_id} does not exist")
    already = session.exec(select(Message.id).where(Message.resend_of_id == original.id)).first()
    if already is not None:
        # A second click, or a colleague at the same time: one copy per attempt. Should the
        # copy fail too, it is the one to resend.
        raise NotResendable(f"message {message_id} was resent already, as message {already}")
    if original.status not in RESENDABLE:
        raise NotResendable(
            f"message {message_id} is {original.status.value}; only a message that failed is resent"
        )
    copy = _copy_of(original, now)
    session.add(copy)
    session.flush()
    peers.follow_up.resent(session, original, copy, now=now, staff_id=staff_id, address=address)
    log.info("outbound resend", extra={"message_id": copy.id, "resend_of": original.id})
    return copy


def latest_attempt(session: Session, message: Message) -> Message:
    """The newest resend of ``message`` (following copies of copies), or the message itself.

    A page that shows what became of a message (the hearing SMS, say) shows this one.
    """
    current = message
    while True:
        following = session.exec(select(Message).where(Message.resend_of_id == current.id)).first()
        if following is None:
            return current
        current = following


def _copy_of(original: Message, now: datetime) -> Message:
    return Message(
        direction=Direction.outbound,
        channel=original.channel,
        phone=original.phone,
        contact_kind=original.contact_kind,
        contact_id=original.contact_id,
        template=original.template,
        params=dict(original.params),
        locale=original.locale,
        body=None if original.template else original.body,
        purpose=original.purpose,
        status=MessageStatus.queued,
        due_at=now,
        created_at=now,
        status_at=now,
        in_reply_to_id=original.in_reply_to_id,
        resend_of_id=original.id,
    )
