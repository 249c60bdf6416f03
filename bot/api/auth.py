"""Bearer-token authentication for staff using the JSON API.

A token is shown once when it is made (``bot tokens create``); only its SHA-256 is stored,
so a copy of the database does not hand out working tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bot.auth.tokens import hash_token, issue_token, revoke_token, staff_for_token
from bot.contacts.models import Role, Staff
from bot.deps import SessionDep

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff API token made with `bot tokens create --email <staff email>`.",
)

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def current_staff(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Staff:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Send an API token as 'Authorization: Bearer <token>'.",
            headers=_CHALLENGE,
        )
    staff = staff_for_token(session, credentials.credentials)
    if staff is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="The API token is unknown, revoked, or belongs to an inactive user.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


def require_roles(*roles: Role | str) -> Callable[[Staff], Staff]:
    """A dependency that lets only staff with one of ``roles`` through (403 otherwise).

    Use as ``staff: Annotated[Staff, Depends(require_roles(Role.admin))]`` or in a router's
    ``dependencies=[Depends(require_roles(...))]``.
    """
    allowed = frozenset(Role(role) for role in roles)

    def check_role(staff: CurrentStaff) -> Staff:
        if staff.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"This needs one of the roles: {names}; you are {staff.role.value}.",
            )
        return staff

    return check_role


__all__ = [
    "CurrentStaff",
    "bearer_scheme",
    "current_staff",
    "hash_token",
    "issue_token",
    "require_roles",
    "revoke_token",
    "staff_for_token",
]
