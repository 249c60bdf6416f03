"""The one answer to "who is this number?" and "stop texting them".

A number may belong to several citizens of one household (a family sharing a phone), or to one
employer contact, one language-centre contact or one staff member; never to a citizen and one
of the others at once (a work phone is not a family phone). ``holders_of`` lists them all in a
fixed order, citizens first (oldest record first), and ``set_opt_out`` is the only code that
turns texting on or off for any of them, so a STOP from any kind of contact is honoured alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, Table, cast, false, literal, union_all
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from bot.contacts.centre_models import CentreContact
from bot.contacts.models import Citizen, EmployerContact, Staff


@dataclass(frozen=True)
class ContactRef:
    kind: str  # citizen | employer_contact | staff | centre_contact
    id: int
    name: str
    language: str
    opted_out: bool = False

    @property
    def first_name(self) -> str:
        """What a text to a shared phone calls this person: the first name, nothing more."""
        return first_name(self.name)


def first_name(name: str) -> str:
    parts = (name or "").split()
    return parts[0] if parts else ""


# Kinds whose rows carry ``opted_out``; staff are reached on their work phone and cannot opt out.
_OPT_OUT_MODELS: dict[str, type[Citizen] | type[EmployerContact] | type[CentreContact]] = {
    "citizen": Citizen,
    "employer_contact": EmployerContact,
    "centre_contact": CentreContact,
}


def _ref(kind: str, row: Any, language: str | None = None) -> ContactRef:
    return ContactRef(
        kind, int(row.id), row.name, language or row.language, bool(getattr(row, "opted_out", False))
    )


def holders_of(session: Session, phone: str) -> list[ContactRef]:
    """Everyone ``phone`` (E.164) belongs to: the household's citizens, then any other contact."""
    return holders_of_many(session, [phone])[phone]


def holders_of_many(session: Session, phones: Iterable[str]) -> dict[str, list[ContactRef]]:
    """``holders_of`` for many numbers in one query (the inbound worker's batches)."""
    found: dict[str, list[ContactRef]] = {phone: [] for phone in phones}
    wanted = sorted(found)
    if not wanted:
        return found
    rows = session.connection().execute(_holders_query(wanted))
    taken: set[tuple[str, str]] = set()
    for kind, _rank, row_id, name, phone, language, opted_out in rows:
        if kind != "citizen":
            # One of each other kind per number (the oldest record), after the household.
            if (kind, phone) in taken:
                continue
            taken.add((kind, phone))
        if kind == "staff":
            spoken = json.loads(language) if language else []
            language = spoken[0] if spoken else "da"
        found[str(phone)].append(ContactRef(kind, int(row_id), name, language, bool(opted_out)))
    return found


def _holders_query(phones: list[str]) -> Select[Any]:
    """Every contact table's holders of ``phones`` as one UNION ALL: citizens, then employer
    contacts, centre contacts and staff, oldest record first within each kind. Staff have no
    ``opted_out`` and a list of languages, sent as JSON text."""
    branches = []
    for rank, (kind, model) in enumerate(_OPT_OUT_MODELS.items()):
        c = _table(model).c
        branches.append(
            sql_select(literal(kind), literal(rank), c.id, c.name, c.phone, c.language, c.opted_out)
            .where(c.phone.in_(phones))
        )
    c = _table(Staff).c
    branches.append(
        sql_select(literal("staff"), literal(len(branches)), c.id, c.name, c.phone,
                   cast(c.languages, String), false())
        .where(c.phone.in_(phones))
    )
    union = union_all(*branches).subquery()
    return sql_select(*union.c).order_by(union.c[1], union.c[2])


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def citizens_of(session: Session, phone: str) -> list[ContactRef]:
    """The citizens who share ``phone`` (one for most people, several for a household)."""
    return [ref for ref in holders_of(session, phone) if ref.kind == "citizen"]


def is_shared(session: Session, phone: str | None) -> bool:
    """True when texts to ``phone`` may be read by more than one person in the programme."""
    return bool(phone) and len(citizens_of(session, str(phone))) > 1


def sharers(session: Session, citizen: Citizen) -> list[Citizen]:
    """The other citizens with ``citizen``'s phone, oldest record first (the panel and the API)."""
    if not citizen.phone:
        return []
    rows = session.exec(
        select(Citizen)
        .where(Citizen.phone == citizen.phone, col(Citizen.id) != citizen.id)
        .order_by(col(Citizen.id))
    )
    return list(rows)


def row_of(session: Session, ref: ContactRef) -> Citizen | EmployerContact | CentreContact | None:
    model = _OPT_OUT_MODELS.get(ref.kind)
    if model is None:
        return None
    return session.get(model, ref.id)  # type: ignore[return-value]


def set_opt_out(
    session: Session, refs: Iterable[ContactRef], opted_out: bool, *, now: datetime
) -> list[ContactRef]:
    """Stop (or start) texting each of ``refs``; returns those whose setting changed.

    Stamps ``opted_out_at`` when texting stops and clears it when it starts again; a contact
    already in the state asked for is left alone, so its first stop time stands.
    """
    changed = []
    for ref in refs:
        row = row_of(session, ref)
        if row is None or row.opted_out == opted_out:
            continue
        row.opted_out = opted_out
        row.opted_out_at = now if opted_out else None
        session.add(row)
        changed.append(ref)
    return changed


def opt_out_phone(session: Session, phone: str, *, now: datetime) -> bool:
    """The provider says ``phone`` unsubscribed (error 21610): nobody on it can be texted.

    True when the number belongs to a contact who can opt out.
    """
    holders = [ref for ref in holders_of(session, phone) if ref.kind in _OPT_OUT_MODELS]
    set_opt_out(session, holders, True, now=now)
    return bool(holders)


def phone_opted_out(session: Session, phone: str) -> bool:
    """True when a holder of ``phone`` asked for no more messages."""
    return any(ref.opted_out for ref in holders_of(session, phone))


__all__ = [
    "ContactRef", "citizens_of", "first_name", "holders_of", "is_shared", "opt_out_phone",
    "phone_opted_out", "recipient_opted_out", "recipients_opted_out", "row_of", "set_opt_out", "sharers",
]


def recipient_opted_out(session: Session, phone: str, kind: str | None, contact_id: int | None) -> bool:
    """Whether a message to ``phone`` meant for (``kind``, ``contact_id``) must not be sent.

    On a shared phone each person's STOP is their own: a message for one who did not stop still
    goes. A message for nobody in particular is held back when anyone on the number stopped.
    """
    return _held_back(holders_of(session, phone), kind, contact_id)


def recipients_opted_out(
    session: Session, wanted: Iterable[tuple[str, str | None, int | None]]
) -> set[tuple[str, str | None, int | None]]:
    """``recipient_opted_out`` for many (phone, kind, contact id) at once: those held back.

    The outbox asks this once per claimed batch, in the queries of ``holders_of_many``.
    """
    wanted = list(wanted)
    holders = holders_of_many(session, {phone for phone, _, _ in wanted})
    return {entry for entry in wanted if _held_back(holders[entry[0]], entry[1], entry[2])}


def _held_back(holders: list[ContactRef], kind: str | None, contact_id: int | None) -> bool:
    for ref in holders:
        if ref.kind == kind and ref.id == contact_id:
            return ref.opted_out
    return any(ref.opted_out for ref in holders)
