"""Employer tickets in the admin: red and due tickets first on the home page, the ticket page
with its timeline, a reply box (sent by SMS), the visit and outcome buttons, and reassignment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import ticket_view
from admin.i18n import T_, Translator, pick_language
from admin.sections import (
    CompanySection,
    Entry,
    HomeSection,
    Number,
    PolicySection,
    Territory,
    Text,
)
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff
from bot.deps import SessionDep
from bot.escalations import queries
from bot.escalations import service as tickets
from bot.escalations.models import OUTCOMES, Ticket
from bot.escalations.queries import active_tickets, next_deadline, visible_ticket

router = APIRouter()

STATUS_LABELS = {
    "open": T_("Awaiting an answer"),
    "answered": T_("Answered"),
    "visited": T_("Visited"),
    "solved": T_("Solved"),
    "placement_ended": T_("Placement ended"),
    "closed": T_("Closed"),
}
KIND_LABELS = {"problem": T_("Problem"), "recruitment": T_("Recruitment"), "question": T_("Question")}


def sees_tickets(viewer: Viewer) -> bool:
    return viewer.role in (Role.consultant, Role.team_lead)


def _home_entries(
    session: Session, viewer: Viewer, now: datetime, tr: Translator, limit: int | None
) -> tuple[list[Entry], int]:
    lines = queries.active_lines(session, viewer)
    entries = []
    for line in lines[:limit]:
        due = next_deadline(line)
        kind = str(line.kind.value if hasattr(line.kind, "value") else line.kind)
        label = tr(KIND_LABELS.get(kind, kind))
        if line.escalated_at is not None:
            label = tr("Escalated: {kind}", kind=label)
        entries.append(
            Entry(
                label=label,
                summary=f"{line.reference} · {line.company}: {line.summary}",
                href=f"/admin/tickets/{line.id}",
                due_at=due,
                created_at=line.created_at,
                urgent=line.escalated_at is not None or (due is not None and due <= now),
            )
        )
    return entries, len(lines)


def _company_context(session: Session, viewer: Viewer, company: Employer, now: datetime) -> dict[str, Any]:
    found = queries.company_tickets(session, viewer, company.id)
    return {"tickets": found, "status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS}


def _policy_rows(settings: Settings, session: Session) -> list[tuple[Text, Text]]:
    """Per ticket kind: how many hours (as staff set them), counted on the clock or in working hours."""
    rows: list[tuple[Text, Text]] = []
    for kind, policy in sorted(tickets.policy_table(settings, session).items()):
        name = Text(KIND_LABELS.get(kind, kind))
        if policy.business_hours:
            rows.append((name, Text(
                T_("{hours} working hours ({start}–{end} on working days in {country})"),
                {"hours": Number(policy.hours), "start": f"{policy.day_start:%H:%M}",
                 "end": f"{policy.day_end:%H:%M}", "country": Territory(policy.country)},
            )))
        else:
            rows.append((name, Text(T_("{hours} hours, around the clock"), {"hours": Number(policy.hours)})))
    return rows


POLICY_SECTION = PolicySection(key="sla", title=T_("Answer and visit deadlines (SLA)"), rows=_policy_rows)
HOME_SECTION = HomeSection(
        key="tickets", title=T_("Employer tickets"), order=10, visible=sees_tickets, fetch=_home_entries
    )
COMPANY_SECTION = CompanySection(
        key="tickets",
        title=T_("Tickets"),
        order=10,
        visible=sees_tickets,
        template="tickets/_company.html",
        context=_company_context,
    )


@router.get("/tickets")
def ticket_list(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    if not sees_tickets(viewer):
        raise HTTPException(status_code=404)
    found = active_tickets(session, viewer)
    return render(
        request,
        "tickets/list.html",
        {
            "viewer": viewer,
            "tickets": found,
            "names": queries.employer_names(session, {t.employer_id for t in found}),
            "deadline": next_deadline,
            "status_labels": STATUS_LABELS,
            "kind_labels": KIND_LABELS,
        },
        now=now,
    )


def render_ticket(
    request: Request,
    session: Session,
    viewer: Viewer,
    ticket: Ticket,
    now: datetime,
    *,
    error: str | None = None,
    draft: str = "",
    drafts: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The ticket page; after a refused form, ``error`` and what was typed (``drafts``, with
    ``form`` naming the form) go back beside the field."""
    assert ticket.id is not None
    company = session.get(Employer, ticket.employer_id)
    contact = session.get(EmployerContact, ticket.contact_id) if ticket.contact_id else None
    citizen = session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    assignee = session.get(Staff, ticket.assignee_id) if ticket.assignee_id else None
    events = tickets.timeline(session, ticket.id)
    staff_names = queries.staff_names(session, {e.staff_id for e in events if e.staff_id is not None})
    colleagues = queries.colleagues(session) if viewer.is_lead else []
    return render(
        request,
        "tickets/ticket.html",
        {
            "viewer": viewer,
            "ticket": ticket,
            "company": company,
            "contact": contact,
            "citizen": citizen,
            "assignee": assignee,
            "events": events,
            "staff_names": staff_names,
            "colleagues": colleagues,
            "outcomes": [o.value for o in OUTCOMES],
            "status_labels": STATUS_LABELS,
            "kind_labels": KIND_LABELS,
            "error": error,
            "draft": draft,
            "drafts": drafts or {},
            "deadline": next_deadline(ticket),
            **ticket_view.context(session, ticket, events, request, now, viewer),
        },
        status_code=status_code,
        now=now,
    )


