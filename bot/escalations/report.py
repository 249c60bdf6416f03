"""How well employers were answered: share answered within the deadline, and median time to answer.

Per consultant (the ticket's assignee) and per month of opening in local time. A ticket counts
once its outcome is known: answered (in time or late) or unanswered past its deadline; one still
open before its deadline is reported as pending and left out of the share.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.contacts.models import Staff
from bot.escalations.models import Ticket

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(ValueError):
    pass


def parse_month(value: str) -> tuple[int, int]:
    match = _MONTH.match(value.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise MonthError(f"'{value}' is not a month; write it as YYYY-MM, e.g. 2026-11")
    return int(match.group(1)), int(match.group(2))


def month_bounds(year: int, month: int, timezone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a local calendar month."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(date(year, month, 1), datetime.min.time(), tzinfo=zone)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    end = datetime.combine(following, datetime.min.time(), tzinfo=zone)
    return start, end


@dataclass(frozen=True)
class Row:
    assignee_id: int | None
    name: str
    tickets: int
    answered_in_time: int
    answered_late: int
    unanswered_overdue: int
    pending: int
    median_first_response_seconds: float | None

    @property
    def decided(self) -> int:
        return self.answered_in_time + self.answered_late + self.unanswered_overdue

    @property
    def share_in_time(self) -> float | None:
        return self.answered_in_time / self.decided if self.decided else None


@dataclass(frozen=True)
class Report:
    month: str
    rows: list[Row]
    total: Row


def _row(assignee_id: int | None, name: str, tickets: Iterable[Ticket], now: datetime) -> Row:
    in_time = late = overdue = pending = 0
    waits: list[float] = []
    count = 0
    for ticket in tickets:
        count += 1
        due = ticket.response_due_at
        answered = ticket.first_response_at
        if answered is not None:
            if ticket.created_at is not None:
                waits.append((answered - ticket.created_at).total_seconds())
            if due is None or answered <= due:
                in_time += 1
            else:
                late += 1
        elif due is not None and now >= due:
            overdue += 1
        else:
            pending += 1
    median = statistics.median(waits) if waits else None
    return Row(assignee_id, name, count, in_time, late, overdue, pending, median)


def monthly(
    session: Session, *, month: str, timezone: str, now: datetime, assignee_id: int | None = None
) -> Report:
    """The month's report; with ``assignee_id`` only that consultant's row (and total)."""
    year, number = parse_month(month)
    start, end = month_bounds(year, number, timezone)
    query = select(Ticket).where(col(Ticket.created_at) >= start, col(Ticket.created_at) < end)
    if assignee_id is not None:
        query = query.where(Ticket.assignee_id == assignee_id)
    tickets = list(session.exec(query.order_by(col(Ticket.id))).all())
    by_assignee: dict[int | None, list[Ticket]] = {}
    for ticket in tickets:
        by_assignee.setdefault(ticket.assignee_id, []).append(ticket)
    names = {
        staff.id: staff.name
        for staff in session.exec(select(Staff).where(col(Staff.id).in_([k for k in by_assignee if k]))).all()
    }
    rows = [
        _row(key, names.get(key, "") if key else "", group, now)
        for key, group in sorted(by_assignee.items(), key=lambda kv: names.get(kv[0], "") if kv[0] else "~")
    ]
    return Report(f"{year:04d}-{number:02d}", rows, _row(None, "", tickets, now))
