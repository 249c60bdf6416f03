"""Who handles an open item: a team lead gives it to a colleague; exports of the list are
recorded. Each action writes its own audit entry."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.contacts.models import Role, Staff
from bot.items.models import OpenItem

HANDLER_ROLES = (Role.consultant, Role.caseworker, Role.team_lead)


class NoSuchColleague(LookupError):
    """The chosen colleague does not exist or has left."""


def colleagues(session: Session) -> list[Staff]:
    """Who an item can be given to: active consultants, caseworkers and team leads, by name."""
    return list(
        session.exec(
            select(Staff)
            .where(col(Staff.active).is_(True), col(Staff.role).in_(list(HANDLER_ROLES)))
            .order_by(col(Staff.name))
        ).all()
    )


def assign(
    session: Session,
    *,
    item: OpenItem,
    assignee_id: int,
    acting_staff: int,
    now: datetime,
    address: str | None = None,
) -> OpenItem:
    colleague = session.get(Staff, assignee_id)
    if colleague is None or not colleague.active:
        raise NoSuchColleague(f"staff {assignee_id} does not exist or is inactive")
    previous = item.assignee_id
    item.assignee_id = assignee_id
    session.add(item)
    audit.record(
        session,
        staff_id=acting_staff,
        action="assign",
        subject=f"open_item:{item.id}",
        details={"from": previous, "to": assignee_id},
        address=address,
        now=now,
    )
    return item


def exported(
    session: Session, *, acting_staff: int, rows: int, now: datetime, address: str | None = None
) -> None:
    """Record that ``acting_staff`` downloaded the open-items list (``rows`` lines)."""
    audit.record(
        session,
        staff_id=acting_staff,
        action="export",
        subject="open_items",
        details={"rows": rows},
        address=address,
        now=now,
    )
