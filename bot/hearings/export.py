"""Evidence export for a hearing case: one ZIP a caseworker can hand over as it is.

Contents: ``summary.txt`` (readable, in Danish or the reader's English, local times; every sick
notice and cancellation of the period and the caseworker's reason for each absence included
despite one; ``bot.hearings.export_summary``), ``case.json``, ``messages.csv`` and
``messages.json`` (every message to and from the citizen from a week before the period, both
directions, with provider SIDs, UTC and local timestamps, delivery statuses and signature
verdicts), ``letter.html``, every
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
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from bot.attendance.attendance import local_day_bounds
from bot.attendance.models import Attendance
from bot.channels import ledger
from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen, Staff
from bot.hearings import hearings, letters
from bot.hearings.export_summary import Evidence, summary_text
from bot.hearings.models import HearingCase, HearingRemark
from bot.media.evidence import CaseFile, case_files

MESSAGE_FIELDS = (
    "id", "direction", "channel", "phone", "created_at", "sent_at", "delivered_at", "status", "status_at",
    "provider_sid", "signature", "error_code", "error_message", "purpose", "template", "locale", "body",
    "body_sha256", "chain_hash", "in_reply_to_id",
)
LOCAL_FIELDS = ("created_at", "sent_at", "delivered_at")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(ZoneInfo("UTC")).isoformat()
    return getattr(value, "value", value)


# Reminders go out up to a week (168 hours) before an appointment, and a sick notice or a
# cancellation may come days ahead: the messages of a case start that long before its first day.
MESSAGES_BEFORE = timedelta(days=7)


def messages_start(case: HearingCase, notices: list[hearings.PeriodNotice], *, tz: str) -> datetime:
    """The first moment whose messages belong to the case: a week before its first day, or
    the arrival of its earliest sick notice or cancellation if that came sooner."""
    start, _ = local_day_bounds(case.period_from, tz)
    return min([start - MESSAGES_BEFORE, *(n.received_at for n in notices)])


def messages_of_case(
    session: Session, case: HearingCase, *, tz: str, until: datetime, start: datetime | None = None
) -> list[Message]:
    """Messages to and from the citizen, both directions, from ``start`` (``messages_start``
    by default) until ``until``."""
    citizen = session.get(Citizen, case.citizen_id)
    if start is None:
        start = messages_start(case, hearings.period_notices(session, case, tz=tz), tz=tz)
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


def _message_row(message: Message, tz: str) -> dict[str, Any]:
    row = {name: _value(getattr(message, name)) for name in MESSAGE_FIELDS}
    # Beside each UTC moment, the municipality's wall clock: what the citizen's phone showed.
    for name in LOCAL_FIELDS:
        moment = getattr(message, name)
        row[f"{name.removesuffix('_at')}_local"] = _local(moment, tz) if moment else None
    row["params"] = message.params
    return row


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    local = [f"{name.removesuffix('_at')}_local" for name in LOCAL_FIELDS]
    writer = csv.DictWriter(buffer, fieldnames=[*MESSAGE_FIELDS, *local, "params"])
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


def _case_data(
    session: Session, case: HearingCase, tz: str, facts: letters.CaseFacts, remarks: list[HearingRemark]
) -> dict[str, Any]:
    assert case.id is not None
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
    said = [
        {"received_at": _value(r.received_at), "message_id": r.message_id, "text": r.text}
        for r in remarks
    ]
    data = {name: _value(getattr(case, name)) for name in HearingCase.model_fields}
    data.update({"absences": absences, "documentation": documents, "remarks": said, "timezone": tz,
                 "notices": [_notice_row(n, tz) for n in facts.notices]})
    data["period_from"] = case.period_from.isoformat()
    data["period_to"] = case.period_to.isoformat()
    return data


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


def _outcomes(session: Session, facts: letters.CaseFacts) -> dict[int, Attendance]:
    found = (session.get(Attendance, a.id) for a, _ in facts.absences)
    return {row.appointment_id: row for row in found if row is not None}


def export_case(session: Session, *, case_id: int, tz: str, now: datetime, language: str = "da") -> bytes:
    """The ZIP; ``summary.txt`` in ``language`` (Danish unless the reader reads English)."""
    case = hearings.get_case(session, case_id)
    citizen = session.get(Citizen, case.citizen_id)
    facts = letters.case_facts(session, case, tz)
    remarks = hearings.sync_remarks(session, case)
    data = _case_data(session, case, tz, facts, remarks)
    kept = case_files(session, case, tz=tz, until=now)
    data["files"] = [_file_row(item, tz) for item in kept]
    since = messages_start(case, facts.notices, tz=tz)
    data["messages_from"] = _value(since)
    rows = [_message_row(m, tz) for m in messages_of_case(session, case, tz=tz, until=now, start=since)]
    evidence = Evidence(
        case=case, citizen=citizen, facts=facts, outcomes=_outcomes(session, facts),
        overridden_by={a["appointment_id"]: a["overridden_by"] for a in data["absences"]
                       if a["overridden_by"]},
        files=kept, remarks=remarks, messages=len(rows), messages_from=since,
        verdict=ledger.check(session), anchor=ledger.head(session), exported_at=now,
    )
    files = {
        "summary.txt": summary_text(evidence, language=language, tz=tz),
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
