"""Ticket actions beyond answering: a visit at the time it took place, a visit planned ahead,
merging two tickets about one matter and splitting a message off into a ticket of its own.

Each route parses the form, calls one action of ``bot.escalations.ticket_actions`` (which
writes its own audit entry) and shows the result. Merge and split change two tickets at once,
so they are asked for first (a page saying what will happen) and done only when confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep
from admin.domains import ticket_view
from admin.domains.tickets import KIND_LABELS, STATUS_LABELS, load_ticket, refused, visible_ticket
from admin.i18n import T_
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.deps import SessionDep
from bot.escalations import ticket_actions as actions
from bot.escalations.models import Ticket, TicketEvent
from bot.escalations.service import TicketError

router = APIRouter()

VISIT_IN_FUTURE = T_("A visit that has not taken place yet is planned: use “Plan a visit”.")
PLAN_IN_PAST = T_("A planned visit lies ahead: choose a later time, or record the visit that took place.")


def _done(request: Request, ticket_id: int, code: str) -> Response:
    return redirect(request, f"/admin/tickets/{ticket_id}?done={code}")


@router.post("/tickets/{ticket_id}/visited")
def ticket_visited(
    request: Request,
    ticket_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    at: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """The visit took place at the time entered (blank: now); the visit clock stops then."""
    load_ticket(session, viewer, ticket_id)
    drafts = {"form": "visit", "at": at, "note": note}
    try:
        when = ticket_view.parse_local(at, request.app.state.settings.timezone)
        actions.record_visit(
            session, ticket_id=ticket_id, acting_staff=viewer.staff_id, now=now, at=when,
            note=note.strip() or None,
        )
    except TicketError as error:
        message = VISIT_IN_FUTURE if error.field == "at" and at.strip() else None
        return refused(request, session, viewer, ticket_id, now, error, drafts=drafts, message=message)
    return _done(request, ticket_id, "visited")


@router.post("/tickets/{ticket_id}/plan")
def ticket_plan(
    request: Request,
    ticket_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    at: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    """"Visit planned for Thursday 13:00": the company is told; within the deadline the visit
    clock does not escalate."""
    load_ticket(session, viewer, ticket_id)
    settings = request.app.state.settings
    drafts = {"form": "plan", "at": at, "note": note}
    try:
        when = ticket_view.parse_local(at, settings.timezone)
        if when is None:
            raise TicketError("at", "enter when the visit is planned")
        actions.plan_visit(
            session, ticket_id=ticket_id, acting_staff=viewer.staff_id, at=when, now=now,
            settings=settings, note=note.strip() or None,
        )
    except TicketError as error:
        message = PLAN_IN_PAST if error.field == "at" and at.strip() else None
        return refused(request, session, viewer, ticket_id, now, error, drafts=drafts, message=message)
    return _done(request, ticket_id, "planned")


def _ask(request: Request, session: Session, viewer: Viewer, now: datetime, ticket_id: int, template: str,
         shown: Callable[[Ticket], dict[str, Any]]) -> Response:
    """The page that asks before a merge or a split: what ``shown`` finds to act on, or the ticket
    page saying why it cannot be done."""
    ticket = load_ticket(session, viewer, ticket_id)
    try:
        context = shown(ticket)
    except TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error)
    return render(request, template, {"viewer": viewer, "ticket": ticket, **context}, now=now)


def _target(session: Session, viewer: Viewer, ticket: Ticket, into: int | None) -> Ticket:
    """The ticket to merge into: open, of the same company and one the viewer sees."""
    target = visible_ticket(session, viewer, into) if into is not None else None
    if target is None or target.id == ticket.id or target.employer_id != ticket.employer_id:
        raise TicketError("into", "merge into another ticket of the same company")
    if not target.is_active or not ticket.is_active:
        raise TicketError("status", "only open tickets can be merged")
    return target


@router.get("/tickets/{ticket_id}/merge")
def merge_confirm(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    into: int | None = None,
) -> Response:
    """Say what a merge will do before it is done."""
    return _ask(request, session, viewer, now, ticket_id, "tickets/merge.html", lambda ticket: {
        "target": _target(session, viewer, ticket, into), "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS})


@router.post("/tickets/{ticket_id}/merge")
def merge(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    into: Annotated[int, Form()],
) -> Response:
    ticket = load_ticket(session, viewer, ticket_id)
    try:
        target = _target(session, viewer, ticket, into)
        actions.merge(session, ticket_id=ticket_id, into_id=target.id or 0, acting_staff=viewer.staff_id,
                      now=now)
    except TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error)
    return _done(request, target.id or 0, "merged")


def _event(session: Session, ticket: Ticket, event_id: int | None) -> TicketEvent:
    event = session.get(TicketEvent, event_id) if event_id is not None else None
    if event is None or event.ticket_id != ticket.id or event.kind not in ticket_view.SPLITTABLE:
        raise TicketError("event_id", "choose a message from the company on this ticket")
    if not ticket.is_active:
        raise TicketError("status", "the ticket is closed")
    return event


@router.get("/tickets/{ticket_id}/split")
def split_confirm(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    event_id: int | None = None,
) -> Response:
    """Show the message and ask what kind of matter it is before opening a ticket for it."""
    return _ask(request, session, viewer, now, ticket_id, "tickets/split.html", lambda ticket: {
        "event": _event(session, ticket, event_id), "kind_choices": KIND_LABELS})


@router.post("/tickets/{ticket_id}/split")
def split(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    event_id: Annotated[int, Form()], kind: Annotated[str, Form()] = "",
) -> Response:
    ticket = load_ticket(session, viewer, ticket_id)
    try:
        _event(session, ticket, event_id)
        if kind not in KIND_LABELS:
            raise TicketError("kind", "choose problem, recruitment or question")
        actions.split(session, ticket_id=ticket_id, event_id=event_id, kind=kind,
                      acting_staff=viewer.staff_id, now=now, settings=request.app.state.settings)
    except TicketError as error:
        return refused(request, session, viewer, ticket_id, now, error)
    return _done(request, ticket_id, "split")

