"""The audit log for team leads and administrators: who did what to whom, when, filtered by
person, kind of action, subject and period, in words staff read (never the stored codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep
from admin.domains.items import KIND_LABELS as ITEM_KIND_LABELS
from admin.i18n import T_, Translator, pick_language
from admin.templating import render
from admin.visibility import Viewer
from bot.audit import service as audit
from bot.audit.models import AuditEntry
from bot.deps import SessionDep

router = APIRouter()
PAGE_SIZE = 50

ACTION_LABELS = {
    "view": T_("Looked at"),
    "view_letter": T_("Looked at a letter"),
    "create": T_("Created"),
    "update": T_("Changed"),
    "delete": T_("Deleted"),
    "assign": T_("Gave to a colleague"),
    "reassign": T_("Moved to a colleague"),
    "reply": T_("Answered"),
    "add_remark": T_("Added a remark"),
    "export": T_("Downloaded"),
    "import": T_("Imported"),
    "send": T_("Sent a message"),
    "resend": T_("Sent a message again"),
    "note": T_("Wrote an internal note"),
    "resolve": T_("Marked as done"),
    "reopen": T_("Took back 'done'"),
    "close": T_("Closed"),
    "mark_attendance": T_("Recorded attendance"),
    "follow_up_recorded": T_("Recorded a follow-up"),
    "faq_saved": T_("Saved an answer to a frequent question"),
    "assess": T_("Assessed"),
    "decide": T_("Decided"),
    "merged": T_("Merged into another ticket"),
    "split": T_("Split into a new ticket"),
    "visited": T_("Recorded a visit"),
    "visit_planned": T_("Planned a visit"),
    "preference_changed": T_("Changed a setting"),
    "translation.approve": T_("Approved a translation"),
    "privacy.retention": T_("Deleted data past its retention time"),
    "privacy.export": T_("Exported a person's data"),
    "privacy.erase": T_("Erased a person's data"),
    "login": T_("Signed in"),
    "login_failed": T_("Failed to sign in"),
    "logout": T_("Signed out"),
}
OTHER_ACTION = T_("Other action")
SUBJECT_LABELS = {
    "citizen": T_("Citizen"),
    "absences": T_("Absences of citizen"),
    "attendance": T_("Attendance"),
    "employer": T_("Company"),
    "placement": T_("Placement"),
    "ticket": T_("Ticket"),
    "faq": T_("Frequent question"),
    "guidance": T_("Guidance text"),
    "hearing": T_("Hearing case"),
    "media": T_("Document"),
    "message": T_("Message"),
    "messages": T_("Messages"),
    "open_item": T_("Open item"),
    "phone": T_("Conversation"),
    "saved_reply": T_("Saved reply"),
    "staff": T_("Staff member"),
    "translation": T_("Translation"),
    "preference": T_("Setting"),
}
OTHER_SUBJECT = T_("Other")
SETTING_LABELS = {
    "reminders.quiet_hours": T_("Quiet hours"),
    "reminders.meeting_hours": T_("Reminders before a meeting"),
    "escalations.sla_hours": T_("Hours to answer per ticket kind"),
    "calendar.closing_days": T_("Closing days"),
    "attendance.counts_against": T_("What counts against the attendance rate"),
}
# Subjects that name a list rather than one record: their own words and page.
LISTS = {
    "absences:without_notice": (T_("Absences without notice, all citizens"), "/admin/absences"),
}
LINKS = {
    "citizen": "/admin/citizens/{}",
    "absences": "/admin/citizens/{}",
    "employer": "/admin/companies/{}",
    "open_item": "/admin/items/{}",
    "phone": "/admin/conversations/{}",
    "hearing": "/admin/hearings/{}",
    "ticket": "/admin/tickets/{}",
}


@dataclass(frozen=True)
class Line:
    at: datetime | None
    who: str
    action: str
    subject: str
    href: str | None
    detail: str
    address: str


def _subject(subject: str, names: dict[str, str], tr: Translator) -> tuple[str, str | None]:
    """``Citizen: Amal Hassan`` with a link to her page; the number where there is no name."""
    kind, _, rest = subject.partition(":")
    if subject in LISTS:
        label, href = LISTS[subject]
        return tr(label), href
    if kind == "preference":
        return f"{tr(SUBJECT_LABELS[kind])}: {tr(SETTING_LABELS.get(rest, OTHER_SUBJECT))}", None
    label = tr(SUBJECT_LABELS.get(kind, OTHER_SUBJECT))
    link = LINKS.get(kind)
    shown = f"{label}: {names[subject]}" if subject in names else (f"{label} {rest}" if rest else label)
    return shown, (link.format(rest) if link and rest else None)


def _detail(entry: AuditEntry, tr: Translator) -> str:
    details = entry.details if isinstance(entry.details, dict) else {}
    if entry.action in ("resolve", "reopen") and isinstance(details.get("kind"), str):
        return tr(ITEM_KIND_LABELS.get(details["kind"], OTHER_SUBJECT))
    if entry.subject in LISTS and isinstance(details.get("from"), str) and isinstance(details.get("to"), str):
        first, last = (date.fromisoformat(details[k]).strftime("%d.%m.%Y") for k in ("from", "to"))
        return tr("Period {first}–{last}", first=first, last=last)
    if entry.action == "preference_changed":
        joined = "–" if entry.subject.endswith("quiet_hours") else ", "  # a period: from–until
        return tr("Now: {value}", value=_value(details.get("to"), tr, joined))
    return ""


def _value(value: object, tr: Translator, joined: str = ", ") -> str:
    if value is None:
        return tr("the default")
    if isinstance(value, list):
        return joined.join(str(v) for v in value) or tr("none")
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or tr("none")
    return str(value)


def _day(text: str, zone: ZoneInfo) -> datetime | None:
    try:
        day = date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None
    return datetime.combine(day, time(0), tzinfo=zone) if day else None




def _reader(viewer: Viewer) -> Viewer:
    if not viewer.oversees_team:
        raise HTTPException(status_code=404)
    return viewer


@router.get("/audit")
def audit_log(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
    who: str = "", action: str = "", kind: str = "", subject: str = "",
    since: str = "", until: str = "", page: int = 1,
) -> Response:
    _reader(viewer)
    tr = Translator(pick_language(request))
    zone = ZoneInfo(request.app.state.settings.timezone)
    page = max(page, 1)
    start, end = _day(since, zone), _day(until, zone)
    subject_text = subject.strip()
    # A number with a kind names one subject; a whole "citizen:12" is taken as it is.
    exact = f"{kind}:{subject_text}" if kind and subject_text else None
    exact = exact or (subject_text if ":" in subject_text else None)
    found, total = audit.entries(
        session,
        staff_id=int(who) if who.isdigit() else None,
        action=action or None,
        subject_kind=kind if kind and not exact else None,
        subject=exact,
        since=start,
        until=end + timedelta(days=1) if end else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    names = audit.staff_names(session, {e.staff_id for e in found if e.staff_id is not None})
    called = audit.subject_names(session, {e.subject for e in found}, citizens=viewer.sees_citizens)
    lines = []
    for entry in found:
        text, href = _subject(entry.subject, called, tr)
        lines.append(Line(entry.at, names.get(entry.staff_id, "") if entry.staff_id else tr("The system"),
                          tr(ACTION_LABELS.get(entry.action, OTHER_ACTION)), text, href, _detail(entry, tr),
                          entry.address or ""))
    filters = {"who": who, "action": action, "kind": kind, "subject": subject, "since": since, "until": until}
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "audit.html",
        {
            "viewer": viewer,
            "lines": lines,
            "filters": filters,
            "query": query,
            "people": sorted(audit.staff_names(session).items(), key=lambda p: p[1]),
            "actions": sorted(((a, tr(ACTION_LABELS.get(a, OTHER_ACTION))) for a in audit.actions(session)),
                              key=lambda p: p[1]),
            "kinds": sorted(((k, tr(v)) for k, v in SUBJECT_LABELS.items()), key=lambda p: p[1]),
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "has_next": page * PAGE_SIZE < total,
            "total": total,
        },
        now=now,
    )
