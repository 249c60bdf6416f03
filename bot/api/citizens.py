"""``/api/v1/citizens``: the people in the programme."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from bot.access import CHANGES_ALL_CITIZENS, CHANGES_CITIZENS
from bot.access import api_can_see_citizen as can_see_citizen
from bot.access import api_sees_all_citizens as sees_all_citizens
from bot.api.auth import CurrentStaff, require_roles
from bot.api.types import INT64_MAX, PathId
from bot.clock import utcnow
from bot.contacts import reading, service
from bot.contacts.models import Citizen, CitizenCreate, CitizenPublic, CitizenUpdate, Staff
from bot.contacts.service import ContactInputError, NotFound
from bot.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/citizens", tags=["citizens"])

Limit = Annotated[int, Query(ge=1, le=500, description="At most this many rows.")]
Offset = Annotated[int, Query(ge=0, description="Skip this many rows.")]


def visible_citizen(session: SessionDep, staff: Staff, citizen_id: int) -> Citizen:
    """The citizen, or 404 when it does not exist or is outside this consultant's caseload."""
    try:
        citizen = service.get_citizen(session=session, citizen_id=citizen_id)
    except NotFound:
        citizen = None
    if citizen is None or not can_see_citizen(staff, citizen):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"There is no citizen with id {citizen_id}.")
    return citizen


@router.get("", response_model=list[CitizenPublic])
def list_citizens(
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    phone: Annotated[str | None, Query(description="Only the citizen with this number.")] = None,
    consultant_id: Annotated[
        int | None, Query(ge=1, le=INT64_MAX, description="Only this consultant's citizens.")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[Citizen]:
    """Citizens you may see: your own caseload, or everyone for team leads, admins and caseworkers."""
    if not sees_all_citizens(staff):
        if consultant_id not in (None, staff.id):
            return []
        consultant_id = staff.id
    number = None if phone is None else service.normalise_phone(phone, region=settings.default_region)
    return service.list_citizens(
        session=session, consultant_id=consultant_id, phone=number, limit=limit, offset=offset
    )


@router.get("/{citizen_id}", response_model=CitizenPublic, responses={404: {"description": "Not found"}})
def get_citizen(citizen_id: PathId, session: SessionDep, staff: CurrentStaff) -> Citizen:
    """One citizen; each read is recorded in the audit trail."""
    citizen = visible_citizen(session, staff, citizen_id)
    reading.record_opening(session, acting_staff=staff.id, citizen_id=citizen_id, now=utcnow(), via="api")
    return citizen


@router.post("", response_model=CitizenPublic, status_code=status.HTTP_201_CREATED)
def create_citizen(
    body: CitizenCreate,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*CHANGES_CITIZENS))],
) -> Citizen:
    """Add a citizen. A consultant adds to their own caseload; the phone must be nobody else's,
    unless other citizens hold it and ``shares_phone`` says they share it (one household)."""
    consultant_id = body.consultant_id
    if staff.role not in CHANGES_ALL_CITIZENS:
        if consultant_id not in (None, staff.id):
            raise ContactInputError(
                "consultant_id", "a consultant can only add citizens to their own caseload"
            )
        consultant_id = staff.id
    return service.create_citizen(
        session=session,
        name=body.name,
        phone=body.phone,
        language=body.language,
        consultant_id=consultant_id,
        region=settings.default_region,
        now=utcnow(),
        shares_phone=body.shares_phone,
    )


@router.patch("/{citizen_id}", response_model=CitizenPublic, responses={404: {"description": "Not found"}})
def update_citizen(
    citizen_id: PathId,
    body: CitizenUpdate,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*CHANGES_CITIZENS))],
) -> Citizen:
    """Change some fields; fields left out stay as they are. A new number other citizens hold
    needs ``shares_phone``; keeping the number already shared does not."""
    citizen = visible_citizen(session, staff, citizen_id)
    changes = body.model_dump(exclude_unset=True)
    if (
        staff.role not in CHANGES_ALL_CITIZENS
        and "consultant_id" in changes
        and changes["consultant_id"] != staff.id
    ):
        raise ContactInputError(
            "consultant_id", "only a team lead or an admin can move a citizen to another consultant"
        )
    return service.update_citizen(
        session=session, citizen=citizen, changes=changes, region=settings.default_region, now=utcnow()
    )


__all__ = ["CitizenCreate", "CitizenPublic", "CitizenUpdate", "router", "visible_citizen"]
