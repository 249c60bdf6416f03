"""Appointments from a CSV file, all or nothing.

Every row is checked first; a dry run (and any file with a bad row) reports each problem
with its line number, column and reason, and imports nothing.

Columns (a header row is required; order does not matter):
    citizen_id or citizen_phone, kind, starts_at, ends_at, location, title, placement_id,
    travel_hint, contact_name, external_ref
Times are ISO 8601 (``2026-11-26T10:00:00+01:00``) or local ``2026-11-26 10:00``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from bot.clock import ensure_aware
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, normalise_phone
from bot.reminders import service
from bot.reminders.models import Appointment, AppointmentKind, Placement
from bot.reminders.policy import Policy

COLUMNS = (
    "citizen_id", "citizen_phone", "kind", "starts_at", "ends_at", "location", "title", "placement_id",
    "travel_hint", "contact_name", "external_ref",
)
KINDS = ", ".join(kind.value for kind in AppointmentKind)


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _time(raw: str, column: str, zone: str) -> datetime:
    value = raw.strip()
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError:
        raise _Bad(column, f"'{raw}' is not a date and time; write e.g. 2026-11-26 10:00") from None
    return ensure_aware(parsed, zone)


def _int(raw: str, column: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise _Bad(column, f"'{raw}' is not a whole number") from None


def _citizen(session: Session, row: dict[str, str], region: str) -> int:
    if (row.get("citizen_id") or "").strip():
        citizen_id = _int(row["citizen_id"], "citizen_id")
        if session.get(Citizen, citizen_id) is None:
            raise _Bad("citizen_id", f"there is no citizen with id {citizen_id}")
        return citizen_id
    raw_phone = (row.get("citizen_phone") or "").strip()
    if not raw_phone:
        raise _Bad("citizen_id", "give citizen_id or citizen_phone")
    try:
        phone = normalise_phone(raw_phone, region=region, field="citizen_phone")
    except ContactInputError as exc:
        raise _Bad("citizen_phone", exc.message) from None
    citizen = session.exec(select(Citizen).where(Citizen.phone == phone)).first()
    if citizen is None or citizen.id is None:
        raise _Bad("citizen_phone", f"no citizen has the number {phone}")
    return citizen.id


def parse_row(session: Session, row: dict[str, str], *, zone: str, region: str) -> service.AppointmentInput:
    """One row as appointment input, or ``_Bad`` naming the column."""
    citizen_id = _citizen(session, row, region)
    raw_kind = (row.get("kind") or "").strip().lower()
    try:
        kind = AppointmentKind(raw_kind)
    except ValueError:
        raise _Bad("kind", f"'{raw_kind}' is not a kind of appointment; use one of {KINDS}") from None
    if not (row.get("starts_at") or "").strip():
        raise _Bad("starts_at", "a start time is required")
    starts_at = _time(row["starts_at"], "starts_at", zone)
    ends_at = _time(row["ends_at"], "ends_at", zone) if (row.get("ends_at") or "").strip() else None
    if ends_at is not None and ends_at <= starts_at:
        raise _Bad("ends_at", "must be after starts_at")
    placement_id = None
    if (row.get("placement_id") or "").strip():
        placement_id = _int(row["placement_id"], "placement_id")
        placement = session.get(Placement, placement_id)
        if placement is None or placement.citizen_id != citizen_id:
            raise _Bad("placement_id", f"no placement {placement_id} for this citizen")
    external_ref = (row.get("external_ref") or "").strip() or None
    if external_ref is not None:
        known = session.exec(select(Appointment.id).where(Appointment.external_ref == external_ref)).first()
        if known is not None:
            raise _Bad("external_ref", f"'{external_ref}' was imported before (appointment {known})")

    def text(name: str) -> str | None:
        return (row.get(name) or "").strip() or None

    return service.AppointmentInput(
        citizen_id=citizen_id, kind=kind, starts_at=starts_at, ends_at=ends_at,
        location=text("location"), title=text("title"), placement_id=placement_id,
        travel_hint=text("travel_hint"), contact_name=text("contact_name"), external_ref=external_ref,
    )


def import_appointments(
    session: Session, content: str, *, policy: Policy, now: datetime, region: str = "DK",
    dry_run: bool = False,
) -> ImportResult:
    """Check every row; create the appointments only when there is no problem and not a dry run."""
    result = ImportResult(dry_run=dry_run)
    try:
        header, rows = _read(content)
    except csv.Error as exc:
        message = f"the file is not readable as CSV ({exc}); save it as CSV UTF-8"
        result.problems.append(RowProblem(1, "-", message))
        return result
    unknown = [name for name in header if name not in COLUMNS]
    if not header:
        result.problems.append(RowProblem(1, "-", "the file is empty; the first line must name the columns"))
        return result
    for name in unknown:
        result.problems.append(RowProblem(1, name, f"unknown column; the columns are {', '.join(COLUMNS)}"))
    parsed: list[service.AppointmentInput] = []
    seen_refs: dict[str, int] = {}
    for line, cleaned in rows:
        result.rows += 1
        try:
            item = parse_row(session, cleaned, zone=policy.zone, region=region)
            service.check_appointment(item)
        except _Bad as bad:
            result.problems.append(RowProblem(line, bad.column, bad.message))
            continue
        except service.AppointmentInputError as refused:
            result.problems.append(RowProblem(line, refused.field, refused.message))
            continue
        if item.external_ref is not None:
            if item.external_ref in seen_refs:
                result.problems.append(RowProblem(
                    line, "external_ref", f"repeats line {seen_refs[item.external_ref]}"))
                continue
            seen_refs[item.external_ref] = line
        parsed.append(item)
    if result.rows == 0 and not result.problems:
        result.problems.append(RowProblem(2, "-", "the file has no rows"))
    if result.problems or dry_run:
        return result
    with session.begin_nested():
        for item in parsed:
            appointment = service.create_appointment(session, item, policy=policy, now=now)
            assert appointment.id is not None
            result.created_ids.append(appointment.id)
    return result


def citizen_ids(session: Session, content: str, *, region: str) -> list[tuple[int, int]]:
    """(line, citizen id) for every row of a file that passed the checks."""
    _, rows = _read(content)
    return [(line, _citizen(session, cleaned, region)) for line, cleaned in rows]


def _read(content: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header, and every row with the line it ends on; raises csv.Error for broken CSV.

    ``newline=""`` lets the csv module see carriage returns itself, as its documentation asks.
    """
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    rows = [
        (reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None})
        for row in reader
    ]
    return [name.strip() for name in reader.fieldnames or []], rows
