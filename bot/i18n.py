"""Catalogs and rendering: code and flows speak in message ids; text is made at the edge.

Message ids are symbolic (``reply.help``); every id has an English text in the ``en`` catalog.
A missing translation falls back to English, then Danish, so a message is never empty.
"""

from __future__ import annotations

import io
import string
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.sms_segments import count_segments

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
LANGUAGES: tuple[str, ...] = ("da", "en", "ar", "fa", "ps", "ti", "so", "uk", "ku")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps"})
FALLBACKS: tuple[str, ...] = ("en", "da")


def N_(msgid: str) -> str:
    """Mark a message id for extraction without translating it here."""
    return msgid


def NP_(singular: str, plural: str) -> str:
    """Mark a message id with a plural form (``<id>.plural``) for extraction."""
    return singular


def normalise_language(code: str | None) -> str:
    """A supported language code for ``code`` (``da`` when unknown); Dari is served by Farsi."""
    if not code:
        return "da"
    code = code.strip().lower().replace("_", "-").split("-")[0]
    if code == "prs":
        return "fa"
    return code if code in LANGUAGES else "da"


def _load_one(language: str) -> Translations | None:
    folder = LOCALES_DIR / language / "LC_MESSAGES"
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as fh:
            return Translations(fp=fh, domain=DOMAIN)
    if po_path.exists():
        # No compiled catalog (a fresh checkout): compile in memory so text is never missing.
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=True)
        buffer.seek(0)
        return Translations(fp=buffer, domain=DOMAIN)
    return None


@lru_cache(maxsize=32)
def translations(language: str) -> NullTranslations:
    """The catalog for ``language`` with English, then Danish, behind it."""
    chain: list[NullTranslations] = []
    for code in (language, *FALLBACKS):
        if code in (getattr(t, "_language", None) for t in chain):
            continue
        loaded = _load_one(code)
        if loaded is not None:
            loaded._language = code  # type: ignore[attr-defined]
            chain.append(loaded)
    if not chain:
        return NullTranslations()
    head = chain[0]
    for extra in chain[1:]:
        head.add_fallback(extra)
    return head


def preload() -> None:
    """Read every catalog and each language's calendar names now: at start-up, not while the
    first citizen writing in that language waits for an answer."""
    for language in LANGUAGES:
        translations(language)
        _ = babel_locale(language).days  # Babel reads CLDR data from disk on first use


def reload_catalogs() -> None:
    translations.cache_clear()


def gettext(msgid: str, language: str) -> str:
    return translations(language).gettext(msgid)


def ngettext(singular: str, plural: str, n: int, language: str) -> str:
    return translations(language).ngettext(singular, plural, n)


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(msgid: str, language: str, params: dict[str, Any] | None = None) -> str:
    """The text of ``msgid`` in ``language`` with its named placeholders filled in.

    A parameter named ``n`` selects the plural form when the id has one (``msgid`` with
    a ``msgid_plural`` of ``<id>.plural``).
    """
    params = {key: _in_language(value, language) for key, value in (params or {}).items()}
    if "n" in params and isinstance(params["n"], int):
        template = ngettext(msgid, msgid + ".plural", params["n"], language)
    else:
        template = gettext(msgid, language)
    try:
        return string.Formatter().vformat(template, (), _KeepMissing(params))
    except (ValueError, IndexError):
        # A broken translation must not silence a message: fall back to English.
        return string.Formatter().vformat(gettext(msgid, "en"), (), _KeepMissing(params))


# A stored message keeps its dates and nested texts raw, so the citizen reads them in their
# language and staff read the same message in Danish (``moment_param``, ``text_param``).
def moment_param(value: datetime, tz: str, fmt: str | None = None) -> dict[str, Any]:
    """A date and time, written in the reader's language when the message is rendered."""
    return {"moment": value.isoformat(), "tz": tz, "format": fmt}


def day_param(value: date, fmt: str | None = None) -> dict[str, Any]:
    """A date, written the reader's way when rendered (by default "mandag d. 7. december")."""
    return {"day": value.isoformat(), "format": fmt}


