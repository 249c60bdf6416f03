"""What the ticket page shows beyond the ticket itself: the timeline in words, where a ticket
can be merged to, which messages can be split off, the visit form's times and the result of
the last action.

Kept apart from the routes so the page reads the same after a merge, a split or a visit as it
does when opened, and so every time shown or entered is local time, never UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlmodel import Session

from admin.i18n import T_
from bot.access import Viewer
from bot.escalations import queries
from bot.escalations.models import Ticket, TicketEvent, TicketEventKind
from bot.escalations.service import TicketError

EVENT_LABELS = {
    "opened": T_("Opened"),
    "employer_message": T_("Message from the company"),
    "acknowledged": T_("Receipt sent to the company"),
    "consultant_notified": T_("Consultant told"),
    "warned": T_("Deadline warning"),
    "escalated": T_("Escalated"),
    "reassigned": T_("Reassigned"),
    "staff_reply": T_("Answer sent"),
    "visited": T_("Visited"),
    "resolved": T_("Closed"),
    "absence_recorded": T_("Absence recorded"),
    "visit_planned": T_("Visit planned"),
    "merged": T_("Merged"),
    "split": T_("Split off"),
}
# What the page says after an action (``?done=...``); anything else says nothing.
DONE = frozenset({"merged", "split", "visited", "planned"})
SPLITTABLE = (TicketEventKind.employer_message, TicketEventKind.opened)
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def local_input(value: datetime, tz: str) -> str:
    """A time as a ``datetime-local`` field's value, in the municipality's time zone."""
    return value.astimezone(ZoneInfo(tz)).strftime(INPUT_FORMAT)


def parse_local(value: str, tz: str) -> datetime | None:
    """A ``datetime-local`` value read in the municipality's time zone, as aware UTC; blank is None."""
    if not value.strip():
        return None
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise TicketError("at", f"'{value}' is not a date and time") from exc
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=ZoneInfo(tz))
    return naive.astimezone(ZoneInfo("UTC"))


def _done(code: str, ticket: Ticket, events: list[TicketEvent]) -> tuple[str, dict[str, str]] | None:
    """The sentence confirming the last action, with the facts read back from the timeline."""
    if code not in DONE:
        return None
    latest = {e.kind.value: e for e in events}
    if code == "merged" and "merged" in latest and latest["merged"].details.get("from"):
        return T_("{reference} is merged into this ticket; the company's next messages come here."), {
            "reference": str(latest["merged"].details["from"])
        }
    if code == "split" and "split" in latest:
        return T_("A new ticket, {reference}, is opened with the message, with deadlines of its own."), {
            "reference": str(latest["split"].details.get("to", ""))
        }
    if code == "visited" and "visited" in latest:
        return T_("The visit is recorded."), {}
    if code == "planned" and "visit_planned" in latest:
        if ticket.contact_id is None:
            return T_("The visit is planned."), {}
        return T_("The visit is planned, and the company is told by SMS."), {}
    return None


def event_at(event: TicketEvent) -> datetime | None:
    """The time a visit took place or is planned for, as entered (not when it was clicked)."""
    raw = event.details.get("at") if isinstance(event.details, dict) else None
    if event.kind not in (TicketEventKind.visited, TicketEventKind.visit_planned) or not raw:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def context(
    session: Session, ticket: Ticket, events: list[TicketEvent], request: Request, now: datetime,
    viewer: Viewer,
) -> dict[str, Any]:
    """The page's values for the timeline, merge, split and visit forms (only tickets the
    ``viewer`` may open are linked or offered)."""
    tz = request.app.state.settings.timezone
    return {
        "event_labels": EVENT_LABELS,
        "event_at": event_at,
        "refs": queries.linked_references(session, events, viewer),
        "splittable": [e.id for e in events if e.kind in SPLITTABLE and e.body] if ticket.is_active else [],
        "merge_targets": queries.merge_targets(session, ticket, viewer),
        "visit_default": local_input(now, tz),
        "plan_min": local_input(now, tz),
        "done": _done(request.query_params.get("done", ""), ticket, events),
    }
