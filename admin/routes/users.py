"""Staff accounts (admin only): list, add, change role, deactivate, set a new password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin.deps import AdminDep, NowDep, client_address
from admin.i18n import T_, Translator, pick_language
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts import staff_accounts
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.contacts.staff_accounts import SelfLockout
from bot.deps import SessionDep

router = APIRouter()

ROLE_LABELS = {
    "consultant": T_("Consultant"),
    "caseworker": T_("Caseworker"),
    "benefits": T_("Benefits department"),
    "team_lead": T_("Team lead"),
    "admin": T_("Administrator"),
    "translator": T_("Translator (sees only the translations)"),
}
CHANGE_NOT_MADE = T_("The change could not be made.")
FIELD_ERRORS = {
    "email": T_("Give a valid email address that no one else has."),
    "name": T_("Give the person's name."),
    "password": T_("The password must be at least 8 characters."),
    "role": T_("Choose a role."),
    "phone": T_("Give a valid phone number that no one else has."),
}


def _page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    now: NowDep,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    people = staff_accounts.everyone(session)
    return render(
        request,
        "users.html",
        {
            "viewer": viewer,
            "people": people,
            "roles": [r.value for r in Role],
            "role_labels": ROLE_LABELS,
            "error": error,
            "form": form or {},
        },
        status_code=status_code,
        now=now,
    )


@router.get("/users")
def user_list(request: Request, session: SessionDep, viewer: AdminDep, now: NowDep) -> Response:
    return _page(request, session, viewer, now)


def _refused(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    now: NowDep,
    error: ContactInputError,
    form: dict[str, str],
) -> Response:
    session.rollback()
    tr = Translator(pick_language(request))
    message = tr(FIELD_ERRORS.get(error.field, CHANGE_NOT_MADE))
    return _page(request, session, viewer, now, error=message, form=form, status_code=422)


@router.post("/users")
def user_create(
    request: Request,
    session: SessionDep,
    viewer: AdminDep,
    now: NowDep,
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "consultant",
    password: Annotated[str, Form()] = "",
) -> Response:
    form = {"name": name, "email": email, "role": role}
    try:
        staff_accounts.add_staff(session, acting_staff=viewer.staff_id, name=name, email=email, role=role,
                                 password=password, now=now, address=client_address(request))
    except ContactInputError as error:
        return _refused(request, session, viewer, now, error, form)
    return redirect(request, "/admin/users")


@router.post("/users/{staff_id}")
def user_update(
    request: Request,
    staff_id: int,
    session: SessionDep,
    viewer: AdminDep,
    now: NowDep,
    role: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise HTTPException(status_code=404)
    changes: dict[str, object] = {}
    if role:
        changes["role"] = role
    if active in ("yes", "no"):
        changes["active"] = active == "yes"
    if password:
        changes["password"] = password
    try:
        staff_accounts.change_staff(session, acting_staff=viewer.staff_id, staff=staff, changes=changes,
                                    now=now, address=client_address(request))
    except SelfLockout:
        # Keep at least this administrator: nobody locks themselves out of the panel by accident.
        raise HTTPException(
            status_code=403, detail="You cannot remove your own administrator access."
        ) from None
    except ContactInputError as error:
        return _refused(request, session, viewer, now, error, {})
    return redirect(request, "/admin/users")
