"""An administrator's changes to staff accounts are audited by the action, passwords never logged."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session

from bot.audit import service as audit
from bot.contacts import staff_accounts


def test_adding_and_changing_an_account_leaves_a_trace_without_the_password(
    session: Session, now: datetime
) -> None:
    admin = staff_accounts.add_staff(session, acting_staff=None, name="Ada Admin", email="ada@kommune.dk",
                                     role="admin", now=now)
    mette = staff_accounts.add_staff(session, acting_staff=admin.id, name="Mette Jensen",
                                     email="mette@kommune.dk", role="consultant", now=now, address="10.0.0.2")
    staff_accounts.change_staff(session, acting_staff=admin.id, staff=mette,
                                changes={"role": "team_lead", "password": "hemmeligt-ord"}, now=now)
    entries, _ = audit.entries(session, subject=f"staff:{mette.id}")
    trail = [(e.action, e.staff_id, e.details) for e in reversed(entries)]
    assert trail == [
        ("create", admin.id, {"role": "consultant"}),
        ("update", admin.id, {"role": "team_lead", "password": "changed"}),
    ]
    assert "hemmeligt-ord" not in repr(trail)


@pytest.mark.parametrize("changes", [{"active": False}, {"role": "consultant"}])
def test_an_administrator_cannot_lock_themselves_out(session: Session, now: datetime, changes: dict) -> None:
    admin = staff_accounts.add_staff(session, acting_staff=None, name="Ada Admin", email="ada@kommune.dk",
                                     role="admin", now=now)
    with pytest.raises(staff_accounts.SelfLockout):
        staff_accounts.change_staff(session, acting_staff=admin.id, staff=admin, changes=changes, now=now)
    assert admin.active and admin.role.value == "admin"
