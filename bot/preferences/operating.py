"""How the service runs, changed by staff in the panel: quiet hours, the reminders before a
meeting, the answer time per ticket kind, and the municipality's own closing days.

Each is a ``Setting`` stored in ``preference`` and audited by ``bot.preferences.service``. Until
someone changes it, the value from the environment (``BOT_REMINDER_*``, the 24-hour SLA) holds;
the stored value is ``None`` for that, so a changed environment still takes effect. The code that
uses a value asks here with its session: reminders and check-ins for quiet hours, escalations
for deadlines, series scheduling for closing days.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlmodel import Session

from bot.contacts.models import Role
from bot.preferences.service import PreferenceError, Setting, get_preference

# Quiet hours touch every citizen's evening, so a team lead may move them; the rest are the
# municipality's rules, which its administrators set.
ADMINS = frozenset({Role.admin})
TICKET_KINDS = ("problem", "recruitment", "question")
MAX_SLA_HOURS = 24 * 14
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_YEARLY = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.?$")  # 24.12 (every year)


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time


def _optional(parse: Any) -> Any:
    return lambda value: None if value is None else parse(value)


def _quiet(value: Any) -> QuietHours:
    start, end = (time.fromisoformat(str(part)) for part in value)
    if start == end:
        raise ValueError("quiet hours must start and end at different times")
    return QuietHours(start, end)


def _hours_list(value: Any) -> tuple[float, ...]:
    hours = tuple(sorted({float(v) for v in value}, reverse=True))
    if not hours or any(h <= 0 or h > 24 * 7 for h in hours):
        raise ValueError("between one and a few reminders, each 0-168 hours before")
    return hours


def _sla(value: Any) -> dict[str, float]:
    table = {str(k): float(v) for k, v in dict(value).items() if k in TICKET_KINDS}
    if any(h <= 0 or h > MAX_SLA_HOURS for h in table.values()):
        raise ValueError("hours out of range")
    return table


def _closing(value: Any) -> tuple[str, ...]:
    days = []
    for entry in value:
        text = str(entry)
        if len(text) == 5:  # MM-DD, every year
            date.fromisoformat(f"2000-{text}")
        else:
            date.fromisoformat(text)
        days.append(text)
    return tuple(sorted(set(days)))


QUIET_HOURS: Setting[QuietHours | None] = Setting(
    key="reminders.quiet_hours", default=None, parse=_optional(_quiet),
    dump=lambda q: None if q is None else [q.start.strftime("%H:%M"), q.end.strftime("%H:%M")],
)
MEETING_HOURS: Setting[tuple[float, ...] | None] = Setting(
    key="reminders.meeting_hours", default=None, parse=_optional(_hours_list),
    dump=lambda h: None if h is None else list(h), changed_by=ADMINS,
)
SLA_HOURS: Setting[dict[str, float]] = Setting(
    key="escalations.sla_hours", default={}, parse=_sla, dump=dict, changed_by=ADMINS,
)
CLOSING_DAYS: Setting[tuple[str, ...]] = Setting(
    key="calendar.closing_days", default=(), parse=_closing, dump=list, changed_by=ADMINS,
)


# Readers for the code that uses the values.


def reminder_overrides(session: Session) -> dict[str, Any]:
    """``ReminderSettings`` fields staff changed (quiet hours, meeting reminder hours)."""
    changed: dict[str, Any] = {}
    quiet = get_preference(session, QUIET_HOURS)
    if quiet is not None:
        changed.update(quiet_start=quiet.start, quiet_end=quiet.end)
    meeting = get_preference(session, MEETING_HOURS)
    if meeting is not None:
        changed["meeting_hours"] = list(meeting)
    return changed


def sla_hours(session: Session) -> Mapping[str, float]:
    """Hours to answer, per ticket kind staff changed; kinds not named keep the default."""
    return get_preference(session, SLA_HOURS)


def closing_days(session: Session, first: date, last: date) -> set[date]:
    """The municipality's closing days between ``first`` and ``last`` (both included)."""
    entries = get_preference(session, CLOSING_DAYS)
    found: set[date] = set()
    for entry in entries:
        if len(entry) == 5:
            month, day = int(entry[:2]), int(entry[3:])
            for year in range(first.year, last.year + 1):
                try:
                    found.add(date(year, month, day))
                except ValueError:  # 29 February outside a leap year
                    continue
        else:
            found.add(date.fromisoformat(entry))
    return {d for d in found if first <= d <= last}


# Reading what a person typed: every problem names its field, so the form shows it beside it.


def read_clock(field: str, text: str) -> time:
    match = _CLOCK.match(text.strip())
    if match is None:
        raise PreferenceError(field, "clock")
    return time(int(match.group(1)), int(match.group(2)))


def read_quiet(start: str, end: str) -> QuietHours:
    quiet = QuietHours(read_clock("quiet_start", start), read_clock("quiet_end", end))
    if quiet.start == quiet.end:
        raise PreferenceError("quiet_end", "same_time")
    return quiet


def read_meeting_hours(text: str) -> tuple[float, ...]:
    try:
        hours = [float(part.replace(",", ".")) for part in re.split(r"[\s;]+|,\s", text.strip()) if part]
        return _hours_list(hours)
    except ValueError as exc:
        raise PreferenceError("meeting_hours", "hours_list") from exc


def read_sla(texts: Mapping[str, str]) -> dict[str, float]:
    table: dict[str, float] = {}
    for kind in TICKET_KINDS:
        text = texts.get(kind, "").strip().replace(",", ".")
        if not text:
            continue
        try:
            hours = float(text)
        except ValueError as exc:
            raise PreferenceError(f"sla_{kind}", "hours") from exc
        if not 0 < hours <= MAX_SLA_HOURS:
            raise PreferenceError(f"sla_{kind}", "hours")
        table[kind] = hours
    return table


def read_closing_days(text: str) -> tuple[str, ...]:
    """One day a line or comma-separated: ``24.12`` every year, ``28.12.2026`` or ``2026-12-28`` once."""
    days = []
    for part in re.split(r"[\n,;]+", text):
        entry = part.strip()
        if not entry:
            continue
        yearly = _YEARLY.match(entry)
        try:
            if yearly:
                day = date(2000, int(yearly.group(2)), int(yearly.group(1)))  # 2000: 29.2 exists
                days.append(day.strftime("%m-%d"))
            elif "-" in entry:
                days.append(date.fromisoformat(entry).isoformat())
            else:
                d, m, y = (int(p) for p in entry.rstrip(".").split("."))
                days.append(date(y, m, d).isoformat())
        except ValueError as exc:
            raise PreferenceError("closing_days", "day") from exc
    return tuple(sorted(set(days)))


def show_closing_day(entry: str) -> str:
    """How a stored closing day is written back in the form."""
    if len(entry) == 5:
        return f"{int(entry[3:])}.{int(entry[:2])}"
    day = date.fromisoformat(entry)
    return f"{day.day}.{day.month}.{day.year}"


def hours_text(hours: float) -> str:
    return f"{hours:g}"