def text_param(msgid: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A message id of its own (a label inside a sentence), rendered in the reader's language."""
    return {"msgid": msgid, "params": params or {}}


def list_param(items: list[Any]) -> dict[str, Any]:
    """Several values, written one after the other with commas."""
    return {"items": items}


# A batch of reminders repeats a few days and start times: Babel formats each once per process.
@lru_cache(maxsize=4096)
def _moment_text(moment: str, language: str, tz: str, fmt: str | None) -> str:
    return format_datetime(datetime.fromisoformat(moment), language, tz, fmt)


@lru_cache(maxsize=4096)
def _day_text(day: str, language: str, fmt: str | None) -> str:
    return format_date(date.fromisoformat(day), language, fmt)


def _in_language(value: Any, language: str) -> Any:
    if not isinstance(value, dict):
        return value
    if "moment" in value:
        return _moment_text(value["moment"], language, value["tz"], value.get("format"))
    if "day" in value:
        return _day_text(value["day"], language, value.get("format"))
    if "msgid" in value:
        return render(value["msgid"], language, value.get("params"))
    if "items" in value:
        return ", ".join(str(_in_language(item, language)) for item in value["items"])
    return value


def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except Exception:
        return Locale.parse("en")


# Danish writes a date "mandag d. 7. december" (as letters from a municipality do); CLDR's
# pattern would give "mandag 7 december", which reads as a typo to a Danish reader.
# Ukrainian declines a weekday after "з", "до", "на" ("з середи"), which a name put in the
# sentence cannot do; the date first (its month already in the genitive CLDR gives) with the
# weekday after it in brackets reads right after any preposition: "з 2 грудня (середа)".
_DAY_PATTERNS = {"da": "EEEE 'd.' d. MMMM", "uk": "d MMMM (EEEE)"}
_DEFAULT_DAY = "EEEE d MMMM"


def day_pattern(language: str) -> str:
    """The weekday-and-date pattern of ``language`` ("mandag d. 7. december", "Monday 7 December")."""
    return _DAY_PATTERNS.get(language, _DEFAULT_DAY)


def format_datetime(value: datetime, language: str, tz: str, fmt: str | None = None) -> str:
    fmt = fmt or day_pattern(language) + " HH:mm"
    return babel_format_datetime(value, fmt, tzinfo=ZoneInfo(tz), locale=babel_locale(language))


def format_time(value: datetime, language: str, tz: str) -> str:
    return babel_format_time(value, "HH:mm", tzinfo=ZoneInfo(tz), locale=babel_locale(language))


def format_date(value: date, language: str, fmt: str | None = None) -> str:
    fmt = fmt or day_pattern(language)
    return babel_format_date(value, fmt, locale=babel_locale(language))


# Placeholder values as long as real ones, for measuring a template before it is sent: a full
# date or time in the text's language, a long Danish name or place (``sample_text``).
_SAMPLE_WORDS = {
    "reference": "S-2026-000123", "ref": "S-2026-000123", "n": "3", "count": "3", "number": "2",
    "name": "Mohammed Abdullahi", "citizen": "Mohammed Abdullahi", "consultant": "Birgitte Holm",
    "contact": "Birgitte Holm", "company": "Netto Helsingør Centrum", "employer": "Netto Helsingør Centrum",
    "place": "Sprogcenter Helsingør, Rasmus Knudsens Vej 3", "url": "https://bot.example.dk/c/AbC123",
    "contact_phone": "+45 49 28 28 28", "choices": "1 ja 2 nej",
}
_SAMPLE_MOMENT = datetime(2026, 11, 25, 8, 30)


def sample_text(template: str, language: str) -> str:
    """``template`` with each placeholder filled by a realistically long value."""
    day = format_date(_SAMPLE_MOMENT.date(), language)
    clock = _SAMPLE_MOMENT.strftime("%H:%M")

    def value(name: str) -> str:
        if name in _SAMPLE_WORDS:
            return _SAMPLE_WORDS[name]
        if "time" in name:
            return clock
        if "day" in name or name in ("start", "back", "deadline"):
            return day
        if name in ("received", "when"):
            return f"{day} {clock}"
        return "Jobcenter Helsingør"

    class _Sample(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return value(key)

    try:
        return string.Formatter().vformat(template, (), _Sample())
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def sms_segments(template: str, language: str) -> int:
    """How many SMS segments ``template`` costs once its placeholders hold real-length values."""
    return count_segments(sample_text(template, language)).count


def compile_catalogs() -> list[Path]:
    """Compile every ``messages.po`` to ``messages.mo``; returns the files written."""
    written = []
    for po_path in sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po_path.parent.parent.name
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=True)
        written.append(mo_path)
    reload_catalogs()
    return written


__all__ = [
    "LANGUAGES",
    "NP_",
    "N_",
    "RIGHT_TO_LEFT",
    "compile_catalogs",
    "day_pattern",
    "format_date",
    "format_datetime",
    "format_time",
    "gettext",
    "ngettext",
    "normalise_language",
    "render",
    "sample_text",
    "sms_segments",
]
