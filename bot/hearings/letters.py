"""The hearing letter: one print-ready HTML page, in Danish and in the citizen's language.

A translation no one has approved yet carries a one-line note that it is a draft; the Danish text
beside it is the valid one (``bot.hearings.drafts``), and the case records that it was a draft.

Texts are message ids in the catalogs (``hearing.letter.*``), so translators work on them
like on every other text; a language without a translation yet shows English and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session

from bot.attendance.models import Attendance
from bot.contacts.models import Citizen, Staff
from bot.hearings import drafts, hearings
from bot.hearings.models import HearingAbsence, HearingCase, HearingDocument
from bot.i18n import N_, RIGHT_TO_LEFT, babel_locale, format_date, format_datetime, gettext, render
from bot.reminders.models import Appointment
from bot.reminders.texts import KIND_LABELS as APPOINTMENT_KIND_IDS

TEMPLATES = Path(__file__).parent / "templates"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

KIND_IDS = {
    "class": N_("hearing.letter.kind.class"),
    "internship_day": N_("hearing.letter.kind.internship_day"),
    "meeting": N_("hearing.letter.kind.meeting"),
}
# Built below as f"hearing.letter.source.{source}", one per DocumentSource: listed for extraction.
SOURCE_IDS = (
    N_("hearing.letter.source.language_centre"),
    N_("hearing.letter.source.company"),
    N_("hearing.letter.source.doctor"),
    N_("hearing.letter.source.consultant"),
    N_("hearing.letter.source.sms_ledger"),
    N_("hearing.letter.source.citizen"),
)


def long_day(language: str) -> str:
    """A date written out in ``language``: "2. december 2026" where the language puts a period
    after the day number (as its own long date does: Danish, German), else "2 December 2026"."""
    dotted = "d." in babel_locale(language).date_formats["long"].pattern
    return "d. MMMM y" if dotted else "d MMMM y"


def long_moment(language: str) -> str:
    return long_day(language) + " HH:mm"


def long_weekday(language: str) -> str:
    """The weekday before the date: "onsdag 2. december 2026"."""
    return "EEEE " + long_day(language)


def _describe(document: HearingDocument, language: str, tz: str) -> str:
    """What a piece of documentation is, in ``language`` when the assistant collected it itself.

    Documentation staff typed in stays as they wrote it.
    """
    params = document.description_params or {}
    if not document.description_id:
        return document.description
    if document.description_id == "hearing.letter.doc_absence":
        kind_id = KIND_IDS.get(str(params.get("kind")), N_("hearing.letter.kind.other"))
        starts_at = datetime.fromisoformat(str(params["starts_at"]))
        return render(document.description_id, language, {
            "what": render(kind_id, language, {"title": ""}).strip(),
            "when": format_datetime(starts_at, language, tz, long_moment(language)),
        })
    ends_on = params.get("ends_on")
    return render(document.description_id, language, {
        "reference": params.get("reference", ""),
        "received": format_datetime(datetime.fromisoformat(str(params["received_at"])), language, tz,
                                    long_moment(language)),
        "from_day": format_date(date.fromisoformat(str(params["starts_on"])), language, long_day(language)),
        "to_day": (format_date(date.fromisoformat(str(ends_on)), language, long_day(language)) if ends_on
                   else render(N_("hearing.letter.doc_open_end"), language)),
    })


# Sick notices the case copied as documentation before the letter listed the period's notices
# itself; left out of the documentation table so no notice is listed twice.
_LISTED_ELSEWHERE = (N_("hearing.letter.doc_sick_notice"), N_("hearing.letter.doc_sick_notice_late"))


def _what(appointment: Appointment, language: str) -> str:
    """What the appointment was: the letter's own wording for its three main kinds, else its
    title, else the name of its kind ("Mentormøde"); "Aftale" only when nothing says more."""
    kind_id = KIND_IDS.get(appointment.kind.value)
    if kind_id is not None:
        return render(kind_id, language, {"title": appointment.title or ""}).strip()
    if appointment.title:
        return appointment.title
    name_id = APPOINTMENT_KIND_IDS.get(appointment.kind.value)
    if name_id is None:
        return render(N_("hearing.letter.kind.other"), language, {"title": ""}).strip()
    name = render(name_id, language)
    return name[:1].upper() + name[1:]


def describe_notice(notice: hearings.PeriodNotice, language: str, tz: str) -> str:
    """One sentence per sick notice or cancellation: reference, arrival (local time), what it
    covered and whether it came late, in ``language``."""
    received = format_datetime(notice.received_at, language, tz, long_moment(language))
    if notice.kind == "sick_notice":
        assert notice.starts_on is not None
        late = notice.late
        msgid = N_("hearing.letter.doc_sick_notice_late") if late else N_("hearing.letter.doc_sick_notice")
        return render(msgid, language, {
            "reference": notice.reference, "received": received,
            "from_day": format_date(notice.starts_on, language, long_day(language)),
            "to_day": (format_date(notice.ends_on, language, long_day(language)) if notice.ends_on
                       else render(N_("hearing.letter.doc_open_end"), language)),
        })
    if not notice.settled or len(notice.appointments) != 1:
        return render(N_("hearing.letter.doc_cancellation_unsettled"), language,
                      {"reference": notice.reference, "received": received})
    appointment = notice.appointments[0]
    late = notice.late
    msgid = N_("hearing.letter.doc_cancellation_late") if late else N_("hearing.letter.doc_cancellation")
    return render(msgid, language, {
        "reference": notice.reference, "received": received, "what": _what(appointment, language),
        "when": format_datetime(appointment.starts_at, language, tz, long_moment(language)),
    })


def has_translation(msgid: str, language: str) -> bool:
    """True when ``language``'s own catalog has ``msgid`` (not an English or Danish fallback)."""
    if language in ("en", "da"):
        return True
    text = gettext(msgid, language)
    return text not in (gettext(msgid, "en"), msgid)


