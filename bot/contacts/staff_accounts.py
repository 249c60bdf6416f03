"""Staff accounts changed by an administrator: each change is audited by the action itself.

The panel and the API call these, so an account made or changed either way leaves the same
trace; passwords are never written to the log, only that one was changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.contacts import service
from bot.contacts.models import Role, Staff


class SelfLockout(ValueError):
    """An administrator may not deactivate or demote their own account."""


def everyone(session: Session) -> list[Staff]:
    """Every account, active ones first, by name."""
    return list(session.exec(select(Staff).order_by(col(Staff.active).desc(), col(Staff.name))).all())


def add_staff(
    session: Session,
    *,
    acting_staff: int | None,
    name: str,
    email: str,
    role: Role | str,
    now: datetime,
    password: str | None = None,
    phone: str | None = None,
    languages: tuple[str, ...] | list[str] = ("da",),
    region: str = "DK",
    address: str | None = None,
) -> Staff:
    staff = service.create_staff(session=session, name=name, email=email, role=role, phone=phone,
                                 languages=languages, password=password, region=region, now=now)
    audit.record(session, staff_id=acting_staff, action="create", subject=f"staff:{staff.id}",
                 details={"role": staff.role.value}, address=address, now=now)
    return staff


def change_staff(
    session: Session,
    *,
    acting_staff: int | None,
    staff: Staff,
    changes: Mapping[str, Any],
    now: datetime,
    region: str = "DK",
    address: str | None = None,
) -> Staff:
    """Apply ``changes``; refuses to let an administrator lock themselves out of the panel."""
    if staff.id == acting_staff and (
        changes.get("active") is False or str(changes.get("role", Role.admin.value)) != Role.admin.value
    ):
        raise SelfLockout("you cannot remove your own administrator access")
    service.update_staff(session=session, staff=staff, changes=changes, region=region)
    details = {key: value for key, value in changes.items() if key != "password"}
    if "password" in changes:
        details["password"] = "changed"  # noqa: S105 - the log says that it changed, never to what
    audit.record(session, staff_id=acting_staff, action="update", subject=f"staff:{staff.id}",
                 details=details, address=address, now=now)
    return staff
