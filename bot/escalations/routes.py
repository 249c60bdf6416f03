"""``/api/v1/escalations``: employer tickets, their timeline, replies, visits, outcomes, the report.

Consultants see and act on the tickets assigned to them; team leads and admins on all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict, Field

from bot.api.auth import require_roles
from bot.api.timestamps import ApiDatetime
from bot.api.types import INT64_MAX, PathId, RowId
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.deps import EngineDep, SessionDep, SettingsDep
from bot.escalations import faq, intake, metrics, partnership, report, service
from bot.escalations.models import (
    FaqEntry,
    FaqEntryCreate,
    FaqEntryPublic,
    Ticket,
    TicketCreate,
    TicketEvent,
    TicketPublic,
    TicketStatus,
)

router = APIRouter(prefix="/escalations", tags=["escalations"])
partnership_router = APIRouter(prefix="/employers", tags=["employers"])
metrics_router = APIRouter(tags=["metrics"])

SEES_ALL = frozenset({Role.team_lead, Role.admin})
Worker = Annotated[Staff, Depends(require_roles(Role.consultant, Role.team_lead, Role.admin))]
Lead = Annotated[Staff, Depends(require_roles(Role.team_lead, Role.admin))]

T = TypeVar("T")


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: ApiDatetime
    kind: str
    staff_id: int | None
    message_id: int | None
    body: str | None
    details: dict[str, Any]


class TicketDetail(TicketPublic):
    timeline: list[EventPublic]


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(
        min_length=1, max_length=service.MAX_REPLY_LENGTH, description="Sent to the company by SMS."
    )


class VisitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Literal["solved", "placement_ended", "closed"]
    note: str | None = Field(default=None, max_length=2000)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee_id: RowId


class ReportRow(BaseModel):
    assignee_id: int | None
    name: str
    tickets: int
    answered_in_time: int
    answered_late: int
    unanswered_overdue: int
    pending: int
    share_in_time: float | None
    median_first_response_seconds: float | None


class ReportOut(BaseModel):
    month: str
    rows: list[ReportRow]
    total: ReportRow


class PauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=500)


def _unprocessable(field: str, message: str) -> HTTPException:
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=[{"field": field, "message": message}])


def _run(action: Callable[[], T]) -> T:
    """Turn service refusals into responses a person can act on."""
    try:
        return action()
    except service.TicketNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    except service.TicketError as exc:
        code = status.HTTP_409_CONFLICT if exc.field == "status" else status.HTTP_422_UNPROCESSABLE_CONTENT
        raise HTTPException(code, detail=[{"field": exc.field, "message": exc.message}]) from exc


def _visible(session: SessionDep, staff: Staff, ticket_id: int) -> Ticket:
    ticket = _run(lambda: service.get(session, ticket_id))
    if staff.role not in SEES_ALL and ticket.assignee_id != staff.id:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, detail=f"Ticket {ticket_id} is assigned to someone else."
        )
    return ticket


def _public(ticket: Ticket) -> TicketPublic:
    return TicketPublic.model_validate(ticket)


def _detail(session: SessionDep, ticket: Ticket) -> TicketDetail:
    events: list[TicketEvent] = service.timeline(session, ticket.id or 0)
    return TicketDetail(
        **_public(ticket).model_dump(),
        timeline=[EventPublic.model_validate(e) for e in events],
    )


@router.get("", response_model=list[TicketPublic])
def list_tickets(
    session: SessionDep,
    staff: Worker,
    status_: Annotated[TicketStatus | None, Query(alias="status")] = None,
    assignee_id: Annotated[int | None, Query(ge=1, le=INT64_MAX)] = None,
    employer_id: Annotated[int | None, Query(ge=1, le=INT64_MAX)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[TicketPublic]:
    """Tickets, red first, then by the soonest deadline. Consultants see their own."""
    if staff.role not in SEES_ALL:
        if assignee_id is not None and assignee_id != staff.id:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, detail="Consultants can list only their own tickets."
            )
        assignee_id = staff.id
    flt = service.TicketFilter(status=status_, assignee_id=assignee_id, employer_id=employer_id)
    return [_public(t) for t in service.list_tickets(session, flt, limit=limit, offset=offset)]


@router.post("", response_model=TicketDetail, status_code=status.HTTP_201_CREATED)
def create_ticket(
    session: SessionDep, settings: SettingsDep, staff: Worker, body: TicketCreate
) -> TicketDetail:
    """Open a ticket for a request that came by phone or mail; the contact gets the acknowledgement."""
    now = utcnow()
    ticket = _run(
        lambda: service.open_ticket(
            session,
            employer_id=body.employer_id,
            contact_id=body.contact_id,
            citizen_id=body.citizen_id,
            kind=body.kind,
            summary=body.summary,
            now=now,
            settings=settings,
        )
    )
    intake.acknowledge_by_sms(session, ticket, now=now, timezone=settings.timezone)
    return _detail(session, ticket)


@router.get("/report", response_model=ReportOut)
def monthly_report(session: SessionDep, settings: SettingsDep, staff: Worker, month: str) -> ReportOut:
    """Share answered within the deadline and median time to first answer, per consultant."""
    only = None if staff.role in SEES_ALL else staff.id
    try:
        result = report.monthly(
            session, month=month, timezone=settings.timezone, now=utcnow(), assignee_id=only
        )
    except report.MonthError as exc:
        raise _unprocessable("month", str(exc)) from exc

    def row(r: report.Row) -> ReportRow:
        return ReportRow(
            assignee_id=r.assignee_id,
            name=r.name,
            tickets=r.tickets,
            answered_in_time=r.answered_in_time,
            answered_late=r.answered_late,
            unanswered_overdue=r.unanswered_overdue,
            pending=r.pending,
            share_in_time=r.share_in_time,
            median_first_response_seconds=r.median_first_response_seconds,
        )

    return ReportOut(month=result.month, rows=[row(r) for r in result.rows], total=row(result.total))


def _faq_public(entry: FaqEntry) -> FaqEntryPublic:
    public = FaqEntryPublic.model_validate(entry)
    public.placeholders = faq.placeholders(entry)
    return public


@router.get("/faq", response_model=list[FaqEntryPublic])
def list_faq(session: SessionDep, staff: Worker, include_inactive: bool = False) -> list[FaqEntryPublic]:
    """The knowledge base; ``placeholders`` lists the gaps the municipality has not filled yet."""
    entries = faq.all_entries(session) if include_inactive else faq.active_entries(session)
    return [_faq_public(e) for e in entries]


@router.put("/faq/{slug}", response_model=FaqEntryPublic)
def save_faq(session: SessionDep, staff: Worker, slug: str, body: FaqEntryCreate) -> FaqEntryPublic:
    try:
        entry = faq.save(
            session,
            slug=slug,
            questions=body.questions,
            answers=body.answers,
            topic=body.topic,
            active=body.active,
            now=utcnow(),
            staff_id=staff.id,
        )
    except faq.FaqInputError as exc:
        raise _unprocessable(exc.field, exc.message) from exc
    return _faq_public(entry)


@router.get("/{ticket_id}", response_model=TicketDetail)
def get_ticket(session: SessionDep, staff: Worker, ticket_id: PathId) -> TicketDetail:
    return _detail(session, _visible(session, staff, ticket_id))


@router.post("/{ticket_id}/reply", response_model=TicketDetail)
def reply(session: SessionDep, staff: Worker, ticket_id: PathId, body: ReplyIn) -> TicketDetail:
    """Send an answer to the company by SMS; the first answer stops the response clock."""
    _visible(session, staff, ticket_id)
    ticket = _run(
        lambda: service.reply(
            session, ticket_id=ticket_id, staff_id=staff.id or 0, body=body.body, now=utcnow()
        )
    )
    return _detail(session, ticket)


@router.post("/{ticket_id}/visit", response_model=TicketDetail)
def visit(session: SessionDep, staff: Worker, ticket_id: PathId, body: VisitIn | None = None) -> TicketDetail:
    """A consultant has been at the company; the visit clock stops."""
    _visible(session, staff, ticket_id)
    note = body.note if body else None
    ticket = _run(
        lambda: service.mark_visited(
            session, ticket_id=ticket_id, staff_id=staff.id or 0, now=utcnow(), note=note
        )
    )
    return _detail(session, ticket)


@router.post("/{ticket_id}/resolve", response_model=TicketDetail)
def resolve(
    session: SessionDep, settings: SettingsDep, staff: Worker, ticket_id: PathId, body: ResolveIn
) -> TicketDetail:
    """Solved, placement ended (the placement ends today) or closed."""
    _visible(session, staff, ticket_id)
    ticket = _run(
        lambda: service.resolve(
            session,
            ticket_id=ticket_id,
            staff_id=staff.id or 0,
            outcome=body.outcome,
            now=utcnow(),
            settings=settings,
            note=body.note,
        )
    )
    return _detail(session, ticket)


@router.post("/{ticket_id}/assign", response_model=TicketDetail)
def assign(
    session: SessionDep, settings: SettingsDep, staff: Lead, ticket_id: PathId, body: AssignIn
) -> TicketDetail:
    """Give the ticket to another consultant (team leads), who is told by SMS."""
    ticket = _run(
        lambda: service.reassign(
            session,
            ticket_id=ticket_id,
            assignee_id=body.assignee_id,
            now=utcnow(),
            settings=settings,
            staff_id=staff.id,
        )
    )
    return _detail(session, ticket)


def _partnership(
    session: SessionDep, staff: Staff, employer_id: int, paused: bool, reason: str | None
) -> dict[str, Any]:
    try:
        employer = partnership.set_paused(
            session, employer_id=employer_id, paused=paused, now=utcnow(), staff_id=staff.id, reason=reason
        )
    except partnership.EmployerNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    return {"employer_id": employer.id, "paused": employer.paused}


@partnership_router.post("/{employer_id}/pause")
def pause_partnership(
    session: SessionDep, staff: Worker, employer_id: PathId, body: PauseIn | None = None
) -> dict[str, Any]:
    """The company takes a break from placements; it is marked wherever placements are chosen."""
    return _partnership(session, staff, employer_id, True, body.reason if body else None)


@partnership_router.post("/{employer_id}/resume")
def resume_partnership(
    session: SessionDep, staff: Worker, employer_id: PathId, body: PauseIn | None = None
) -> dict[str, Any]:
    return _partnership(session, staff, employer_id, False, body.reason if body else None)


@metrics_router.get("/metrics", include_in_schema=False)
def prometheus_metrics(engine: EngineDep, settings: SettingsDep) -> Response:
    """Ticket figures in the Prometheus text format, read from the database now."""
    registry = metrics.registry_for(engine, timezone=settings.timezone, clock=utcnow)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
