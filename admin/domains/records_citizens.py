"""Adding and changing a citizen in the panel, through the same service calls as the API.

``bot.contacts.service`` validates (name, phone in any usual spelling and free of other
contacts, language, consultant); a refusal is shown beside its field with what was typed kept.
A consultant adds to and changes only their own caseload; moving a citizen to another
consultant is for team leads and admins, as in ``bot/api/citizens.py``. Citizens have no
archive in the service: "no SMS" (``opted_out``) is the only way to stop writing to one.
The service writes no audit entry, so each route records one.

A number other citizens hold is refused, naming them, until staff tick "shares phone with …";
the box carries the number it was ticked for, so changing the number asks again.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts import recording, service
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, PhoneShared
from bot.deps import SessionDep

router = APIRouter()


def _held_by_citizens(
    session: Session, raw: str, *, region: str, citizen: Citizen | None
) -> PhoneShared | None:
    """Who else holds the typed number when only citizens do and it is not this citizen's own
    number yet: the household the "shares phone" box is about."""
    try:
        phone = service.normalise_phone(raw, region=region)
        if citizen is None or phone != citizen.phone:
            service.ensure_phone_free(session, phone, kind="citizen", own_id=citizen.id if citizen else None)
    except PhoneShared as shared:
        return shared
    except ContactInputError:
        pass
    return None


def _shares_phone(raw_phone: str, ticked_for: str, *, region: str) -> bool:
    """The box was ticked for the number now typed."""
    if not ticked_for:
        return False
    try:
        return service.normalise_phone(raw_phone, region=region) == ticked_for
    except ContactInputError:
        return False


def _form(request: Request, session: Session, viewer: Viewer, now: NowDep, *, citizen: Citizen | None,
          typed: dict[str, str], errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    lang = common.translator(request).language
    shared = None
    if errors and typed.get("phone", "").strip():
        shared = _held_by_citizens(session, typed["phone"], region=common.settings(request).default_region,
                                   citizen=citizen)
    sharing = None if shared is None else {"phone": shared.phone, "names": common.holder_names(shared, lang)}
    return render(request, "records/citizen_form.html", {
        "viewer": viewer,
        "citizen": citizen,
        "typed": typed,
        "errors": errors or {},
        "sharing": sharing,
        "languages": common.language_choices(lang),
        "consultants": common.consultant_choices(session) if common.changes_all(viewer) else [],
    }, status_code=status_code, now=now)


def _typed(citizen: Citizen) -> dict[str, str]:
    return {
        "name": citizen.name, "phone": citizen.phone or "", "language": citizen.language,
        "nickname": citizen.nickname or "", "consultant_id": str(citizen.consultant_id or ""),
        "opted_out": "1" if citizen.opted_out else "",
    }


@router.get("/citizens/new")
def new_citizen(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, phone: str = ""
) -> Response:
    common.require(common.changes_citizens(viewer))
    # From an unknown sender's item: the number that wrote is filled in.
    typed = {"language": "da", "consultant_id": str(viewer.staff_id), "phone": phone[:32]}
    return _form(request, session, viewer, now, citizen=None, typed=typed)


@router.post("/citizens/new")
def create_citizen(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "da", nickname: Annotated[str, Form()] = "",
    consultant_id: Annotated[str, Form()] = "", shares_phone: Annotated[str, Form()] = "",
) -> Response:
    common.require(common.changes_citizens(viewer))
    typed = {"name": name, "phone": phone, "language": language, "nickname": nickname,
             "consultant_id": consultant_id, "shares_phone": shares_phone}
    region = common.settings(request).default_region
    try:
        chosen = common.optional_id(consultant_id, "consultant_id")
        # A consultant adds to their own caseload, whatever the form says (as the API).
        owner = chosen if common.changes_all(viewer) else viewer.staff_id
        citizen = recording.create_citizen(
            session=session, acting_staff=viewer, name=name, phone=phone, language=language,
            nickname=nickname, consultant_id=owner, region=region, now=now,
            via="admin", address=client_address(request),
            shares_phone=_shares_phone(phone, shares_phone, region=region),
        )
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        return _form(request, session, viewer, now, citizen=None, typed=typed, errors=errors, status_code=422)
    page = f"/admin/citizens/{citizen.id}"
    return redirect(request, common.after_save(viewer.sees_citizens, page, f"{page}/edit"))


@router.get("/citizens/{citizen_id}/edit")
def edit_citizen(
    request: Request, citizen_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    citizen = common.changeable_citizen(session, viewer, citizen_id)
    return _form(request, session, viewer, now, citizen=citizen, typed=_typed(citizen))


@router.post("/citizens/{citizen_id}/edit")
def update_citizen(
    request: Request, citizen_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", phone: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "da", nickname: Annotated[str, Form()] = "",
    consultant_id: Annotated[str, Form()] = "", opted_out: Annotated[str, Form()] = "",
    shares_phone: Annotated[str, Form()] = "",
) -> Response:
    citizen = common.changeable_citizen(session, viewer, citizen_id)
    typed = {"name": name, "phone": phone, "language": language, "nickname": nickname,
             "consultant_id": consultant_id, "opted_out": opted_out, "shares_phone": shares_phone}
    region = common.settings(request).default_region
    changes: dict[str, object] = {"name": name, "phone": phone, "language": language,
                                  "nickname": nickname, "opted_out": bool(opted_out),
                                  "shares_phone": _shares_phone(phone, shares_phone, region=region)}
    try:
        if common.changes_all(viewer):
            changes["consultant_id"] = common.optional_id(consultant_id, "consultant_id")
        recording.update_citizen(session=session, acting_staff=viewer, citizen=citizen, changes=changes,
                                 region=region, now=now, via="admin", address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        citizen = common.changeable_citizen(session, viewer, citizen_id)
        return _form(request, session, viewer, now, citizen=citizen, typed=typed, errors=errors,
                     status_code=422)
    page = f"/admin/citizens/{citizen_id}"
    return redirect(request, common.after_save(viewer.sees_citizens, page, f"{page}/edit"))
