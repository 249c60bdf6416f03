"""``/api/v1/employers`` and their contacts: companies hosting internships and jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, status

from bot.access import CHANGES_EMPLOYERS
from bot.api.auth import CurrentStaff, require_roles
from bot.api.types import INT64_MAX, PathId
from bot.clock import utcnow
from bot.contacts import service
from bot.contacts.models import (
    Employer,
    EmployerContact,
    EmployerContactCreate,
    EmployerContactPublic,
    EmployerContactUpdate,
    EmployerCreate,
    EmployerPublic,
    EmployerUpdate,
    Staff,
)
from bot.contacts.service import NotFound
from bot.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/employers", tags=["employers"])

Writer = Annotated[Staff, Depends(require_roles(*CHANGES_EMPLOYERS))]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def _employer(session: SessionDep, employer_id: int) -> Employer:
    try:
        return service.get_employer(session=session, employer_id=employer_id)
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc


def _contact(session: SessionDep, employer_id: int, contact_id: int) -> EmployerContact:
    try:
        return service.get_employer_contact(session=session, employer_id=employer_id, contact_id=contact_id)
    except NotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc


@router.get("", response_model=list[EmployerPublic])
def list_employers(
    session: SessionDep,
    _: CurrentStaff,
    consultant_id: Annotated[
        int | None, Query(ge=1, le=INT64_MAX, description="Only this consultant's companies.")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[Employer]:
    return service.list_employers(session=session, consultant_id=consultant_id, limit=limit, offset=offset)


@router.get("/{employer_id}", response_model=EmployerPublic, responses={404: {"description": "Not found"}})
def get_employer(employer_id: PathId, session: SessionDep, _: CurrentStaff) -> Employer:
    return _employer(session, employer_id)


@router.post("", response_model=EmployerPublic, status_code=status.HTTP_201_CREATED)
def create_employer(body: EmployerCreate, session: SessionDep, _: Writer) -> Employer:
    return service.create_employer(session=session, now=utcnow(), **body.model_dump())


@router.patch("/{employer_id}", response_model=EmployerPublic, responses={404: {"description": "Not found"}})
def update_employer(employer_id: PathId, body: EmployerUpdate, session: SessionDep, _: Writer) -> Employer:
    return service.update_employer(
        session=session, employer=_employer(session, employer_id), changes=body.model_dump(exclude_unset=True)
    )


@router.get("/{employer_id}/contacts", response_model=list[EmployerContactPublic])
def list_contacts(
    employer_id: PathId, session: SessionDep, _: CurrentStaff, limit: Limit = 100, offset: Offset = 0
) -> list[EmployerContact]:
    _employer(session, employer_id)
    return service.list_employer_contacts(
        session=session, employer_id=employer_id, limit=limit, offset=offset
    )


@router.get("/{employer_id}/contacts/{contact_id}", response_model=EmployerContactPublic)
def get_contact(
    employer_id: PathId, contact_id: PathId, session: SessionDep, _: CurrentStaff
) -> EmployerContact:
    return _contact(session, employer_id, contact_id)


@router.post(
    "/{employer_id}/contacts", response_model=EmployerContactPublic, status_code=status.HTTP_201_CREATED
)
def create_contact(
    employer_id: PathId, body: EmployerContactCreate, session: SessionDep, settings: SettingsDep, _: Writer
) -> EmployerContact:
    _employer(session, employer_id)
    return service.create_employer_contact(
        session=session,
        employer_id=employer_id,
        name=body.name,
        phone=body.phone,
        language=body.language,
        region=settings.default_region,
        now=utcnow(),
    )


@router.patch("/{employer_id}/contacts/{contact_id}", response_model=EmployerContactPublic)
def update_contact(
    employer_id: PathId,
    contact_id: PathId,
    body: EmployerContactUpdate,
    session: SessionDep,
    settings: SettingsDep,
    _: Writer,
) -> EmployerContact:
    return service.update_employer_contact(
        session=session,
        contact=_contact(session, employer_id, contact_id),
        changes=body.model_dump(exclude_unset=True),
        region=settings.default_region,
        now=utcnow(),
    )


__all__ = ["EmployerContactPublic", "EmployerPublic", "router"]
