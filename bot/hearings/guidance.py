"""The guidance on absence and sanction rules, sent to a citizen after a meeting.

Each language version is a file in ``templates/guidance/``; its SHA-256 is the version, so the
record says exactly which text was delivered. A citizen whose language has no approved version
gets English, and the record says so. A translation is a draft (like a ``fuzzy`` catalog text)
until its file names who approved it for the municipality (``data-approved-by``) and carries
no ``data-draft`` marker, so a language added without either marker is a draft too. Drafts
go out only when staff choose to send one; the record then says it was a draft, and the page
shows the draft under a one-line note that it is one, with the valid Danish text beside it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from html import escape

from sqlmodel import Session, col, select

from bot.channels.outbox import enqueue
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, NotFound
from bot.hearings.drafts import DRAFT_NOTE, SOURCE_LANGUAGES
from bot.hearings.letters import TEMPLATES
from bot.hearings.models import GuidanceDelivery
from bot.i18n import N_, RIGHT_TO_LEFT, render

GUIDANCE_DIR = TEMPLATES / "guidance"
FALLBACK = "en"
SOURCE = "da"  # the valid text, shown beside a draft translation
# Translations not yet approved by the municipality carry this marker in their file.
DRAFT_MARKER = "data-draft"
# An approved translation names the approver in its file: data-approved-by="name, date".
APPROVED_MARKER = "data-approved-by"


@dataclass(frozen=True)
class GuidanceText:
    language: str
    html: str
    version: str
    draft: bool
    rtl: bool


def available_languages() -> list[str]:
    return sorted(path.stem for path in GUIDANCE_DIR.glob("*.html"))


def guidance_text(language: str) -> GuidanceText:
    path = GUIDANCE_DIR / f"{language}.html"
    if not (language.isascii() and language.isalpha()) or not path.exists():
        choices = ", ".join(available_languages())
        raise NotFound(f"There is no guidance in '{language}'; available: {choices}.")
    html = path.read_text(encoding="utf-8")
    draft = language not in SOURCE_LANGUAGES and (DRAFT_MARKER in html or APPROVED_MARKER not in html)
    if draft:
        html = _beside_the_danish(html, language)
    return GuidanceText(
        language=language,
        html=html,
        version=hashlib.sha256(html.encode("utf-8")).hexdigest(),
        draft=draft,
        rtl=language in RIGHT_TO_LEFT,
    )


def _beside_the_danish(html: str, language: str) -> str:
    """A draft translation: a one-line note that it is a draft, the draft, then the valid Danish
    text. The version hash covers all three, so the record names exactly what was read."""
    note = escape(render(DRAFT_NOTE, language))
    danish = (GUIDANCE_DIR / f"{SOURCE}.html").read_text(encoding="utf-8")
    return (
        f'<p class="draft-note" lang="{language}" dir="auto"><strong>{note}</strong></p>\n'
        f"{html}\n<hr>\n{danish}"
    )


def version_for(citizen_language: str, *, allow_draft: bool = False) -> GuidanceText:
    """The citizen's language when an approved version exists (or a draft, when allowed), else English."""
    if citizen_language in available_languages():
        text = guidance_text(citizen_language)
        if allow_draft or not text.draft:
            return text
    return guidance_text(FALLBACK)


def send_guidance(
    session: Session,
    *,
    citizen_id: int,
    staff_id: int | None,
    now: datetime,
    public_url: str,
    allow_draft: bool = False,
) -> GuidanceDelivery:
    """Send the link to the guidance; a draft translation only when staff allow it explicitly."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFound(f"There is no citizen with id {citizen_id}.")
    if not citizen.phone:
        raise ContactInputError("citizen_id", f"{citizen.name} has no phone number to send the guidance to")
    text = version_for(citizen.language, allow_draft=allow_draft)
    message = enqueue(
        session,
        phone=citizen.phone,
        template=N_("guidance.sent"),
        params={"url": f"{public_url.rstrip('/')}/guidance/{text.language}"},
        language=citizen.language,
        purpose="guidance",
        contact_kind="citizen",
        contact_id=citizen.id,
        now=now,
    )
    delivery = GuidanceDelivery(
        citizen_id=citizen_id,
        language=text.language,
        requested_language=citizen.language,
        version=text.version,
        draft=text.draft,
        message_id=message.id,
        sent_by_id=staff_id,
        sent_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def deliveries_of(session: Session, *, citizen_id: int) -> list[GuidanceDelivery]:
    query = select(GuidanceDelivery).where(GuidanceDelivery.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(GuidanceDelivery.sent_at).desc())).all())
