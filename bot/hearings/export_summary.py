"""``summary.txt`` of the evidence export: the case as a person reads it, in the reader's language.

Danish by default (the case goes to the benefits department), English for an English-speaking
reader; every moment in the municipality's local time, said once at the top. The texts are
message ids in the catalogs (``hearing.letter.export.*``): printed, never sent as an SMS.
``case.json`` and the message files keep the machine-readable values beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from bot.attendance.models import Attendance
from bot.channels import ledger
from bot.contacts.models import Citizen
from bot.hearings import letters
from bot.hearings.models import HearingCase, HearingRemark
from bot.i18n import N_, format_date, format_datetime, render
from bot.media.evidence import CaseFile

Text = Callable[..., str]  # a message id and its parameters, in the reader's language
Moment = Callable[[datetime], str]

# How each reader writes a day and a moment; English is the pattern for any other language.
DAY = {"da": "d. MMMM y", "en": "d MMMM y"}
MOMENT = {"da": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y HH:mm"}

# Built below from the enum values; listed for extraction.
OUTCOME_SOURCES = (
    N_("hearing.letter.export.recorded_by.staff"),
    N_("hearing.letter.export.recorded_by.import"),
    N_("hearing.letter.export.recorded_by.employer_sms"),
    N_("hearing.letter.export.recorded_by.sick_notice"),
    N_("hearing.letter.export.recorded_by.cancellation"),
)
DOCUMENT_SOURCES = (
    N_("hearing.letter.export.source.language_centre"),
    N_("hearing.letter.export.source.company"),
    N_("hearing.letter.export.source.doctor"),
    N_("hearing.letter.export.source.consultant"),
    N_("hearing.letter.export.source.sms_ledger"),
    N_("hearing.letter.export.source.citizen"),
)
STATUSES = (
    N_("hearing.letter.export.status.awaiting_remarks"),
    N_("hearing.letter.export.status.assessed"),
    N_("hearing.letter.export.status.decided"),
    N_("hearing.letter.export.status.withdrawn"),
)
RECOMMENDATIONS = (
    N_("hearing.letter.export.recommendation.sanction"),
    N_("hearing.letter.export.recommendation.no_sanction"),
)


@dataclass(frozen=True)
class Evidence:
    """What the summary speaks of, read once by the export."""

    case: HearingCase
    citizen: Citizen | None
    facts: letters.CaseFacts
    outcomes: dict[int, Attendance]
    overridden_by: dict[int, str]
    files: list[CaseFile]
    remarks: list[HearingRemark]
    messages: int
    messages_from: datetime
    verdict: ledger.Verdict
    anchor: ledger.LedgerHead | None
    exported_at: datetime


def summary_text(evidence: Evidence, *, language: str, tz: str) -> str:
    def t(msgid: str, **params: object) -> str:
        return render(msgid, language, params)

    def moment(value: datetime) -> str:
        return format_datetime(value, language, tz, MOMENT.get(language, MOMENT["en"]))

    def day(value: date) -> str:
        return format_date(value, language, DAY.get(language, DAY["en"]))

    case = evidence.case
    none = ["  " + t(N_("hearing.letter.export.none"))]
    lines = [
        t(N_("hearing.letter.export.title"), reference=case.reference),
        t(N_("hearing.letter.export.citizen"), name=evidence.citizen.name if evidence.citizen else "",
          id=case.citizen_id),
        t(N_("hearing.letter.export.period"), first=day(case.period_from), last=day(case.period_to)),
        t(N_("hearing.letter.export.status"), status=t(f"hearing.letter.export.status.{case.status.value}"),
          deadline=moment(case.reply_deadline)),
        t(N_("hearing.letter.export.exported"), when=moment(evidence.exported_at)),
        t(N_("hearing.letter.export.times"), timezone=tz),
        "",
        t(N_("hearing.letter.export.absences")),
        *_absence_lines(evidence, t, moment, language),
        "",
        t(N_("hearing.letter.export.notices")),
        *([f"  - {letters.describe_notice(n, language, tz)}" for n in evidence.facts.notices]
          or none),
        "",
        t(N_("hearing.letter.export.documentation")),
        *([f"  - [{t(f'hearing.letter.export.source.{d.source.value}')}] {moment(d.received_at)}: "
           f"{letters._describe(d, language, tz)}" for d in evidence.facts.documents]
          or none),
        "",
        t(N_("hearing.letter.export.files")),
        *([_file_line(f, t, moment) for f in evidence.files] or none),
        "",
        t(N_("hearing.letter.export.remarks")),
        *([_remark_line(r, t, moment) for r in evidence.remarks] or none),
        "",
        *_judgement_lines(case, t),
        "",
        t(N_("hearing.letter.export.messages"), count=evidence.messages,
          since=moment(evidence.messages_from)),
        _ledger_line(evidence.verdict, t),
        t(N_("hearing.letter.export.ledger_head"), id=evidence.anchor.last_id, hash=evidence.anchor.last_hash)
        if evidence.anchor else t(N_("hearing.letter.export.ledger_head_none")),
        t(N_("hearing.letter.export.no_decision")),
    ]
    return "\n".join(lines) + "\n"


def _absence_lines(evidence: Evidence, t: Text, moment: Moment, language: str) -> list[str]:
    lines = []
    for appointment, link in evidence.facts.absences:
        key = appointment.id or 0
        record = evidence.outcomes.get(key)
        lines.append("  - " + t(
            N_("hearing.letter.export.absence"), when=moment(appointment.starts_at),
            what=render(f"appointment.kind.{appointment.kind.value}", language) + (
                f" ({appointment.title})" if appointment.title else ""),
            id=key,
            source=t(f"hearing.letter.export.recorded_by.{record.source.value}") if record else "",
            recorded=moment(record.recorded_at) if record and record.recorded_at else "",
        ))
        references = ", ".join(n.reference for n in evidence.facts.on_record.get(key, []))
        if references:
            lines.append("    " + t(N_("hearing.letter.export.on_record"), references=references))
        if link.override_reason:
            who = evidence.overridden_by.get(key) or str(link.overridden_by_id)
            reason = link.override_reason
            lines.append("    " + t(N_("hearing.letter.export.override"), who=who, reason=reason))
    return lines


def _file_line(item: CaseFile, t: Text, moment: Moment) -> str:
    row = item.media
    where = item.name if row.data is not None else t(N_("hearing.letter.export.file_erased"))
    return "  - " + t(
        N_("hearing.letter.export.file"), reference=row.reference or row.id, when=moment(item.received_at),
        type=row.content_type, size=row.size, sha256=row.sha256, where=where,
    )


def _remark_line(remark: HearingRemark, t: Text, moment: Moment) -> str:
    if remark.message_id:
        return "  - " + t(N_("hearing.letter.export.remark_sms"), when=moment(remark.received_at),
                          id=remark.message_id)
    return f"  - {moment(remark.received_at)}: {remark.text}"


def _judgement_lines(case: HearingCase, t: Text) -> list[str]:
    not_yet = t(N_("hearing.letter.export.not_yet"))

    def label(value: object) -> str:
        name = getattr(value, "value", None)
        return t(f"hearing.letter.export.recommendation.{name}") if name else not_yet

    assessment = t(N_("hearing.letter.export.assessment"), recommendation=label(case.recommendation))
    decision = t(N_("hearing.letter.export.decision"), decision=label(case.decision))
    return [
        assessment + (f" - {case.assessment_reasons}" if case.assessment_reasons else ""),
        decision + (f" - {case.decision_reasons}" if case.decision_reasons else ""),
    ]


def _ledger_line(verdict: ledger.Verdict, t: Text) -> str:
    if verdict.ok:
        return t(N_("hearing.letter.export.ledger_intact"), count=verdict.checked)
    return t(N_("hearing.letter.export.ledger_broken"), id=verdict.broken_id, reason=verdict.reason or "")
