"""Personal data requests (admin only): a citizen's data as JSON, and erasure.

Both go through bot.privacy.service, which writes the audit entry and respects legal holds
(an open hearing case keeps everything until it is closed).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from admin.deps import AdminDep, NowDep, client_address
from admin.i18n import T_
from admin.templating import render
from admin.visibility import Viewer
from bot.deps import SessionDep
from bot.privacy import service as privacy

router = APIRouter()

NO_SUCH_CITIZEN = T_("No citizen has that number.")
CONFIRM_FIRST = T_("Tick the box to confirm the erasure.")


def _page(
    request: Request,
    viewer: Viewer,
    now: NowDep,
    *,
    error: str | None = None,
    result: privacy.ErasureResult | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "privacy.html",
        {"viewer": viewer, "error": error, "result": result},
        status_code=status_code,
        now=now,
    )


@router.get("/privacy")
def privacy_page(request: Request, viewer: AdminDep, now: NowDep) -> Response:
    return _page(request, viewer, now)


@router.post("/privacy/export")
def export(
    request: Request,
    session: SessionDep,
    viewer: AdminDep,
    now: NowDep,
    citizen_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
) -> Response:
    try:
        data = privacy.export_citizen(
            session, citizen_id=citizen_id, staff_id=viewer.staff_id, now=now,
            address=client_address(request),
        )
    except LookupError:
        return _page(request, viewer, now, error=NO_SUCH_CITIZEN, status_code=404)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="citizen-{citizen_id}.json"'},
    )


@router.post("/privacy/erase")
def erase(
    request: Request,
    session: SessionDep,
    viewer: AdminDep,
    now: NowDep,
    citizen_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    confirm: Annotated[str, Form()] = "",
) -> Response:
    if confirm != "yes":
        return _page(request, viewer, now, error=CONFIRM_FIRST, status_code=422)
    try:
        result = privacy.erase_citizen(
            session, citizen_id=citizen_id, staff_id=viewer.staff_id, now=now,
            address=client_address(request),
        )
    except LookupError:
        return _page(request, viewer, now, error=NO_SUCH_CITIZEN, status_code=404)
    return _page(request, viewer, now, result=result)
