"""Legal texts whose translation no native speaker has approved go out beside the Danish.

A hearing letter, the sanction guidance and the hearing SMS decide a citizen's benefits. A
translation still marked ``fuzzy`` (a draft) may be wrong in a way that matters, so in such a
language the citizen gets the draft, a one-line note that it is a draft, and the Danish text,
which is the valid one; the record (the case, the message, the guidance delivery) says so.
Approving the strings on the translations page (``admin.domains.translations``) ends it.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from sqlmodel import Session

from bot.channels.models import Message
from bot.channels.outbox import enqueue
from bot.i18n import LOCALES_DIR, N_, render

SOURCE_LANGUAGES = frozenset({"da", "en"})
# The catalogs whose fuzzy flags decide (tests point this at a copy).
CATALOGS: dict[str, Path] = {"dir": LOCALES_DIR}
LETTER_PREFIX = "hearing.letter."
DRAFT_NOTE = N_("legal.draft_note")
# The draft, the note and the Danish text in one SMS; the same in every language.
DRAFT_PAIR = N_("legal.draft_pair")


@lru_cache(maxsize=32)
def _drafts(path: Path, mtime: float) -> frozenset[str]:
    """The ids one version of one catalog file has a text for that is still fuzzy (a draft).

    A missing text is no draft: the reader then sees English and is told so.
    """
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.id and message.fuzzy and all(strings):
            found.add(str(message.id if isinstance(message.id, str) else message.id[0]))
    return frozenset(found)


def drafts(language: str, locales_dir: Path | None = None) -> frozenset[str]:
    """Ids whose text in ``language`` is a draft (read again whenever the file changes)."""
    path = (locales_dir or CATALOGS["dir"]) / language / "LC_MESSAGES" / "messages.po"
    if language in SOURCE_LANGUAGES or not path.exists():
        return frozenset()
    return _drafts(path, path.stat().st_mtime)


def is_draft(msgid: str, language: str) -> bool:
    """True when ``language`` has its own text for ``msgid`` but nobody has approved it."""
    return msgid in drafts(language)


def letter_is_draft(language: str) -> bool:
    """The hearing letter in ``language`` carries at least one unapproved text of its own."""
    return any(key.startswith(LETTER_PREFIX) for key in drafts(language))


def draft_note(language: str) -> str:
    return render(DRAFT_NOTE, language)


def enqueue_legal_sms(
    session: Session,
    *,
    phone: str,
    template: str,
    params: dict[str, Any],
    language: str,
    purpose: str,
    contact_id: int | None,
    now: datetime,
) -> tuple[Message, bool]:
    """Queue a legal SMS; in a language whose text is a draft, the draft, the note and the Danish
    text go out together. Returns the message and whether it went out as a draft.

    A date in ``params`` goes in as ``day_param``/``moment_param``, not as text: each half of a
    two-language SMS then writes it in its own language."""
    draft = is_draft(template, language)
    if draft:
        params = {
            **params,  # kept, so the record still holds what was filled in
            "text": render(template, language, params),
            "note": draft_note(language),
            "danish": render(template, "da", params),
            "draft_of": template,
        }
        template = DRAFT_PAIR
    message = enqueue(
        session, phone=phone, template=template, params=params, language=language, purpose=purpose,
        contact_kind="citizen", contact_id=contact_id, now=now,
    )
    return message, draft


__all__ = [
    "DRAFT_NOTE", "DRAFT_PAIR", "draft_note", "drafts", "enqueue_legal_sms", "is_draft", "letter_is_draft",
]
