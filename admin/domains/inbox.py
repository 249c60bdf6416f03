"""The inbox: what waits for staff, as helpdesks show it; thin routes over ``bot.inbox``.

The service actions write and audit; the request's session commits when the route returns.

Opening a line goes through ``/admin/inbox/.../open``, which marks it read for this staff member
and forwards to the conversation or ticket page, so the ticket pages need not know the inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep
from admin.i18n import T_
from admin.templating import redirect, render
from bot.contacts.models import Role
from bot.deps import SessionDep
from bot.escalations.service import TicketError
from bot.inbox import service
from bot.inbox.listing import badge, inbox
from bot.inbox.queries import FILTERS
from bot.inbox.search import search

router = APIRouter()

FILTER_LABELS = {
    "waiting": T_("Waiting"),
    "mine": T_("Mine"),
    "unassigned": T_("Unassigned"),
    "team": T_("Team"),
    "closed": T_("Closed"),
}
ITEM_LABELS = {
    "handover": T_("Wants a person"),
    "unknown_sender": T_("Unknown sender"),
    "flow_expired": T_("No answer"),
    "delivery_failed": T_("Not delivered"),
    "maybe_not_sent": T_("Maybe not sent"),
    "processing_failed": T_("Not processed"),
    "sick_notice": T_("Sick notice"),
    "cancellation": T_("Cancellation"),
    "unconfirmed": T_("Unconfirmed"),
    "_other": T_("Open item"),
}
INVALID_TEXT = {
    "empty": T_("Write something before saving."),
    "too_long": T_("The text is too long."),
}
TEAM_LABELS = {
    "consultant": T_("Job consultants"),
    "caseworker": T_("Caseworkers"),
    "benefits": T_("Benefits department"),
    "team_lead": T_("Team leads"),
    "admin": T_("Administrators"),
}


@router.get("/inbox")
def inbox_page(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, show: str = "waiting", q: str = ""
) -> Response:
    which = show if show in FILTERS else "waiting"
    lines = inbox(session, viewer, which=which)
    context = {
        "viewer": viewer,
        "lines": lines,
        "badges": {line.key: badge(line.started_at, line.due_at, now) for line in lines},
        "show": which,
        "filters": FILTER_LABELS,
        "item_labels": ITEM_LABELS,
        "q": q,
        "hits": search(session, viewer, q) if q.strip() else None,
    }
    return render(request, "inbox/inbox.html", context, now=now)


@router.get("/inbox/conversations/{phone}/open")
def open_conversation(
    request: Request, phone: str, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    service.mark_read(session, acting_staff=viewer, key=f"phone:{phone}", now=now)
    return redirect(request, f"/admin/conversations/{phone}")


@router.get("/inbox/tickets/{ticket_id}/open")
def open_ticket(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    service.mark_read(session, acting_staff=viewer, key=f"ticket:{ticket_id}", now=now)
    return redirect(request, f"/admin/tickets/{ticket_id}")


def _back(request: Request, fallback: str) -> str:
    """Back where the form was sent from (the inbox or the conversation), never off the panel."""
    target = request.headers.get("referer", "")
    path = target.split("://", 1)[-1].split("/", 1)[-1] if "://" in target else ""
    return "/" + path if path.startswith("admin/") else fallback


def _act(request: Request, then: str, action: Callable[[], object], *refusals: type[Exception]) -> Response:
    """Do a service action and go on to ``then``; what is gone or not the viewer's (and any of
    ``refusals``) is a 404, as a page that is not there."""
    caught: tuple[type[Exception], ...] = (service.NotFound, *refusals)
    try:
        action()
    except caught:
        raise HTTPException(status_code=404) from None
    return redirect(request, then)


@router.post("/inbox/conversations/{phone}/assign")
def assign_conversation(
    request: Request, phone: str, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    return _act(request, _back(request, f"/admin/conversations/{phone}"),
                lambda: service.assign_conversation(session, phone=phone, acting_staff=viewer, now=now))


@router.post("/inbox/conversations/{phone}/close")
def close_conversation(
    request: Request, phone: str, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    return _act(request, "/admin/inbox",
                lambda: service.close_conversation(session, phone=phone, acting_staff=viewer, now=now))


@router.post("/inbox/tickets/{ticket_id}/assign")
def assign_ticket(
    request: Request, ticket_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    settings = request.app.state.settings
    return _act(request, _back(request, "/admin/inbox"),
                lambda: service.assign_ticket(session, ticket_id=ticket_id, acting_staff=viewer, now=now,
                                              settings=settings),
                TicketError)


@router.post("/inbox/conversations/{phone}/notes")
def add_note(
    request: Request,
    phone: str,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    try:
        service.add_note(session, phone=phone, body=body, acting_staff=viewer, now=now)
    except service.NotFound:
        raise HTTPException(status_code=404) from None
    except service.Invalid:
        session.rollback()
        return redirect(request, f"/admin/conversations/{phone}?note_error=1#notes")
    return redirect(request, f"/admin/conversations/{phone}#notes")


@router.get("/inbox/replies")
def replies_page(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, team: str = "", error: str = ""
) -> Response:
    chosen = team if team in TEAM_LABELS and viewer.is_lead else service.team_of(viewer)
    context = {
        "viewer": viewer,
        "team": chosen,
        "teams": TEAM_LABELS,
        "replies": service.saved_replies(session, chosen),
        "error": INVALID_TEXT.get(error),
    }
    return render(request, "inbox/replies.html", context, now=now)


@router.post("/inbox/replies")
def save_reply(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    team: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
) -> Response:
    if team not in TEAM_LABELS:
        raise HTTPException(status_code=404)
    try:
        service.save_reply(session, team=Role(team).value, name=name, body=body, acting_staff=viewer, now=now)
    except service.NotFound:
        raise HTTPException(status_code=404) from None
    except service.Invalid as invalid:
        session.rollback()
        return redirect(request, f"/admin/inbox/replies?team={team}&error={invalid}")
    return redirect(request, f"/admin/inbox/replies?team={team}")


@router.post("/inbox/replies/{reply_id}/delete")
def delete_reply(
    request: Request, reply_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    return _act(request, "/admin/inbox/replies",
                lambda: service.delete_reply(session, reply_id=reply_id, acting_staff=viewer, now=now))
