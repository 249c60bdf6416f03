"""What the channels ask of the rest of the app, and what they tell it: one port, handed in.

The channels know messages and numbers, not who holds a number or how staff follow up a message
that did not arrive. Those answers live with the contacts and the items; the composition
(``bot.composition.delivery_peers``) builds them into one ``DeliveryPeers`` and hands it to each
caller, so no module here imports a domain and a test may hand in its own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol

from sqlmodel import Session

from bot.channels.models import Message


class Addressee(NamedTuple):
    """Who an outbound message is meant for: its number, and the contact on it when known."""

    phone: str
    kind: str | None = None
    contact_id: int | None = None


class OptOuts(Protocol):
    """Who asked for no more messages."""

    def opted_out(self, session: Session, addressees: Collection[Addressee]) -> set[Addressee]:
        """The ``addressees`` that must not be texted, asked once for a whole batch."""
        ...

    def opt_out(self, session: Session, phone: str, *, now: datetime) -> bool:
        """The provider says ``phone`` unsubscribed; True when someone on it could opt out."""
        ...


class FollowUp(Protocol):
    """What staff are told about messages whose delivery went wrong, and about a resend."""

    def not_delivered(self, session: Session, message: Message, *, now: datetime) -> None:
        """``message`` failed or was undelivered: someone should call the person."""
        ...

    def maybe_not_sent(self, session: Session, message: Message, *, now: datetime) -> None:
        """The service stopped while sending ``message``: whether it left is unknown."""
        ...

    def resent(
        self, session: Session, original: Message, copy: Message, *,
        now: datetime, staff_id: int | None, address: str | None,
    ) -> None:
        """A member of staff (or the system) queued ``copy`` to resend ``original``."""
        ...


@dataclass(frozen=True)
class DeliveryPeers:
    opt_outs: OptOuts
    follow_up: FollowUp
