"""Open items on the home page, grouped by what staff must do about them."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col

from admin import visibility
from admin.i18n import T_, Translator
from admin.sections import Entry, HomeFetch, HomeSection
from admin.templating import environment
from admin.visibility import Viewer
from bot.items import queries
from bot.items.models import ItemKind, OpenItem
from bot.items.queries import ItemRow

# A citizen who wrote that a family member is sick gets a handover item (a consultant calls), but
# never asked for a person: the panel shows such items under a kind of their own.
FAMILY_SICK = "other_sick"


def _family_sick() -> ColumnElement[bool]:
    return func.coalesce(col(OpenItem.details)["reason"].as_string(), "") == FAMILY_SICK


def kind_of(item: ItemRow | OpenItem) -> str:
    """The item's kind as the panel groups and labels it."""
    details = item.details if isinstance(item.details, dict) else {}
    if item.kind == ItemKind.handover.value and details.get("reason") == FAMILY_SICK:
        return FAMILY_SICK
    return str(item.kind)


# (section key, title, order, kinds). Kinds not named here land in "other".
GROUPS: tuple[tuple[str, str, int, frozenset[str]], ...] = (
    ("handover", T_("Asked to talk to a person"), 20, frozenset({ItemKind.handover.value})),
    ("family_sick", T_("A family member is sick"), 32, frozenset({FAMILY_SICK})),
    (
        "sick",
        T_("Sick notices"),
        30,
        frozenset({ItemKind.sick_notice.value, ItemKind.ask_documentation.value}),
    ),
    ("cancellations", T_("Cancellations"), 35, frozenset({ItemKind.cancellation.value})),
    ("unconfirmed", T_("Unconfirmed reminders"), 40, frozenset({ItemKind.unconfirmed.value})),
    (
        "call",
        T_("Not delivered: call this person"),
        50,
        frozenset({ItemKind.delivery_failed.value, ItemKind.maybe_not_sent.value}),
    ),
    ("unknown", T_("Unknown senders"), 60, frozenset({ItemKind.unknown_sender.value})),
    ("expired", T_("Flows that expired unanswered"), 70, frozenset({ItemKind.flow_expired.value})),
    (
        "attendance",
        T_("Appointments without an attendance outcome"),
        80,
        frozenset({ItemKind.attendance_missing.value, "attendance_check"}),
    ),
    (
        "hearing_remarks",
        T_("Hearing cases awaiting remarks"),
        84,
        frozenset({"hearing_awaiting_remarks"}),
    ),
    (
        "hearing_decision",
        T_("Hearing cases awaiting a decision"),
        85,
        frozenset({"hearing_awaiting_decision"}),
    ),
    ("failed", T_("Messages that could not be processed"), 90, frozenset({ItemKind.processing_failed.value})),
)
KNOWN_KINDS = frozenset().union(*(kinds for *_, kinds in GROUPS))
LIMIT = 200  # on a section's own page
HOME_PER_KIND = 10  # the most urgent of each kind, read for the home page

KIND_LABELS: dict[str, str] = {
    "unknown_sender": T_("Unknown sender"),
    "delivery_failed": T_("Not delivered"),
    "processing_failed": T_("Not processed"),
    "handover": T_("Wants a person"),
    FAMILY_SICK: T_("Family member sick"),
    "flow_expired": T_("No answer"),
    "maybe_not_sent": T_("Maybe not sent"),
    "cancellation": T_("Cancellation"),
    "sick_notice": T_("Sick notice"),
    "ask_documentation": T_("Documentation"),
    "attendance_missing": T_("Attendance missing"),
    "unconfirmed": T_("Unconfirmed"),
    "attendance_check": T_("Check attendance"),
    "hearing_awaiting_remarks": T_("Hearing"),
    "hearing_awaiting_decision": T_("Decision"),
    "follow_up": T_("Follow-up"),
}


