"""One click resends a message that did not arrive: from its open item, or where it is shown.

Thin routes: find and check what the person may see, call ``channels.service.resend`` (which
writes the copy and tells the app's delivery peers, who note it on the item and audit it), and
go back to the page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import visibility
from admin.deps import NowDep, ViewerDep, client_address
from admin.templating import environment, redirect
from admin.visibility import Viewer
from bot.channels import service as delivery
from bot.channels.models import Direction, Message
from bot.deps import SessionDep
from bot.items.delivery import RESEND_ITEM_KINDS

router = APIRouter()

RESEND_KINDS = frozenset(kind.value for kind in RESEND_ITEM_KINDS)
RESENDABLE_STATUSES = frozenset(status.value for status in delivery.RESENDABLE)


def _resend(request: Request, session: Session, viewer: Viewer, message_id: int, now: datetime) -> None:
    try:
        delivery.resend(
            session, message_id, now, peers=request.app.state.delivery_peers, staff_id=viewer.staff_id,
            address=client_address(request),
        )
    except delivery.NotResendable:
        return  # resent already (a second click), or no longer failed: the page shows which


@router.post("/items/{item_id}/resend")
def resend_item(
    request: Request, item_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    """Resend the message an open "not delivered" or "may not have been sent" item is about."""
    item = visibility.item(session, viewer, item_id)
    if item is None or item.kind not in RESEND_KINDS or item.message_id is None:
        raise HTTPException(status_code=404)
    if item.resolved_at is None:
        _resend(request, session, viewer, item.message_id, now)
    return redirect(request, f"/admin/items/{item_id}")


@router.post("/messages/{message_id}/resend")
def resend_message(
    request: Request,
    message_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    next: Annotated[str, Form()] = "",
) -> Response:
    """Resend a failed message shown on a page (the hearing SMS), by whoever sees its conversation."""
    message = session.get(Message, message_id)
    if (
        message is None
        or message.direction != Direction.outbound
        or not visibility.phone_visible(session, viewer, message.phone)
    ):
        raise HTTPException(status_code=404)
    _resend(request, session, viewer, message_id, now)
    back = next if next.startswith("/admin/") else f"/admin/conversations/{message.phone}"
    return redirect(request, back)


# Templates ask which messages offer the button; the rule stays here, beside the routes.
environment.globals["resendable_statuses"] = RESENDABLE_STATUSES
environment.globals["resend_item_kinds"] = RESEND_KINDS
