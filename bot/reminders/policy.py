"""When reminders go out: a pure, table-driven policy (no database, no clock).

Each appointment kind has a list of rules; a rule places one reminder relative to the start,
for the citizen or for the employer contact. Quiet hours push a reminder back to the end of
the allowed window before; a reminder that lands close to another one for the same person is
merged into it; an appointment made too late for its reminders gets one at once if it is more
than an hour away. All local arithmetic is done on wall-clock dates in the configured zone, so
daylight-saving changes do not move a reminder by an hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import N_

Recipient = Literal["citizen", "employer_contact"]
Timing = Literal["before", "day_before_at"]
Applies = Literal["always", "first_of_week", "first_day"]


@dataclass(frozen=True)
class Rule:
    """One reminder: ``before`` = ``hours`` ahead of the start; ``day_before_at`` = the local
    day before the start at ``at``."""

    name: str
    template: str
    timing: Timing = "before"
    hours: float = 0.0
    at: time | None = None
    recipient: Recipient = "citizen"
    applies: Applies = "always"
    asks_confirmation: bool = False


MEETING_RULES = (
    Rule("before_24h", N_("reminder.meeting"), hours=24, asks_confirmation=True),
    Rule("before_2h", N_("reminder.meeting_soon"), hours=2),
)
CLASS_RULES = (
    Rule("class_week", N_("reminder.class_week"), timing="day_before_at", at=time(18, 0),
         applies="first_of_week"),
)
INTERNSHIP_RULES = (
    Rule("internship_eve", N_("reminder.internship_first_day"), timing="day_before_at", at=time(18, 0),
         applies="first_day", asks_confirmation=True),
    Rule("internship_morning", N_("reminder.internship_morning"), hours=1.5, applies="first_day"),
)
FOLLOW_UP_RULES = (
    Rule("follow_up_citizen", N_("reminder.follow_up_citizen"), hours=24, asks_confirmation=True),
    Rule("follow_up_employer", N_("reminder.follow_up_employer"), hours=24, recipient="employer_contact"),
)

DEFAULT_RULES: Mapping[str, tuple[Rule, ...]] = {
    "meeting": MEETING_RULES,
    "info_meeting": MEETING_RULES,
    "job_interview": MEETING_RULES,
    "mentor": MEETING_RULES,
    "health": MEETING_RULES,
    "group": (Rule("before_24h", N_("reminder.meeting"), hours=24, asks_confirmation=True),),
    "class": CLASS_RULES,
    "igu_school": CLASS_RULES,
    "internship_day": INTERNSHIP_RULES,
    "follow_up": FOLLOW_UP_RULES,
}


@dataclass(frozen=True)
class Policy:
    rules: Mapping[str, tuple[Rule, ...]] = field(default_factory=lambda: dict(DEFAULT_RULES))
    zone: str = "Europe/Copenhagen"
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    # Leave room before quiet hours begin, so a rate-limited send still finishes in time.
    quiet_margin: timedelta = timedelta(minutes=10)
    # An appointment made too late gets one reminder at once only if it starts later than this.
    late_threshold: timedelta = timedelta(hours=1)
    # Two reminders for the same person closer than this are one too many: the later is dropped.
    merge_window: timedelta = timedelta(hours=3)


@dataclass(frozen=True)
class Facts:
    """What the policy needs to know about an appointment."""

    kind: str
    starts_at: datetime
    first_of_week: bool = True
    first_day: bool = True
    has_employer_contact: bool = False


@dataclass(frozen=True)
class Planned:
    rule: str
    template: str
    recipient: Recipient
    due_at: datetime
    asks_confirmation: bool
    skipped_reason: str | None = None  # set: record the reminder as skipped, do not send it


REASON_PASSED = "created after its due time"
REASON_TOO_LATE = "too late: the appointment starts within an hour"
REASON_NO_CONTACT = "no employer contact on the placement"
REASON_ALREADY_STARTED = "the appointment has already started"
# Kept on a reminder withdrawn because the citizen cancelled the appointment.
REASON_CANCELLED = "the citizen cancelled (afbud)"


def is_quiet(when: datetime, policy: Policy) -> bool:
    local = when.astimezone(ZoneInfo(policy.zone)).time()
    start, end = policy.quiet_start, policy.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def local_at(day: date, at: time, zone: str) -> datetime:
    """``day`` at wall-clock ``at`` in ``zone``, as an aware datetime (DST-correct)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


def out_of_quiet_hours(when: datetime, policy: Policy) -> datetime:
    """``when`` itself, or the end of the allowed window before it when it is in quiet hours."""
    if not is_quiet(when, policy):
        return when
    tz = ZoneInfo(policy.zone)
    local = when.astimezone(tz)
    day = local.date()
    if policy.quiet_start > policy.quiet_end and local.time() < policy.quiet_end:
        day -= timedelta(days=1)  # the small hours belong to the quiet period that began yesterday
    return local_at(day, policy.quiet_start, policy.zone) - policy.quiet_margin


def next_allowed(when: datetime, policy: Policy) -> datetime:
    """``when`` itself, or the end of the quiet period it falls in."""
    if not is_quiet(when, policy):
        return when
    local = when.astimezone(ZoneInfo(policy.zone))
    day = local.date()
    if policy.quiet_start > policy.quiet_end and local.time() >= policy.quiet_start:
        day += timedelta(days=1)
    return local_at(day, policy.quiet_end, policy.zone)


