"""Staff accounts (admin only): list, add, change role, deactivate, set a new password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import col, select
from starlette.responses import Response

from admin.deps import AdminDep, NowDep, client_address
from admin.i18n import T_, Translator, pick_language
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.audit import service as audit
from bot.contacts import service as contacts
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
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
    people = session.exec(select(Staff).order_by(col(Staff.active).desc(), col(Staff.name))).all()
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
        staff = contacts.create_staff(
            session=session, name=name, email=email, role=role, password=password, now=now
        )
    except ContactInputError as error:
        return _refused(request, session, viewer, now, error, form)
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="create",
        subject=f"staff:{staff.id}",
        details={"role": staff.role.value},
        address=client_address(request),
        now=now,
    )
    session.commit()
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
    if staff_id == viewer.staff_id and (
        changes.get("active") is False or changes.get("role", "admin") != "admin"
    ):
        # Keep at least this administrator: nobody locks themselves out of the panel by accident.
        raise HTTPException(status_code=403, detail="You cannot remove your own administrator access.")
    try:
        contacts.update_staff(session=session, staff=staff, changes=changes)
    except ContactInputError as error:
        return _refused(request, session, viewer, now, error, {})
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="update",
        subject=f"staff:{staff_id}",
        details={key: value for key, value in changes.items() if key != "password"}
        | ({"password": "changed"} if "password" in changes else {}),
        address=client_address(request),
        now=now,
    )
    session.commit()
    return redirect(request, "/admin/users")
