"""Evidence export for a hearing case: one ZIP a caseworker can hand over as it is.

Contents: ``summary.txt`` (readable; every sick notice and cancellation of the period and the
caseworker's reason for each absence included despite one), ``case.json``, ``messages.csv`` and
``messages.json`` (every message to and from the citizen in the period, both directions, with
provider SIDs, timestamps, delivery statuses and signature verdicts), ``letter.html``, every
photo or document the citizen sent in the period under ``media/`` (named by its receipt's
reference, listed in ``case.json`` and ``summary.txt`` with its type, size, SHA-256 and arrival
time, so the export is evidence on its own), and ``manifest.sha256`` with the SHA-256 of every
other file (``sha256sum -c manifest.sha256`` checks it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from bot.absences import hearings, letters
from bot.absences.attendance import local_day_bounds
from bot.absences.models import Attendance, HearingCase
from bot.channels import ledger
from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen, Staff
from bot.media.evidence import CaseFile, case_files

MESSAGE_FIELDS = (
    "id", "direction", "channel", "phone", "created_at", "sent_at", "delivered_at", "status", "status_at",
    "provider_sid", "signature", "error_code", "error_message", "purpose", "template", "locale", "body",
    "body_sha256", "chain_hash", "in_reply_to_id",
)


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo("UTC")).isoformat()
    return getattr(value, "value", value)


def messages_of_case(session: Session, case: HearingCase, *, tz: str, until: datetime) -> list[Message]:
    """Messages to and from the citizen from the first day of the period until ``until``."""
    citizen = session.get(Citizen, case.citizen_id)
    start, _ = local_day_bounds(case.period_from, tz)
    conditions = [
        and_(col(Message.contact_kind) == ContactKind.citizen, col(Message.contact_id) == case.citizen_id)
    ]
    if citizen is not None and citizen.phone:
        conditions.append(col(Message.phone) == citizen.phone)
    whose = or_(*conditions)
    query = (
        select(Message)
        .where(whose)
        .where(col(Message.created_at) >= start, col(Message.created_at) <= until)
        .order_by(col(Message.created_at), col(Message.id))
    )
    return list(session.exec(query).all())


def _message_row(message: Message) -> dict[str, Any]:
    row = {name: _value(getattr(message, name)) for name in MESSAGE_FIELDS}
    row["params"] = message.params
    return row


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*MESSAGE_FIELDS, "params"])
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "params": json.dumps(row["params"], ensure_ascii=False, sort_keys=True)})
    return buffer.getvalue()


def _local(moment: datetime, tz: str) -> str:
    """A moment as the municipality's wall clock showed it, with its offset (what people quote)."""
    return moment.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes")


def _staff_name(session: Session, staff_id: int | None) -> str | None:
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return staff.name if staff else None


def _notice_row(notice: hearings.PeriodNotice, tz: str) -> dict[str, Any]:
    return {
        "kind": notice.kind,
        "reference": notice.reference,
        "received_at": _value(notice.received_at),
        "received_local": _local(notice.received_at, tz),
        "late": notice.late,
        "source": notice.source,
        "message_id": notice.message_id,
        "covers_from": notice.starts_on.isoformat() if notice.starts_on else None,
        "covers_to": notice.ends_on.isoformat() if notice.ends_on else None,
        "appointments": [
            {"appointment_id": a.id, "kind": _value(a.kind), "starts_local": _local(a.starts_at, tz)}
            for a in notice.appointments
        ],
        "settled": notice.settled,
        "first_received_as": notice.first_received_as,
    }


def _case_data(session: Session, case: HearingCase, tz: str) -> dict[str, Any]:
    assert case.id is not None
    facts = letters.case_facts(session, case, tz)
    absences = []
    for appointment, link in facts.absences:
        record = session.get(Attendance, appointment.id)
        absences.append({
            "appointment_id": appointment.id,
            "kind": _value(appointment.kind),
            "starts_at": _value(appointment.starts_at),
            "starts_local": _local(appointment.starts_at, tz),
            "location": appointment.location,
            "outcome": _value(record.outcome) if record else None,
            "outcome_source": _value(record.source) if record else None,
            "recorded_at": _value(record.recorded_at) if record else None,
            "notices_on_record": [n.reference for n in facts.on_record.get(appointment.id or 0, [])],
            "override_reason": link.override_reason,
            "overridden_by_id": link.overridden_by_id,
            "overridden_by": _staff_name(session, link.overridden_by_id),
        })
    documents = [
        {"source": _value(d.source), "received_at": _value(d.received_at), "description": d.description,
         "message_id": d.message_id}
        for d in hearings.documents_of(session, case.id)
    ]
    remarks = [
        {"received_at": _value(r.received_at), "message_id": r.message_id, "text": r.text}
        for r in hearings.sync_remarks(session, case)
    ]
    data = {name: _value(getattr(case, name)) for name in HearingCase.model_fields}
    data.update({"absences": absences, "documentation": documents, "remarks": remarks, "timezone": tz,
                 "notices": [_notice_row(n, tz) for n in facts.notices]})
    data["period_from"] = case.period_from.isoformat()
    data["period_to"] = case.period_to.isoformat()
    return data


