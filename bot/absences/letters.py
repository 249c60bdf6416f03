"""The hearing letter: one print-ready HTML page, in Danish and in the citizen's language.

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

from bot.absences import hearings
from bot.absences.models import Attendance, HearingCase, HearingDocument
from bot.contacts.models import Citizen, Staff
from bot.i18n import N_, RIGHT_TO_LEFT, format_date, format_datetime, gettext, render

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
            "when": format_datetime(starts_at, language, tz, "d MMMM y HH:mm"),
        })
    ends_on = params.get("ends_on")
    return render(document.description_id, language, {
        "reference": params.get("reference", ""),
        "received": format_datetime(datetime.fromisoformat(str(params["received_at"])), language, tz,
                                    "d MMMM y HH:mm"),
        "from_day": format_date(date.fromisoformat(str(params["starts_on"])), language, "d MMMM y"),
        "to_day": (format_date(date.fromisoformat(str(ends_on)), language, "d MMMM y") if ends_on
                   else render(N_("hearing.letter.doc_open_end"), language)),
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
    t: Any  # msgid, **params -> text in this language
    absences: list[dict[str, str]]
    documents: list[dict[str, str]]
    deadline: str


def _section(session: Session, case: HearingCase, language: str, tz: str) -> LetterSection:
    def t(msgid: str, **params: Any) -> str:
        return render(msgid, language, params)

    absences = []
    for appointment in hearings.absences_of(session, case.id or 0):
        record = session.get(Attendance, appointment.id)
        kind_id = KIND_IDS.get(appointment.kind.value, N_("hearing.letter.kind.other"))
        absences.append({
            "when": format_datetime(appointment.starts_at, language, tz, "EEEE d MMMM y HH:mm"),
            "what": render(kind_id, language, {"title": appointment.title or ""}),
            "where": appointment.location or "",
            "outcome": t(N_("hearing.letter.absent_without_notice")) if record else "",
        })
    documents = [
        {
            "source": t(f"hearing.letter.source.{d.source.value}"),
            "when": format_datetime(d.received_at, language, tz, "d MMMM y HH:mm"),
            "description": _describe(d, language, tz),
        }
        for d in hearings.documents_of(session, case.id or 0)
    ]
    deadline_day = case.reply_deadline.astimezone(ZoneInfo(tz)).date()
    return LetterSection(
        language=language,
        rtl=language in RIGHT_TO_LEFT,
        translated=has_translation("hearing.letter.title", language),
        t=t,
        absences=absences,
        documents=documents,
        deadline=format_date(deadline_day, language, "EEEE d MMMM y"),
    )


def render_letter(session: Session, *, case_id: int, tz: str, now: datetime) -> str:
    """The letter as HTML: the Danish text first, then the citizen's language (when not Danish)."""
    case = hearings.get_case(session, case_id)
    citizen = session.get(Citizen, case.citizen_id)
    caseworker = session.get(Staff, case.opened_by_id)
    languages = ["da"] if case.letter_language == "da" else ["da", case.letter_language]
    sections = [_section(session, case, language, tz) for language in languages]
    return _environment.get_template("hearing_letter.html").render(
        case=case,
        citizen=citizen,
        caseworker=caseworker,
        sections=sections,
        printed=format_date(now.astimezone(ZoneInfo(tz)).date(), "da", "d. MMMM y"),
    )