# Items a domain words by id (``details["summary_id"]`` with the parameters beside it), so the
# reader sees them in their own language; other items show the summary they were opened with.
ITEM_SUMMARIES: dict[str, str] = {
    "sick_notice": T_("Sick notice {reference}"),
    "sick_notice_no_answer": T_("Sick notice {reference}: no answer to this morning's question"),
    "cancellation": T_("Cancellation {reference}"),
    "cancellation_unplaced": T_("Cancellation {reference}: the appointment is not yet known"),
    "attendance_missing": T_("No attendance recorded for the appointment on {day_on}"),
    "ask_documentation": T_("Reported sick {days} days in a row: ask for documentation"),
    "hearing_awaiting_remarks": T_("Hearing {reference}: the citizen may answer until the deadline"),
    "hearing_awaiting_decision": T_("Hearing {reference}: decision needed"),
    "hearing_remark": T_("Hearing {reference}: the citizen has answered by SMS"),
    "unconfirmed": T_("No answer to the reminder about the appointment on {day_on} at {time}"),
    "not_reachable_opted_out": T_("Has opted out of messages: appointments are not reminded"),
    "not_reachable_no_phone": T_("Has no mobile number: appointments are not reminded"),
    "shared_phone_who": T_("A message from a shared phone is waiting to be told who it is about"),
    "other_sick": T_("Wrote that a family member is sick: ask whether it affects attendance"),
    "handover_asked": T_("Asked to talk to a member of staff: call or write back"),
    "handover_unclear": T_("Was not understood: call or write back"),
    "flow_expired": T_("Did not answer a question"),
    "unknown_sender": T_("Message from an unknown number: find out who it is"),
    "processing_failed": T_("A message could not be handled automatically: read it"),
    "delivery_failed": T_("A message was not delivered: call this person"),
    "maybe_not_sent": T_("May not have been sent (the service stopped while sending): check or resend"),
    "attendance_check": T_("The employer reports an absence on {day_on}: check it"),
    "follow_up_due": T_("Follow-up visit or call due: {citizen} at {company}"),
}


def _param(key: str, value: object, language: str) -> object:
    """Local dates (keys ending in ``_on``) are written the reader's way."""
    if key.endswith("_on") and isinstance(value, str):
        try:
            pattern = "d. MMMM yyyy" if language == "da" else "d MMMM yyyy"
            return format_date(date.fromisoformat(value), pattern, locale=language)
        except ValueError:
            return value
    return value


def summary_of(item: ItemRow | OpenItem, tr: Translator) -> str:
    """The item's sentence in the reader's language, or the summary it was opened with."""
    details = item.details if isinstance(item.details, dict) else {}
    template = ITEM_SUMMARIES.get(str(details.get("summary_id")))
    if template is None:
        return item.summary
    params = details.get("summary_params")
    if not isinstance(params, dict):  # the first items kept their parameters beside the id
        params = {k: v for k, v in details.items() if isinstance(v, str | int)}
    try:
        return tr(template, **{k: _param(k, v, tr.language) for k, v in params.items()})
    except (KeyError, IndexError):
        return item.summary


environment.globals["item_summary"] = summary_of


def item_href(item: ItemRow | OpenItem) -> str | None:
    link = item.details.get("href") if isinstance(item.details, dict) else None
    if isinstance(link, str) and link.startswith("/admin/"):
        return link
    case_id = item.details.get("case_id") if isinstance(item.details, dict) else None
    if isinstance(case_id, int) and item.kind.startswith("hearing_"):
        return f"/admin/hearings/{case_id}"
    if item.citizen_id is not None:
        return f"/admin/citizens/{item.citizen_id}"
    if item.employer_id is not None:
        return f"/admin/companies/{item.employer_id}"
    if item.phone:
        return f"/admin/conversations/{item.phone}"
    return None