def rule_time(rule: Rule, starts_at: datetime, zone: str) -> datetime:
    """The moment ``rule`` names, before quiet hours are applied.

    Whole days are counted on the calendar (24 h before 10:00 is 10:00 the day before, also
    across a daylight-saving change); the hours left over are real elapsed time.
    """
    tz = ZoneInfo(zone)
    local_start = starts_at.astimezone(tz)
    if rule.timing == "day_before_at":
        assert rule.at is not None
        return local_at(local_start.date() - timedelta(days=1), rule.at, zone)
    days, rest = divmod(rule.hours, 24)
    wall = local_start.replace(tzinfo=None) - timedelta(days=int(days))
    moved = datetime.combine(wall.date(), wall.time(), tzinfo=tz)
    return moved - timedelta(hours=rest)


def applicable_rules(facts: Facts, policy: Policy) -> list[Rule]:
    chosen = []
    for rule in policy.rules.get(facts.kind, ()):
        if rule.applies == "first_of_week" and not facts.first_of_week:
            continue
        if rule.applies == "first_day" and not facts.first_day:
            continue
        chosen.append(rule)
    return chosen


def plan(facts: Facts, policy: Policy, now: datetime) -> list[Planned]:
    """Every reminder ``facts`` should get, in due order; skipped ones carry their reason."""
    planned: list[Planned] = []
    for recipient in ("citizen", "employer_contact"):
        rules = [r for r in applicable_rules(facts, policy) if r.recipient == recipient]
        if not rules:
            continue
        if recipient == "employer_contact" and not facts.has_employer_contact:
            planned.extend(_skipped(rules, facts, policy, REASON_NO_CONTACT))
            continue
        planned.extend(_plan_for_recipient(rules, facts, policy, now))
    return sorted(planned, key=lambda p: (p.due_at, p.rule))


def _skipped(rules: Iterable[Rule], facts: Facts, policy: Policy, reason: str) -> list[Planned]:
    return [
        Planned(r.name, r.template, r.recipient, rule_time(r, facts.starts_at, policy.zone),
                r.asks_confirmation, reason)
        for r in rules
    ]


def _plan_for_recipient(rules: list[Rule], facts: Facts, policy: Policy, now: datetime) -> list[Planned]:
    if facts.starts_at <= now:
        return _skipped(rules, facts, policy, REASON_ALREADY_STARTED)
    timed = [
        Planned(r.name, r.template, r.recipient,
                out_of_quiet_hours(rule_time(r, facts.starts_at, policy.zone), policy),
                r.asks_confirmation)
        for r in rules
    ]
    timed.sort(key=lambda p: p.due_at)
    upcoming = [p for p in timed if p.due_at > now]
    passed = [replace(p, skipped_reason=REASON_PASSED) for p in timed if p.due_at <= now]
    if not upcoming:
        return [*passed, _at_once(timed[0], facts, policy, now)]
    return passed + _merge_close(upcoming, policy)


def _at_once(first: Planned, facts: Facts, policy: Policy, now: datetime) -> Planned:
    """One reminder now for an appointment made too late; none if it starts within the hour.

    At night "now" becomes the end of quiet hours, if that is still early enough.
    """
    when = next_allowed(now, policy)
    at_once = replace(first, rule="at_once", due_at=when)
    if facts.starts_at - when <= policy.late_threshold:
        return replace(at_once, skipped_reason=REASON_TOO_LATE)
    return at_once


def _merge_close(ordered: list[Planned], policy: Policy) -> list[Planned]:
    kept: list[Planned] = []
    result: list[Planned] = []
    for item in ordered:
        if kept and item.due_at - kept[-1].due_at < policy.merge_window:
            reason = f"merged into the reminder due {kept[-1].due_at.isoformat()}"
            result.append(replace(item, skipped_reason=reason))
            continue
        kept.append(item)
        result.append(item)
    return result


def week_key(when: datetime, zone: str) -> tuple[int, int]:
    """The ISO (year, week) of ``when`` in local time: classes are reminded once per week."""
    iso = when.astimezone(ZoneInfo(zone)).isocalendar()
    return iso.year, iso.week


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime | None


def expand_weekly(
    *,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time | None,
    first_date: date,
    until_date: date,
    zone: str,
    holidays: Iterable[date] = (),
) -> tuple[list[Occurrence], list[date]]:
    """Occurrences on ``weekdays`` (Monday 0) from ``first_date`` to ``until_date`` inclusive,
    and the dates left out because they are in ``holidays``."""
    days = set(weekdays)
    closed = set(holidays)
    occurrences: list[Occurrence] = []
    skipped: list[date] = []
    day = first_date
    while day <= until_date:
        if day.weekday() in days:
            if day in closed:
                skipped.append(day)
            else:
                start = local_at(day, start_time, zone)
                end = local_at(day, end_time, zone) if end_time else None
                occurrences.append(Occurrence(start, end))
        day += timedelta(days=1)
    return occurrences, skipped


def danish_holidays(first: date, last: date) -> set[date]:
    """Danish public holidays between two dates (the ``holidays`` package, country DK)."""
    import holidays as holidays_pkg

    years = range(first.year, last.year + 1)
    return set(holidays_pkg.country_holidays("DK", years=list(years)).keys())
