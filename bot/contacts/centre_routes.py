"""``/api/v1/language-centres``: language centres and the contacts told about absences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from bot.access import CHANGES_CENTRES
from bot.api.auth import CurrentStaff, require_roles
from bot.clock import utcnow
from bot.contacts import centres
from bot.contacts.centre_models import CentreContactCreate, CentreContactPublic, CentreCreate, CentrePublic
from bot.contacts.models import Staff
from bot.deps import SessionDep, SettingsDep

router = APIRouter(tags=["language centres"])

MANAGES_CENTRES = tuple(sorted(CHANGES_CENTRES))


@router.get("/language-centres", response_model=list[CentrePublic])
def list_centres(session: SessionDep, staff: CurrentStaff) -> object:
    return centres.list_centres(session=session)


@router.post("/language-centres", response_model=CentrePublic, status_code=201)
def create_centre(
    body: CentreCreate, session: SessionDep, staff: Annotated[Staff, Depends(require_roles(*MANAGES_CENTRES))]
) -> object:
    return centres.create_centre(session=session, name=body.name, address=body.address, now=utcnow())


@router.post("/language-centres/{centre_id}/contacts", response_model=CentreContactPublic, status_code=201)
def create_centre_contact(
    centre_id: int,
    body: CentreContactCreate,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*MANAGES_CENTRES))],
) -> object:
    return centres.create_centre_contact(
        session=session, centre_id=centre_id, name=body.name, phone=body.phone, language=body.language,
        region=settings.default_region, now=utcnow(),
    )


@router.get("/language-centres/{centre_id}/contacts", response_model=list[CentreContactPublic])
def list_centre_contacts(centre_id: int, session: SessionDep, staff: CurrentStaff) -> object:
    centres.get_centre(session=session, centre_id=centre_id)
    return centres.contacts_of_centre(session=session, centre_id=centre_id)
