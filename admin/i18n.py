"""The admin interface's own catalogs (domain ``admin``), separate from the SMS catalogs.

Message ids are the English text, so English needs no catalog; Danish is the default.
Update the catalogs after changing texts:

    pybabel extract -F admin/babel.cfg -k T_ -k tr -k _ --no-default-keywords --no-location \
        -o admin/locales/admin.pot .
    pybabel update -D admin -i admin/locales/admin.pot -d admin/locales
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import Request

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "admin"
UI_LANGUAGES: tuple[str, ...] = ("da", "en")
DEFAULT_LANGUAGE = "da"
LANGUAGE_COOKIE = "admin_lang"


@lru_cache(maxsize=8)
def translations(language: str) -> NullTranslations:
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as fh:
            return Translations(fp=fh, domain=DOMAIN)
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def T_(msgid: str) -> str:
    """Mark an admin interface text for extraction into the admin catalog (not the SMS one).

    The admin has its own markers (``T_`` here, ``tr(...)`` for a Translator) because the SMS
    catalog's extraction reads ``_`` and ``N_`` in every Python file, admin/ included.
    """
    return msgid


class Translator:
    """``tr("Due {when}", when=...)``: gettext, then named placeholders."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._translations = translations(language)

    def __call__(self, msgid: str, /, **params: Any) -> str:
        text = self._translations.gettext(msgid)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **params)


def pick_language(request: Request) -> str:
    """The cookie's choice, else the first supported language the browser asks for, else Danish."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in UI_LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        code, _, quality = part.strip().partition(";q=")
        code = code.strip().lower().split("-")[0]
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if code in UI_LANGUAGES and weight > 0:
            ranked.append((-weight, position, code))
    return sorted(ranked)[0][2] if ranked else DEFAULT_LANGUAGE