def load_ticket(session: Session, viewer: Viewer, ticket_id: int) -> Ticket:
    ticket = visible_ticket(session, viewer, ticket_id)
    if ticket is None:
        raise HTTPException(status_code=404)
    return ticket


@router.get("/tickets/{ticket_id}")
def ticket_page(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    ticket = queries.read_ticket(session, viewer=viewer, ticket_id=ticket_id, acting_staff=viewer.staff_id,
                                 now=now, address=client_address(request))
    if ticket is None:
        raise HTTPException(status_code=404)
    return render_ticket(request, session, viewer, ticket, now)


def _changed(request: Request, ticket_id: int) -> Response:
    return redirect(request, f"/admin/tickets/{ticket_id}")


def refused(
    request: Request,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    now: datetime,
    error: tickets.TicketError,
    draft: str = "",
    *,
    drafts: dict[str, str] | None = None,
    message: str | None = None,
) -> Response:
    """Undo the refused change and show the page again with why, keeping what was typed."""
    session.rollback()
    ticket = load_ticket(session, viewer, ticket_id)
    tr = Translator(pick_language(request))
    text = tr(message or error_text(error))
    return render_ticket(
        request, session, viewer, ticket, now, error=text, draft=draft, drafts=drafts, status_code=422
    )


def error_text(error: tickets.TicketError) -> str:
    return {
        "body": T_("Write an answer of at most 1000 characters."),
        "status": T_("The ticket is closed; it cannot be changed."),
        "contact_id": T_("The ticket has no company contact with a phone number."),
        "assignee_id": T_("Choose an active colleague."),
        "outcome": T_("Choose an outcome."),
        "into": T_("Choose another open ticket of the same company."),
        "at": T_("Enter a date and time: a visit that took place lies in the past, a planned one ahead."),
        "event_id": T_("Choose a message from the company on this ticket."),
        "kind": T_("Choose what kind of matter the new ticket is."),
    }.get(error.field, T_("The change could not be made."))


@router.post("/tickets/{ticket_id}/reply")
def ticket_reply(
    request: Request,
    ticket_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    load_ticket(session, viewer, ticket_id)
    try:
        tickets.reply(session, ticket_id=ticket_id, staff_id=viewer.staff_id, body=text, now=now,
                      address=client_address(request))
    except tickets.TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error, draft=text)
    return _changed(request, ticket_id)


@router.post("/tickets/{ticket_id}/resolve")
def ticket_resolve(
    request: Request,
    ticket_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    outcome: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    load_ticket(session, viewer, ticket_id)
    try:
        tickets.resolve(
            session,
            ticket_id=ticket_id,
            staff_id=viewer.staff_id,
            outcome=outcome,
            now=now,
            settings=request.app.state.settings,
            note=note.strip() or None,
            address=client_address(request),
        )
    except tickets.TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error)
    return _changed(request, ticket_id)


@router.post("/tickets/{ticket_id}/reassign")
def ticket_reassign(
    request: Request,
    ticket_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    assignee_id: Annotated[int, Form()],
) -> Response:
    if not viewer.is_lead:
        raise HTTPException(status_code=404)
    load_ticket(session, viewer, ticket_id)
    try:
        tickets.reassign(
            session,
            ticket_id=ticket_id,
            assignee_id=assignee_id,
            now=now,
            settings=request.app.state.settings,
            staff_id=viewer.staff_id,
            address=client_address(request),
        )
    except tickets.TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error)
    return _changed(request, ticket_id)

# What this module adds to the panel; the app collects it when it composes the domains.
SECTIONS = (POLICY_SECTION, HOME_SECTION, COMPANY_SECTION)