@dataclass(frozen=True)
class LetterSection:
    language: str
    rtl: bool
    translated: bool
    draft: bool  # its own texts are not all approved: a one-line note says so, the Danish is beside
    t: Any  # msgid, **params -> text in this language
    absences: list[dict[str, str]]
    notices: list[str]
    documents: list[dict[str, str]]
    deadline: str
    printed: str  # the letter's date, in this section's language


@dataclass(frozen=True)
class CaseFacts:
    """What every language section shows, read once per letter."""

    absences: list[tuple[Appointment, HearingAbsence]]
    on_record: dict[int, list[hearings.NoticeOnRecord]]
    notices: list[hearings.PeriodNotice]
    documents: list[HearingDocument]


def case_facts(session: Session, case: HearingCase, tz: str) -> CaseFacts:
    assert case.id is not None
    absences = hearings.case_absences(session, case.id)
    on_record = hearings.notices_on_record(
        session, citizen_id=case.citizen_id, appointment_ids=[a.id for a, _ in absences if a.id is not None]
    )
    documents = [
        d for d in hearings.documents_of(session, case.id) if d.description_id not in _LISTED_ELSEWHERE
    ]
    return CaseFacts(absences, on_record, hearings.period_notices(session, case, tz=tz), documents)


def _override(facts: CaseFacts, appointment: Appointment, link: HearingAbsence, language: str) -> str:
    """The caseworker's reason for including an absence the citizen gave notice of (as written)."""
    if not link.override_reason:
        return ""
    references = ", ".join(n.reference for n in facts.on_record.get(appointment.id or 0, []))
    return render(N_("hearing.letter.override"), language,
                  {"references": references, "reason": link.override_reason})


def _section(
    session: Session, case: HearingCase, facts: CaseFacts, language: str, tz: str, printed_on: date
) -> LetterSection:
    def t(msgid: str, **params: Any) -> str:
        return render(msgid, language, params)

    absences = []
    for appointment, link in facts.absences:
        record = session.get(Attendance, appointment.id)
        absences.append({
            "when": format_datetime(appointment.starts_at, language, tz, long_weekday(language) + " HH:mm"),
            "what": _what(appointment, language),
            "where": appointment.location or "",
            "outcome": t(N_("hearing.letter.absent_without_notice")) if record else "",
            "override": _override(facts, appointment, link, language),
        })
    documents = [
        {
            "source": t(f"hearing.letter.source.{d.source.value}"),
            "when": format_datetime(d.received_at, language, tz, long_moment(language)),
            "description": _describe(d, language, tz),
        }
        for d in facts.documents
    ]
    deadline_day = case.reply_deadline.astimezone(ZoneInfo(tz)).date()
    return LetterSection(
        language=language,
        rtl=language in RIGHT_TO_LEFT,
        translated=has_translation("hearing.letter.title", language),
        draft=language != "da" and (case.letter_draft or drafts.letter_is_draft(language)),
        t=t,
        absences=absences,
        notices=[describe_notice(n, language, tz) for n in facts.notices],
        documents=documents,
        deadline=format_date(deadline_day, language, long_weekday(language)),
        printed=format_date(printed_on, language, long_day(language)),
    )


def render_letter(session: Session, *, case_id: int, tz: str, now: datetime) -> str:
    """The letter as HTML: the Danish text first, then the citizen's language (when not Danish)."""
    case = hearings.get_case(session, case_id)
    citizen = session.get(Citizen, case.citizen_id)
    caseworker = session.get(Staff, case.opened_by_id)
    languages = ["da"] if case.letter_language == "da" else ["da", case.letter_language]
    facts = case_facts(session, case, tz)
    printed_on = now.astimezone(ZoneInfo(tz)).date()
    sections = [_section(session, case, facts, language, tz, printed_on) for language in languages]
    return _environment.get_template("hearing_letter.html").render(
        case=case,
        citizen=citizen,
        caseworker=caseworker,
        sections=sections,
    )
