"""The home page: every open item the person may handle, the most urgent first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import sections as panel
from admin import visibility
from admin.csvexport import csv_response
from admin.deps import NowDep, StaffDep, ViewerDep, client_address
from admin.domains.items import KIND_LABELS, item_href, kind_of, open_items, summary_of
from admin.i18n import Translator, pick_language
from admin.sections import Entry
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts.models import Staff
from bot.deps import SessionDep
from bot.items import handling
from bot.items import service as items

router = APIRouter()


HOME_SHOW = 10  # entries per section on the home page; the rest are a click away


def sections(
    offered: panel.Sections, session: Session, viewer: Viewer, now: datetime, tr: Translator
) -> list[tuple[str, str, list[Entry], int]]:
    found = []
    for section in offered.home_for(viewer):
        entries, total = section.fetch(session, viewer, now, tr, HOME_SHOW)
        found.append((section.key, tr(section.title), entries, total))
    return found


def just_done(session: Session, viewer: Viewer, now: datetime, tr: Translator) -> list[tuple[int, str]]:
    """What this person marked done in the last minute, each with the words it was shown with."""
    return [
        (item.id, summary_of(item, tr))
        for item in items.recently_done(session, staff_id=viewer.staff_id, now=now)
        if item.id is not None
    ]


def _items_context(
    offered: panel.Sections, session: Session, viewer: Viewer, now: datetime, tr: Translator
) -> dict[str, object]:
    return {"viewer": viewer, "sections": sections(offered, session, viewer, now, tr),
            "just_done": just_done(session, viewer, now, tr)}


@router.get("/")
def home(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    tr = Translator(pick_language(request))
    return render(request, "home.html", _items_context(panel.of(request), session, viewer, now, tr), now=now)


@router.get("/items/list")
def items_fragment(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    """The open items alone; the home page polls this and swaps it in place."""
    tr = Translator(pick_language(request))
    context = _items_context(panel.of(request), session, viewer, now, tr)
    return render(request, "_items.html", context, now=now)


@router.get("/items/section/{key}")
def section_page(request: Request, key: str, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    """Every entry of one home-page section (the home page shows the most urgent few)."""
    tr = Translator(pick_language(request))
    chosen = next((s for s in panel.of(request).home_for(viewer) if s.key == key), None)
    if chosen is None:
        raise HTTPException(status_code=404)
    entries, total = chosen.fetch(session, viewer, now, tr, None)
    return render(
        request,
        "section.html",
        {"viewer": viewer, "sections": [(chosen.key, tr(chosen.title), entries, total)], "full": True},
        now=now,
    )


@router.get("/items/{item_id}")
def item_page(
    request: Request, item_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    """One open item: what it is about, where it is handled, and (team lead) who handles it."""
    item = visibility.item(session, viewer, item_id)
    if item is None:
        raise HTTPException(status_code=404)
    colleagues = handling.colleagues(session) if viewer.is_lead else []
    assignee = session.get(Staff, item.assignee_id) if item.assignee_id else None
    return render(
        request,
        "item.html",
        {
            "viewer": viewer,
            "item": item,
            "label": KIND_LABELS.get(kind_of(item), item.kind),
            "href": item_href(item),
            "assignee": assignee,
            "colleagues": colleagues,
        },
        now=now,
    )


@router.post("/items/{item_id}/assign")
def assign_item(
    request: Request,
    item_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    assignee_id: Annotated[int, Form()],
) -> Response:
    """A team lead gives an item to a colleague, who then sees it (and its conversation)."""
    if not viewer.is_lead:
        raise HTTPException(status_code=404)
    item = visibility.item(session, viewer, item_id)
    if item is None:
        raise HTTPException(status_code=404)
    try:
        handling.assign(session, item=item, assignee_id=assignee_id, acting_staff=viewer.staff_id, now=now,
                        address=client_address(request))
    except handling.NoSuchColleague:
        raise HTTPException(status_code=404) from None
    return redirect(request, f"/admin/items/{item_id}")


@router.post("/items/{item_id}/resolve")
def resolve_item(
    request: Request, item_id: int, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep
) -> Response:
    """Done: the item leaves the list, and the home page offers to undo it for a minute."""
    if visibility.item(session, viewer, item_id) is None:
        raise HTTPException(status_code=404)
    items.mark_done(session=session, item_id=item_id, acting_staff=staff, now=now,
                    address=client_address(request))
    if request.headers.get("hx-request"):
        return items_fragment(request, session, viewer, now)
    return redirect(request, "/admin/")


@router.post("/items/{item_id}/undo")
def undo_item(
    request: Request, item_id: int, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep
) -> Response:
    """Take back a "done" within the minute; later, or someone else's, is refused (409)."""
    if visibility.item(session, viewer, item_id) is None:
        raise HTTPException(status_code=404)
    try:
        items.undo_done(session=session, item_id=item_id, acting_staff=staff, now=now,
                        address=client_address(request))
    except items.UndoError as error:
        raise HTTPException(status_code=409) from error
    if request.headers.get("hx-request"):
        return items_fragment(request, session, viewer, now)
    return redirect(request, "/admin/")


@router.get("/items.csv")
def items_csv(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    tr = Translator(pick_language(request))
    rows = [
        [
            item.id,
            tr(KIND_LABELS.get(kind_of(item), item.kind)),
            name or "",
            item.phone or "",
            item.summary,
            item.due_at.isoformat() if item.due_at else "",
            item.created_at.isoformat() if item.created_at else "",
            item_href(item) or "",
        ]
        for item, name in open_items(session, viewer, kinds=None)
    ]
    handling.exported(session, acting_staff=viewer.staff_id, rows=len(rows), now=now,
                      address=client_address(request))
    header = ["id", "kind", "about", "phone", "summary", "due_at", "created_at", "link"]
    return csv_response(header, rows, "open-items.csv")
