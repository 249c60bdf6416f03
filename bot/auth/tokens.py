"""Staff API tokens: made, looked up and revoked by their SHA-256.

A token is shown once when it is made (``bot tokens create``); only its hash is stored, so a
copy of the database does not hand out working tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from bot.contacts.models import ApiToken, Staff


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
