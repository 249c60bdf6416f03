"""Bearer-token authentication for staff using the JSON API.

A token is shown once when it is made (``bot tokens create``); only its SHA-256 is stored,
so a copy of the database does not hand out working tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, col, select

from bot.contacts.models import ApiToken, Role, Staff
from bot.deps import SessionDep

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="StaffToken",
    description="A staff API token made with `bot tokens create --email <staff email>`.",
)

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, staff_id: int, now: datetime) -> str:
    """Make a new API token for a staff member; the plain token is returned once, never stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(staff_id=staff_id, token_sha256=hash_token(token), created_at=now))
    session.flush()
    return token


def revoke_token(session: Session, *, token: str, now: datetime) -> bool:
    row = session.exec(select(ApiToken).where(ApiToken.token_sha256 == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    session.add(row)
    return True


def staff_for_token(session: Session, token: str) -> Staff | None:
    """The active staff member who owns an unrevoked ``token``, or None."""
    statement = (
        select(Staff)
        .join(ApiToken, col(ApiToken.staff_id) == col(Staff.id))
        .where(ApiToken.token_sha256 == hash_token(token))
        .where(col(ApiToken.revoked_at).is_(None))
        .where(col(Staff.active).is_(True))
    )
    return session.exec(statement).first()


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
