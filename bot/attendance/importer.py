"""Attendance files from language centres and companies (CSV): dry run first, all or nothing.

A row names its appointment by ``appointment_id``, by ``external_ref``, or by the citizen's
``phone`` with ``date`` (and ``time`` when the citizen has several appointments that day),
and gives an ``outcome`` in English or Danish. Danish headers work too (telefon, dato, tid,
fremmøde, bemærkning), and so do semicolons, which Danish spreadsheets write.
A file with one bad row imports nothing; the report lists every bad row with its reason.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.attendance import attendance
from bot.attendance.models import Outcome, OutcomeSource
from bot.contacts.models import Citizen
from bot.phones import try_normalise
from bot.reminders.models import Appointment

HEADERS = {
    "appointment_id": "appointment_id", "aftale_id": "appointment_id", "id": "appointment_id",
    "external_ref": "external_ref", "reference": "external_ref", "reference_id": "external_ref",
    "phone": "phone", "telefon": "phone", "mobil": "phone",
    "date": "date", "dato": "date",
    "time": "time", "tid": "time", "kl": "time",
    "outcome": "outcome", "fremmøde": "outcome", "fremmoede": "outcome", "status": "outcome",
    "note": "note", "bemærkning": "note", "bemaerkning": "note", "comment": "note",
}

OUTCOME_WORDS: dict[str, Outcome] = {
    **{o.value: o for o in Outcome},
    "present": Outcome.attended, "mødt": Outcome.attended, "fremmødt": Outcome.attended,
    "ja": Outcome.attended, "yes": Outcome.attended, "1": Outcome.attended,
    "absent": Outcome.absent_without_notice, "udeblevet": Outcome.absent_without_notice,
    "fravær": Outcome.absent_without_notice, "fravær uden afbud": Outcome.absent_without_notice,
    "nej": Outcome.absent_without_notice, "no": Outcome.absent_without_notice,
    "0": Outcome.absent_without_notice,
    "afbud": Outcome.absent_with_notice, "syg": Outcome.absent_with_notice,
    "sygemeldt": Outcome.absent_with_notice,
    "fravær med afbud": Outcome.absent_with_notice,
    "sent afbud": Outcome.absent_with_late_notice, "late notice": Outcome.absent_with_late_notice,
    "aflyst": Outcome.cancelled_by_municipality, "cancelled": Outcome.cancelled_by_municipality,
    "fritaget": Outcome.excused_by_staff, "excused": Outcome.excused_by_staff,
}

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class PlannedRow:
    line: int
    appointment_id: int
    citizen_id: int
    outcome: Outcome
    note: str | None


@dataclass
class ImportReport:
    name: str
    dry_run: bool
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _parse_time(text: str) -> time | None:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


class _RowFailed(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        self.field_name = field_name
        self.message = message


def _find(session: Session, row: dict[str, str], *, tz: str, region: str) -> Appointment:
    if row.get("appointment_id"):
        if not row["appointment_id"].isdigit():
            raise _RowFailed("appointment_id", f"'{row['appointment_id']}' is not a number")
        found = session.get(Appointment, int(row["appointment_id"]))
        if found is None:
            raise _RowFailed("appointment_id", f"no appointment with id {row['appointment_id']}")
        return found
    if row.get("external_ref"):
        ref = row["external_ref"]
        by_ref = session.exec(select(Appointment).where(Appointment.external_ref == ref)).all()
        if len(by_ref) != 1:
            raise _RowFailed("external_ref", f"{len(by_ref)} appointments have reference '{ref}'")
        return by_ref[0]
    if not row.get("phone"):
        raise _RowFailed("phone", "give appointment_id, external_ref, or phone with date")
    phone = try_normalise(row["phone"], region)
    citizen = session.exec(select(Citizen).where(Citizen.phone == phone)).first() if phone else None
    if citizen is None:
        raise _RowFailed("phone", f"no citizen has the phone number '{row['phone']}'")
    day = _parse_date(row.get("date", ""))
    if day is None:
        raise _RowFailed("date", f"'{row.get('date', '')}' is not a date (use 2026-11-24 or 24-11-2026)")
    start, end = attendance.local_day_bounds(day, tz)
    candidates = attendance.appointments_between(session, citizen_id=citizen.id, start=start, end=end)
    if row.get("time"):
        at = _parse_time(row["time"])
        if at is None:
            raise _RowFailed("time", f"'{row['time']}' is not a time (use 09:00)")
        zone = ZoneInfo(tz)
        candidates = [a for a in candidates if a.starts_at.astimezone(zone).time().replace(second=0) == at]
    if len(candidates) != 1:
        when = f"{day.isoformat()} {row.get('time', '')}".strip()
        reason = "no appointment" if not candidates else f"{len(candidates)} appointments (add the time)"
        raise _RowFailed("date", f"{citizen.name} has {reason} on {when}")
    return candidates[0]


def _read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return [], []
    header = [HEADERS.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    return header, [
        {header[i]: cell.strip() for i, cell in enumerate(cells) if i < len(header)} for cells in rows[1:]
        if any(cell.strip() for cell in cells)
    ]


def import_attendance(
    session: Session,
    *,
    content: bytes | str,
    name: str,
    dry_run: bool,
    now: datetime,
    tz: str,
    staff_id: int | None = None,
    region: str = "DK",
) -> ImportReport:
    report = ImportReport(name=name, dry_run=dry_run)
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        report.errors.append(RowError(0, "file", "the file is not UTF-8; save it as CSV UTF-8"))
        return report
    try:
        header, rows = _read_rows(text)
    except csv.Error as exc:
        message = f"the file is not readable as CSV ({exc}); save it as CSV UTF-8"
        report.errors.append(RowError(1, "file", message))
        return report
    if "outcome" not in header:
        report.errors.append(RowError(1, "outcome", "the header has no 'outcome' (or 'fremmøde') column"))
        return report
    seen: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        try:
            outcome = OUTCOME_WORDS.get(row.get("outcome", "").lower())
            if outcome is None:
                raise _RowFailed("outcome", f"'{row.get('outcome', '')}' is not an outcome")
            appointment = _find(session, row, tz=tz, region=region)
            assert appointment.id is not None
            if appointment.id in seen:
                raise _RowFailed("appointment_id", f"the same appointment is on line {seen[appointment.id]}")
            seen[appointment.id] = line
            if appointment.starts_at > now:
                # What happened can only be known once it has begun; a row for tomorrow's class
                # would otherwise record an absence that has not happened (and could feed a hearing).
                starts = appointment.starts_at.astimezone(ZoneInfo(tz)).strftime("%d.%m.%Y %H:%M")
                raise _RowFailed(
                    "date", f"the appointment starts {starts}; record its outcome once it has started"
                )
            report.rows.append(PlannedRow(line, appointment.id, appointment.citizen_id, outcome,
                                          row.get("note") or None))
        except _RowFailed as failed:
            report.errors.append(RowError(line, failed.field_name, failed.message))
    if report.errors or dry_run:
        return report
    for planned in report.rows:
        attendance.set_outcome(
            session, appointment=attendance.get_appointment(session, planned.appointment_id),
            outcome=planned.outcome, source=OutcomeSource.import_file, now=now, staff_id=staff_id,
            note=planned.note, import_name=name,
        )
    report.imported = len(report.rows)
    return report