def open_items(
    session: Session,
    viewer: Viewer,
    *,
    kinds: frozenset[str] | None,
    exclude: frozenset[str] | None = None,
    citizen_id: int | None = None,
    employer_id: int | None = None,
    limit: int = LIMIT,
) -> list[tuple[ItemRow, str | None]]:
    """Open items visible to ``viewer`` with the name of whom they concern, most urgent first."""
    visible = visibility.item_filter(viewer)
    if kinds is not None and FAMILY_SICK in kinds:  # the family-sick handovers, alone
        visible = visible & _family_sick()
        kinds = frozenset({ItemKind.handover.value})
    elif kinds is not None and ItemKind.handover.value in kinds:  # the handovers without them
        visible = visible & ~_family_sick()
    return queries.open_items(
        session, visible=visible, kinds=kinds, exclude=exclude,
        citizen_id=citizen_id, employer_id=employer_id, limit=limit,
    )


def to_entry(item: ItemRow, name: str | None, now: datetime, tr: Translator) -> Entry:
    kind = kind_of(item)
    label = tr(KIND_LABELS.get(kind, kind))
    title = name or item.phone or ""
    text = summary_of(item, tr)
    return Entry(
        label=label,
        summary=f"{title}: {text}" if title and text else (title or text),
        href=item_href(item),
        due_at=item.due_at,
        created_at=item.created_at,
        item_id=item.id,
        urgent=item.due_at is not None and item.due_at <= now,
    )


def _kind_matches(kind: str, kinds: frozenset[str] | None, exclude: frozenset[str] | None) -> bool:
    return (kinds is None or kind in kinds) and not (exclude and kind in exclude)


def _home_view(session: Session, viewer: Viewer) -> tuple[list[tuple[ItemRow, str | None]], dict[str, int]]:
    """The most urgent few open items of every kind, and how many there are of each kind.

    Read once per request and shared by the sections: the database ranks and counts, so a
    municipality with thousands of open items still gets its home page at once.
    """
    key = ("admin_home_items", viewer.staff_id)
    cached = session.info.get(key)
    if cached is None:
        visible = visibility.item_filter(viewer)
        top, counts = queries.top_open_items(
            session, visible=visible & ~_family_sick(), per_kind=HOME_PER_KIND
        )
        # The family-sick handovers ranked and counted apart, so they neither crowd out nor
        # swell the section of those who asked for a person.
        family, family_counts = queries.top_open_items(
            session, visible=visible & _family_sick(), per_kind=HOME_PER_KIND
        )
        counts[FAMILY_SICK] = sum(family_counts.values())
        cached = (top + family, counts)
        session.info[key] = cached
    return cached


def _group_fetch(kinds: frozenset[str] | None, exclude: frozenset[str] | None = None) -> HomeFetch:
    def fetch(
        session: Session, viewer: Viewer, now: datetime, tr: Translator, limit: int | None
    ) -> tuple[list[Entry], int]:
        if limit is None or limit > HOME_PER_KIND:
            rows = open_items(session, viewer, kinds=kinds, exclude=exclude)
            return [to_entry(item, name, now, tr) for item, name in rows], len(rows)
        top, counts = _home_view(session, viewer)
        chosen = [(item, name) for item, name in top if _kind_matches(kind_of(item), kinds, exclude)][:limit]
        total = sum(n for kind, n in counts.items() if _kind_matches(kind, kinds, exclude))
        return [to_entry(item, name, now, tr) for item, name in chosen], total

    return fetch


def _anyone(viewer: Viewer) -> bool:
    return not viewer.is_admin


# What this module adds to the panel; the app collects it when it composes the domains.
SECTIONS = (
    *(HomeSection(key=key, title=title, order=order, visible=_anyone, fetch=_group_fetch(kinds))
      for key, title, order, kinds in GROUPS),
    HomeSection(
        key="other",
        title=T_("Other open items"),
        order=99,
        visible=_anyone,
        fetch=_group_fetch(None, exclude=KNOWN_KINDS),
    ),
)
