"""``/api/v1/staff``: the municipality's users; admins add and change them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from bot.access import MANAGES_STAFF
from bot.api.auth import CurrentStaff, require_roles
from bot.api.types import PathId
from bot.clock import utcnow
from bot.contacts import service, staff_accounts
from bot.contacts.models import Role, Staff, StaffCreate, StaffPublic, StaffUpdate
from bot.contacts.service import NotFound
from bot.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/staff", tags=["staff"])

AdminOnly = Annotated[Staff, Depends(require_roles(*MANAGES_STAFF))]


def _get(session: SessionDep, staff_id: int) -> Staff:
    try:
        return service.get_staff(session=session, staff_id=staff_id)
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc


@router.get("", response_model=list[StaffPublic])
def list_staff(
    session: SessionDep,
    _: CurrentStaff,
    role: Annotated[Role | None, Query(description="Only staff with this role.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Staff]:
    return service.list_staff(session=session, role=role, limit=limit, offset=offset)


@router.get("/me", response_model=StaffPublic)
def me(staff: CurrentStaff) -> Staff:
    """The staff member the token belongs to."""
    return staff


@router.get("/{staff_id}", response_model=StaffPublic, responses={404: {"description": "Not found"}})
def get_staff(staff_id: PathId, session: SessionDep, _: CurrentStaff) -> Staff:
    return _get(session, staff_id)


@router.post("", response_model=StaffPublic, status_code=status.HTTP_201_CREATED)
def create_staff(body: StaffCreate, session: SessionDep, settings: SettingsDep, admin: AdminOnly) -> Staff:
    return staff_accounts.add_staff(
        session,
        acting_staff=admin.id,
        name=body.name,
        email=body.email,
        role=body.role,
        phone=body.phone,
        languages=list(body.languages),
        password=body.password,
        region=settings.default_region,
        now=utcnow(),
    )


@router.patch("/{staff_id}", response_model=StaffPublic, responses={404: {"description": "Not found"}})
def update_staff(
    staff_id: PathId, body: StaffUpdate, session: SessionDep, settings: SettingsDep, admin: AdminOnly
) -> Staff:
    try:
        return staff_accounts.change_staff(
            session,
            acting_staff=admin.id,
            staff=_get(session, staff_id),
            changes=body.model_dump(exclude_unset=True),
            region=settings.default_region,
            now=utcnow(),
        )
    except staff_accounts.SelfLockout as exc:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "you cannot remove your own administrator access"
        ) from exc


__all__ = ["StaffCreate", "StaffPublic", "StaffUpdate", "router"]
