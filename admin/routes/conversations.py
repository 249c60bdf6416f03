"""Conversations: any phone's messages, both ways, with a reply box that sends by SMS."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin import visibility
from admin.deps import NowDep, ViewerDep, client_address
from admin.i18n import T_, Translator, pick_language
from admin.replies import ReplyRejected, send_staff_message
from admin.templating import redirect, render
from admin.timeline import timeline
from admin.visibility import Viewer
from bot.contacts.lookup import find_by_phone
from bot.conversations import reading
from bot.conversations.models import Conversation
from bot.deps import SessionDep
from bot.inbox.page import conversation_tools
from bot.phones import try_normalise

router = APIRouter()

REJECTION_TEXT = {
    "empty": T_("Write a message before sending."),
    "too_long": T_("The message is too long: at most three text messages."),
    "opted_out": T_("This person has opted out and is not reachable by SMS."),
}


@router.get("/conversations")
def conversation_list(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, phone: str = ""
) -> Response:
    if phone.strip():
        normalised = try_normalise(phone, request.app.state.settings.default_region)
        if normalised is not None and visibility.phone_visible(session, viewer, normalised):
            return redirect(request, f"/admin/conversations/{normalised}")
        tr = Translator(pick_language(request))
        return render(
            request,
            "conversations.html",
            {"viewer": viewer, "recent": [], "phone": phone, "error": tr("No conversation you may open.")},
            status_code=404,
            now=now,
        )
    recent: list[Conversation] = []
    if viewer.is_lead:
        recent = reading.recent(session)
    return render(request, "conversations.html", {"viewer": viewer, "recent": recent, "phone": ""}, now=now)


def _page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    phone: str,
    now: NowDep,
    *,
    error: str | None = None,
    draft: str = "",
    status_code: int = 200,
) -> Response:
    contact = find_by_phone(session, phone)
    return render(
        request,
        "conversation.html",
        {
            "viewer": viewer,
            "phone": phone,
            "contact": contact,
            "messages": timeline(session, phone),
            "error": error,
            "draft": draft,
            "inbox": conversation_tools(
                session, viewer, phone, note_error=request.query_params.get("note_error") == "1"
            ),
        },
        status_code=status_code,
        now=now,
    )


@router.get("/conversations/{phone}")
def conversation_page(
    request: Request, phone: str, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    if not visibility.phone_visible(session, viewer, phone):
        raise HTTPException(status_code=404)
    reading.open_conversation(session, viewer=viewer, phone=phone, now=now, address=client_address(request))
    return _page(request, session, viewer, phone, now)


@router.get("/conversations/{phone}/timeline")
def conversation_timeline(
    request: Request, phone: str, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    """The messages alone; the conversation page polls this so replies show up without a reload.

    The page view itself is in the audit log; its polls are not, or they would drown it.
    """
    if not visibility.phone_visible(session, viewer, phone):
        raise HTTPException(status_code=404)
    return render(request, "_timeline.html", {"messages": timeline(session, phone)}, now=now)


@router.post("/conversations/{phone}/reply")
def conversation_reply(
    request: Request,
    phone: str,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    if not visibility.phone_visible(session, viewer, phone):
        raise HTTPException(status_code=404)
    try:
        send_staff_message(session, phone=phone, text=text, staff_id=viewer.staff_id, now=now,
                           address=client_address(request))
    except ReplyRejected as rejected:
        tr = Translator(pick_language(request))
        return _page(
            request,
            session,
            viewer,
            phone,
            now,
            error=tr(REJECTION_TEXT[str(rejected)]),
            draft=text,
            status_code=422,
        )
    return redirect(request, f"/admin/conversations/{phone}")
