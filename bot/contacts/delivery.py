"""The channels' ``OptOuts``, answered by the registry: one rule for every kind of contact."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session

from bot.channels.peers import Addressee
from bot.contacts.registry import opt_out_phone, recipients_opted_out


class RegistryOptOuts:
    """Citizens, employer contacts and language-centre contacts alike; on a shared phone each
    person's STOP is their own (``registry.recipient_opted_out``)."""

    def opted_out(self, session: Session, addressees: Collection[Addressee]) -> set[Addressee]:
        held = recipients_opted_out(session, addressees)
        return {addressee for addressee in addressees if addressee in held}

    def opt_out(self, session: Session, phone: str, *, now: datetime) -> bool:
        return opt_out_phone(session, phone, now=now)
