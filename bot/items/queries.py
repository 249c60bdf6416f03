"""What the panel reads of open items: the visible ones, most urgent first, with whom they concern.

The caller says who may see what (``visible``, a condition on ``OpenItem``), so the panel's
visibility rules stay in the panel and the queries stay here, beside the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from bot.contacts.models import Citizen, Employer
from bot.items.models import OpenItem


@dataclass(frozen=True)
class ItemRow:
    """The columns of an open item the pages show; plain values, cheaper than ORM objects."""

    id: int
    kind: str
    summary: str
    phone: str | None
    citizen_id: int | None
    employer_id: int | None
    due_at: datetime | None
    created_at: datetime | None
    details: dict[str, Any]


ITEM_COLUMNS = (
    col(OpenItem.id),
    col(OpenItem.kind),
    col(OpenItem.summary),
    col(OpenItem.phone),
    col(OpenItem.citizen_id),
    col(OpenItem.employer_id),
    col(OpenItem.due_at),
    col(OpenItem.created_at),
    col(OpenItem.details),
)


def open_items(
    session: Session,
    *,
    visible: ColumnElement[bool],
    kinds: frozenset[str] | None,
    exclude: frozenset[str] | None = None,
    citizen_id: int | None = None,
    employer_id: int | None = None,
    limit: int,
) -> list[tuple[ItemRow, str | None]]:
    """Open items matching ``visible`` with the name of whom they concern, most urgent first."""
    query = (
        sa_select(*ITEM_COLUMNS, col(Citizen.name), col(Employer.name))
        .outerjoin(Citizen, col(Citizen.id) == col(OpenItem.citizen_id))
        .outerjoin(Employer, col(Employer.id) == col(OpenItem.employer_id))
        .where(col(OpenItem.resolved_at).is_(None), visible)
    )
    if kinds is not None:
        query = query.where(col(OpenItem.kind).in_(sorted(kinds)))
    if exclude:
        query = query.where(col(OpenItem.kind).not_in(sorted(exclude)))
    if citizen_id is not None:
        query = query.where(col(OpenItem.citizen_id) == citizen_id)
    if employer_id is not None:
        query = query.where(col(OpenItem.employer_id) == employer_id)
    query = query.order_by(
        col(OpenItem.due_at).is_(None), col(OpenItem.due_at), col(OpenItem.created_at), col(OpenItem.id)
    ).limit(limit)
    found = []
    for row in session.execute(query).all():
        *values, citizen_name, employer_name = row
        found.append((ItemRow(*values), citizen_name or employer_name))
    return found


def top_open_items(
    session: Session, *, visible: ColumnElement[bool], per_kind: int
) -> tuple[list[tuple[ItemRow, str | None]], dict[str, int]]:
    """The ``per_kind`` most urgent open items of each kind matching ``visible``, and the count per kind.

    The database ranks and counts, so thousands of open items still give a home page at once.
    """
    is_open = col(OpenItem.resolved_at).is_(None)
    urgency = (
        col(OpenItem.due_at).is_(None),
        col(OpenItem.due_at),
        col(OpenItem.created_at),
        col(OpenItem.id),
    )
    rank = func.row_number().over(partition_by=col(OpenItem.kind), order_by=urgency).label("rank")
    ranked = sa_select(col(OpenItem.id).label("item_id"), rank).where(is_open, visible).subquery()
    query = (
        sa_select(*ITEM_COLUMNS, col(Citizen.name), col(Employer.name))
        .join(ranked, ranked.c.item_id == col(OpenItem.id))
        .outerjoin(Citizen, col(Citizen.id) == col(OpenItem.citizen_id))
        .outerjoin(Employer, col(Employer.id) == col(OpenItem.employer_id))
        .where(ranked.c.rank <= per_kind)
        .order_by(*urgency)
    )
    top = []
    for row in session.execute(query).all():
        *values, citizen_name, employer_name = row
        top.append((ItemRow(*values), citizen_name or employer_name))
    counted = sa_select(col(OpenItem.kind), func.count()).where(is_open, visible).group_by(col(OpenItem.kind))
    counts = {kind: int(n) for kind, n in session.execute(counted).all()}
    return top, counts
