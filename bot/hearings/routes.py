"""``/api/v1/hearings``: prepare a hearing (partshøring), record the assessment and the decision.

Caseworkers open and assess; the benefits department records the decision. The API records
what people decided; it never decides and never applies a sanction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from bot.access import Viewer
from bot.api.auth import CurrentStaff, require_roles
from bot.api.citizens import visible_citizen
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.deps import SessionDep, SettingsDep
from bot.hearings import casework, export, hearings, letters
from bot.hearings.models import (
    DocumentCreate,
    DocumentPublic,
    HearingAbsencePublic,
    HearingCase,
    HearingCreate,
    HearingPublic,
    Judgement,
    NoticeOnRecordPublic,
    PeriodNoticePublic,
    RemarkCreate,
    RemarkPublic,
)

router = APIRouter(prefix="/hearings", tags=["hearings"])

PREPARES = (Role.caseworker, Role.team_lead, Role.admin)
ADDS_DOCUMENTS = (Role.caseworker, Role.consultant, Role.team_lead, Role.admin)
ASSESSES = (Role.caseworker, Role.team_lead)


def _absences(session: Session, case: HearingCase) -> list[HearingAbsencePublic]:
    assert case.id is not None
    rows = hearings.case_absences(session, case.id)
    on_record = hearings.notices_on_record(
        session, citizen_id=case.citizen_id, appointment_ids=[a.id for a, _ in rows if a.id is not None]
    )
    return [
        HearingAbsencePublic(
            appointment_id=link.appointment_id, starts_at=a.starts_at, kind=a.kind.value,
            notices_on_record=[
                NoticeOnRecordPublic(kind=n.kind, reference=n.reference, received_at=n.received_at)
                for n in on_record.get(link.appointment_id, [])
            ],
            override_reason=link.override_reason, overridden_by_id=link.overridden_by_id,
        )
        for a, link in rows
    ]


def _notices(session: Session, case: HearingCase, tz: str) -> list[PeriodNoticePublic]:
    return [
        PeriodNoticePublic(
            kind=n.kind, reference=n.reference, received_at=n.received_at, late=n.late, source=n.source,
            message_id=n.message_id, starts_on=n.starts_on, ends_on=n.ends_on,
            appointment_ids=[a.id for a in n.appointments if a.id is not None], settled=n.settled,
            first_received_as=n.first_received_as,
        )
        for n in hearings.period_notices(session, case, tz=tz)
    ]


def _public(session: Session, case: HearingCase, tz: str) -> HearingPublic:
    assert case.id is not None
    return HearingPublic(
        **case.model_dump(exclude={"period_from", "period_to"}),
        period_from=case.period_from.isoformat(),
        period_to=case.period_to.isoformat(),
        appointment_ids=[a.id for a in hearings.absences_of(session, case.id) if a.id is not None],
        absences=_absences(session, case),
        notices=_notices(session, case, tz),
        documents=[DocumentPublic.model_validate(d) for d in hearings.documents_of(session, case.id)],
        remarks=[RemarkPublic.model_validate(r) for r in hearings.sync_remarks(session, case)],
    )


def _visible_case(session: Session, staff: Staff, case_id: int) -> HearingCase:
    case = hearings.get_case(session, case_id)
    visible_citizen(session, staff, case.citizen_id)
    return case


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _audit(session: Session, request: Request, staff: Staff, action: str, case: HearingCase) -> None:
    casework.audited(session, acting_staff=Viewer.of(staff), action=action, subject=f"hearing:{case.id}",
                     now=utcnow(), details={"citizen_id": case.citizen_id, "reference": case.reference},
                     address=_address(request))


def _judged(session: Session, request: Request, tz: str, staff: Staff, case_id: int,
            record: Callable[..., object], reasons: str) -> HearingPublic:
    """An assessment or a decision: recorded as given, answered with the case as it now stands."""
    _visible_case(session, staff, case_id)
    record(session, acting_staff=Viewer.of(staff), staff=staff, case_id=case_id, reasons=reasons,
           now=utcnow(), address=_address(request))
    return _public(session, hearings.get_case(session, case_id), tz)


@router.post("", response_model=HearingPublic, status_code=201)
def open_hearing(
    body: HearingCreate,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*PREPARES))],
) -> HearingPublic:
    """Open a case from selected absences without notice; the citizen gets an SMS that a letter is coming.

    An absence with a sick notice or a cancellation on record needs a reason in ``overrides``; one
    already in another open case is refused. The 422 names each absence and the reference."""
    visible_citizen(session, staff, body.citizen_id)
    assert staff.id is not None
    case = casework.open_case(
        session, acting_staff=Viewer.of(staff), citizen_id=body.citizen_id,
        appointment_ids=body.appointment_ids, reply_days=body.reply_days, overrides=body.overrides,
        tz=settings.timezone, now=utcnow(), address=_address(request),
    )
    return _public(session, case, settings.timezone)


@router.get("", response_model=list[HearingPublic])
def list_hearings(
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
    settings: SettingsDep,
    citizen_id: Annotated[int, Query(description="The citizen whose cases to list.")],
) -> list[HearingPublic]:
    visible_citizen(session, staff, citizen_id)
    cases = hearings.cases_of(session, citizen_id=citizen_id)
    casework.audited(session, acting_staff=Viewer.of(staff), action="view", subject=f"absences:{citizen_id}",
                     now=utcnow(), details={"hearings": [c.id for c in cases]},
                     address=_address(request))
    return [_public(session, case, settings.timezone) for case in cases]


@router.get("/{case_id}", response_model=HearingPublic)
def get_hearing(
    case_id: int, request: Request, session: SessionDep, settings: SettingsDep, staff: CurrentStaff
) -> HearingPublic:
    case = _visible_case(session, staff, case_id)
    _audit(session, request, staff, "view", case)
    return _public(session, case, settings.timezone)


@router.post("/{case_id}/documents", response_model=DocumentPublic, status_code=201)
def add_document(
    case_id: int,
    body: DocumentCreate,
    request: Request,
    session: SessionDep,
    staff: Annotated[Staff, Depends(require_roles(*ADDS_DOCUMENTS))],
) -> object:
    _visible_case(session, staff, case_id)
    return casework.add_document(
        session, acting_staff=Viewer.of(staff), case_id=case_id, source=body.source,
        description=body.description, received_at=body.received_at, now=utcnow(), message_id=body.message_id,
        address=_address(request),
    )


@router.post("/{case_id}/remarks", response_model=RemarkPublic, status_code=201)
def add_remark(
    case_id: int,
    body: RemarkCreate,
    request: Request,
    session: SessionDep,
    staff: Annotated[Staff, Depends(require_roles(*ADDS_DOCUMENTS))],
) -> object:
    """A remark the citizen gave by letter, phone or in person (SMS remarks attach by themselves)."""
    _visible_case(session, staff, case_id)
    return casework.add_remark(
        session, acting_staff=Viewer.of(staff), case_id=case_id, text=body.text, received_at=body.received_at,
        now=utcnow(), address=_address(request),
    )


@router.put("/{case_id}/assessment", response_model=HearingPublic)
def assess(
    case_id: int,
    body: Judgement,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*ASSESSES))],
) -> HearingPublic:
    """The caseworker's concrete assessment: recommend a sanction or not, with reasons."""
    return _judged(session, request, settings.timezone, staff, case_id,
                   partial(casework.assess, recommendation=body.outcome), body.reasons)