def _absence_lines(absence: dict[str, Any]) -> list[str]:
    lines = [f"  - {absence['starts_local']} {absence['kind']} (appointment {absence['appointment_id']}), "
             f"recorded by {absence['outcome_source']} at {absence['recorded_at']}"]
    if absence["notices_on_record"]:
        lines.append(f"    notice on record: {', '.join(absence['notices_on_record'])}")
    if absence["override_reason"]:
        who = absence["overridden_by"] or f"staff {absence['overridden_by_id']}"
        lines.append(f"    included anyway by {who}, because: {absence['override_reason']}")
    return lines


def _notice_text(notice: dict[str, Any]) -> str:
    timing = "late" if notice["late"] else "in time"
    received = f"{notice['reference']} received {notice['received_local']} ({timing})"
    if notice["kind"] == "sick_notice":
        covers = f"covering {notice['covers_from']} to {notice['covers_to'] or 'open end'}"
        if notice["first_received_as"]:
            covers += f", first received as cancellation {notice['first_received_as']}"
        return f"  - sick notice {received}, {covers}"
    meant = ", ".join(f"{a['kind']} {a['starts_local']} (appointment {a['appointment_id']})"
                      for a in notice["appointments"]) or "no appointment"
    covers = f"for {meant}" if notice["settled"] else f"not settled which appointment; may mean {meant}"
    return f"  - cancellation {received}, {covers}"


def _file_row(item: CaseFile, tz: str) -> dict[str, Any]:
    row = item.media
    return {
        "media_id": row.id, "reference": row.reference, "message_id": row.message_id,
        "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
        "received_at": _value(item.received_at), "received_local": _local(item.received_at, tz),
        "source": "citizen (SMS/WhatsApp photo)", "sick_notice_id": row.sick_notice_id,
        # Erased under retention: the digest stays, the bytes are gone.
        "file": item.name if row.data is not None else None,
    }


def _file_text(row: dict[str, Any]) -> str:
    where = row["file"] or "bytes erased, digest kept"
    return (f"  - {row['reference']} received {row['received_local']}: {row['content_type']}, "
            f"{row['size']} bytes, SHA-256 {row['sha256']} ({where})")


def _summary(data: dict[str, Any], citizen: Citizen | None, count: int, verdict: ledger.Verdict,
             anchor: ledger.LedgerHead | None, exported_at: datetime) -> str:
    lines = [
        f"Hearing case {data['reference']}",
        f"Citizen: {citizen.name if citizen else data['citizen_id']} (id {data['citizen_id']})",
        f"Period: {data['period_from']} to {data['period_to']}",
        f"Status: {data['status']}; reply deadline {data['reply_deadline']}",
        f"Exported: {exported_at.isoformat()}",
        "",
        "Absences without notice:",
        *[line for a in data["absences"] for line in _absence_lines(a)],
        "",
        f"Sick notices and cancellations in the period (times in {data['timezone']}):",
        *([_notice_text(n) for n in data["notices"]] or ["  (none)"]),
        "",
        "Documentation:",
        *[f"  - [{d['source']}] {d['received_at']}: {d['description']}" for d in data["documentation"]],
        "",
        "Photos and documents the citizen sent (source: citizen (SMS/WhatsApp photo)):",
        *([_file_text(f) for f in data["files"]] or ["  (none)"]),
        "",
        "Remarks from the citizen:",
        *([f"  - {r['received_at']}: message {r['message_id']}" if r["message_id"] else
           f"  - {r['received_at']}: {r['text']}" for r in data["remarks"]] or ["  (none)"]),
        "",
        f"Assessment: {data['recommendation'] or 'not yet'}"
        + (f" - {data['assessment_reasons']}" if data["assessment_reasons"] else ""),
        f"Decision (benefits department): {data['decision'] or 'not yet'}"
        + (f" - {data['decision_reasons']}" if data["decision_reasons"] else ""),
        "",
        f"Messages in the period, both directions: {count} (messages.csv, messages.json).",
        "Message ledger: " + (f"intact, {verdict.checked} messages checked" if verdict.ok else
                              f"BROKEN at message {verdict.broken_id}: {verdict.reason}"),
        "Ledger head at export: "
        + (f"message {anchor.last_id}, hash {anchor.last_hash}" if anchor else "none"),
        "The software records; it does not decide and does not apply sanctions.",
    ]
    return "\n".join(lines) + "\n"


def export_case(session: Session, *, case_id: int, tz: str, now: datetime) -> bytes:
    case = hearings.get_case(session, case_id)
    citizen = session.get(Citizen, case.citizen_id)
    data = _case_data(session, case, tz)
    kept = case_files(session, case, tz=tz, until=now)
    data["files"] = [_file_row(item, tz) for item in kept]
    rows = [_message_row(m) for m in messages_of_case(session, case, tz=tz, until=now)]
    verdict = ledger.check(session)
    files = {
        "summary.txt": _summary(data, citizen, len(rows), verdict, ledger.head(session), now),
        "case.json": json.dumps(data, ensure_ascii=False, indent=2),
        "messages.csv": _csv(rows),
        "messages.json": json.dumps(rows, ensure_ascii=False, indent=2),
        "letter.html": letters.render_letter(session, case_id=case_id, tz=tz, now=now),
    }
    encoded = {name: text.encode("utf-8") for name, text in files.items()}
    encoded.update({item.name: item.media.data for item in kept if item.media.data is not None})
    manifest = "".join(f"{hashlib.sha256(body).hexdigest()}  {name}\n" for name, body in encoded.items())
    buffer = io.BytesIO()
    stamp = now.astimezone(ZoneInfo(tz)).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in [*encoded.items(), ("manifest.sha256", manifest.encode("utf-8"))]:
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), body, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
