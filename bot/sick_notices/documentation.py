"""Long sickness: after several sick days in a row the consultant asks for documentation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.contacts.models import Citizen
from bot.items import service as items
from bot.sick_notices.models import SickNotice


def sick_days_in_a_row(session: Session, *, citizen_id: int, today: date, tz: str,
                       notices: Iterable[SickNotice] | None = None) -> tuple[int, date | None]:
    """How many calendar days up to ``today`` the citizen has been sick without a break.

    ``notices``: all the citizen's notices, when the caller holds them already."""
    days: set[date] = set()
    if notices is None:
        notices = session.exec(select(SickNotice).where(SickNotice.citizen_id == citizen_id)).all()
    for notice in notices:
        last = notice.ends_on or today
        if notice.ended_at is not None:
            last = min(last, notice.ends_on or notice.ended_at.astimezone(ZoneInfo(tz)).date())
        day = notice.starts_on
        while day <= min(last, today):
            days.add(day)
            day += timedelta(days=1)
    count, day, first = 0, today, None
    while day in days:
        count, first = count + 1, day
        day -= timedelta(days=1)
    return count, first


def ask_for_documentation_if_due(
    session: Session, *, citizen: Citizen, now: datetime, tz: str, after_days: int,
    notices: Iterable[SickNotice] | None = None,
) -> bool:
    """After ``after_days`` sick days in a row the consultant gets an item to ask for documentation."""
    assert citizen.id is not None
    today = now.astimezone(ZoneInfo(tz)).date()
    count, first = sick_days_in_a_row(session, citizen_id=citizen.id, today=today, tz=tz, notices=notices)
    if first is None or count < after_days:
        return False
    items.open(
        session,
        kind="ask_documentation",
        summary=f"{citizen.name} has been reported sick {count} days in a row: ask for documentation",
        now=now,
        dedupe_key=f"ask_documentation:{citizen.id}:{first.isoformat()}",
        citizen_id=citizen.id,
        assignee_id=citizen.consultant_id,
        details={"since": first.isoformat(), "days": count},
        due_at=now + timedelta(days=1),
        summary_id="ask_documentation",
        summary_params={"days": count},
    )
    return True