@router.put("/{case_id}/decision", response_model=HearingPublic)
def decide(
    case_id: int,
    body: Judgement,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(Role.benefits))],
) -> HearingPublic:
    """The benefits department's decision, recorded as given; the software applies nothing."""
    return _judged(session, request, settings.timezone, staff, case_id,
                   partial(casework.decide, decision=body.outcome), body.reasons)


@router.get("/{case_id}/letter", response_class=HTMLResponse)
def letter(
    case_id: int, request: Request, session: SessionDep, settings: SettingsDep, staff: CurrentStaff
) -> HTMLResponse:
    """The hearing letter as a print-ready page, in Danish and in the citizen's language."""
    case = _visible_case(session, staff, case_id)
    _audit(session, request, staff, "view", case)
    return HTMLResponse(letters.render_letter(session, case_id=case_id, tz=settings.timezone, now=utcnow()))


@router.get("/{case_id}/export", response_class=Response)
def export_zip(
    case_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    language: Annotated[
        Literal["da", "en"], Query(description="The language of summary.txt: Danish, or English.")
    ] = "da",
) -> Response:
    """Evidence ZIP: summary (local times), every message of the period as CSV and JSON, the letter,
    SHA-256 manifest."""
    case = _visible_case(session, staff, case_id)
    data = export.export_case(session, case_id=case_id, tz=settings.timezone, now=utcnow(), language=language)
    _audit(session, request, staff, "export", case)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}.zip"'},
    )
