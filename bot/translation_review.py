"""Translation review: a translator sees each text with its sources, context and SMS length,
corrects it and approves it.

Interpreters and bilingual staff are who municipalities have to check a translation; they work
in the panel, not in a .po editor. Approving a string takes its ``fuzzy`` (draft) flag off, so
legal texts in that language stop going out as drafts (``bot.hearings.drafts``). The catalogs
are files shared with everyone editing them, so each approval edits only its own entry, under
the catalogs' lock, compiles that language and is recorded in the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from sqlmodel import Session

from bot import i18n_review as po
from bot.audit import service as audit
from bot.i18n import LANGUAGES, LOCALES_DIR, sms_segments
from bot.i18n_cli import SYMBOLIC_ID, is_sms_id, write_catalog

ROOT = Path(__file__).resolve().parents[1]
# Where the catalogs live (tests point this at a copy).
CATALOGS: dict[str, Path] = {"dir": LOCALES_DIR}
SOURCES = ("da", "en")
MAX_SEGMENTS = 3
_ID_IN_SOURCE = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")


class ReviewError(ValueError):
    """Why an approval was refused, as a code the panel puts in words: ``language`` (no such
    language), ``msgid`` (no such text), ``plural``, ``empty`` or ``placeholders``."""


@dataclass(frozen=True)
class Entry:
    msgid: str
    danish: str
    english: str
    text: str
    fuzzy: bool
    comments: list[str]
    used_in: list[str]
    segments: int
    sms: bool
    plural: bool

    @property
    def state(self) -> str:
        if not self.text:
            return "missing"
        return "draft" if self.fuzzy else "approved"

    @property
    def too_long(self) -> bool:
        return self.sms and self.segments > MAX_SEGMENTS


def language_names(ui_language: str) -> dict[str, str]:
    """Each catalog language by its name in the panel's language ("arabisk"), never a bare code."""
    names = {}
    for code in LANGUAGES:
        try:
            names[code] = Locale.parse(code).get_display_name(ui_language) or code
        except (ValueError, UnknownLocaleError):
            names[code] = code
    return names


def catalog_path(language: str) -> Path:
    return CATALOGS["dir"] / language / "LC_MESSAGES" / "messages.po"


def _key(message: Message) -> str:
    return str(message.id if isinstance(message.id, str) else message.id[0])


def _first(message: Message | None) -> str:
    if message is None:
        return ""
    value = message.string
    return str(value[0] if isinstance(value, tuple | list) else value or "")


def _catalog(language: str) -> Catalog:
    path = catalog_path(language)
    return po.read(path, language) if path.exists() else Catalog(locale=language)


@lru_cache(maxsize=1)
def _usage_index(root: Path = ROOT) -> dict[str, tuple[str, ...]]:
    """Which source files name each symbolic id: where a translator's text shows up."""
    found: dict[str, set[str]] = {}
    for folder in ("bot", "admin"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in (".py", ".yaml", ".yml", ".html") or ".venv" in path.parts:
                continue
            relative = str(path.relative_to(root))
            for msgid in set(_ID_IN_SOURCE.findall(path.read_text(encoding="utf-8", errors="replace"))):
                found.setdefault(msgid, set()).add(relative)
    return {msgid: tuple(sorted(files)) for msgid, files in found.items()}


def used_in(msgid: str) -> list[str]:
    """Files that name ``msgid`` (a built id such as ``hearing.letter.source.x`` may show none)."""
    return list(_usage_index().get(msgid, ()))


def entries(language: str) -> list[Entry]:
    """Every symbolic text (SMS and printed letter) in ``language``, in the template's order."""
    if language not in LANGUAGES:
        raise ReviewError("language")
    template_path = CATALOGS["dir"] / "messages.pot"
    template = po.read(template_path) if template_path.exists() else _catalog("en")
    danish, english, own = _catalog("da"), _catalog("en"), _catalog(language)
    rows = []
    for reference in template:
        if not reference.id or not SYMBOLIC_ID.match(_key(reference)):
            continue
        msgid = _key(reference)
        message = own.get(reference.id)
        text = _first(message)
        comments = list(message.auto_comments if message is not None else []) or list(reference.auto_comments)
        rows.append(
            Entry(
                msgid=msgid,
                danish=_first(danish.get(reference.id)),
                english=_first(english.get(reference.id)),
                text=text,
                fuzzy=bool(message is not None and message.fuzzy),
                comments=comments,
                used_in=used_in(msgid),
                segments=sms_segments(text, language) if text else 0,
                sms=is_sms_id(msgid),
                plural=bool(reference.pluralizable),
            )
        )
    return rows


def approve(
    session: Session,
    *,
    staff_id: int,
    language: str,
    msgid: str,
    text: str,
    now: datetime,
    address: str | None = None,
) -> Entry:
    """Save ``text`` as the approved translation of ``msgid``: no longer fuzzy, compiled, audited.

    Refused: an unknown language or id, a plural text (edit those through ``bot i18n export``),
    an empty text, or placeholders that differ from the English source's.
    """
    text = text.strip().replace("\r\n", "\n")
    entry = next((e for e in entries(language) if e.msgid == msgid), None)
    if entry is None:
        raise ReviewError("msgid")
    if entry.plural:
        raise ReviewError("plural")
    if not text:
        raise ReviewError("empty")
    try:
        po.check_placeholders(msgid, entry.english or entry.danish, text)
    except po.PlaceholderMismatch as error:
        raise ReviewError("placeholders") from error
    path = catalog_path(language)
    with po.catalog_lock():
        # Read inside the lock: someone may have written this file a moment ago.
        message = _catalog(language).get(msgid)
        previous, was_fuzzy = _first(message), bool(message is not None and message.fuzzy)
        if message is None:
            message = Message(msgid, auto_comments=entry.comments)
        message.string = text
        message.flags.discard("fuzzy")
        audit.record(
            session,
            staff_id=staff_id,
            action="translation.approve",
            subject=f"translation:{language}:{msgid}",
            now=now,
            details={"language": language, "msgid": msgid, "previous": previous, "text": text,
                     "was_fuzzy": was_fuzzy},
            address=address,
        )
        if path.exists():
            po.replace_entry(path, language, message)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            single = Catalog(locale=language)
            single[msgid] = message
            write_catalog(path, single)
        po.compile_one(path, language)
    return next(e for e in entries(language) if e.msgid == msgid)


__all__ = [
    "CATALOGS", "Entry", "ReviewError", "approve", "catalog_path", "entries", "language_names", "used_in",
]
