"""Per language: how many SMS texts are translated, fuzzy (needs review) or missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    translated: int
    fuzzy: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.translated + len(self.fuzzy) + len(self.missing)


# The evidence summary of a hearing case is printed in Danish or English only, never sent by SMS:
# its texts are nobody's missing translation in the other languages.
PRINTED_ONLY = "hearing.letter.export."
PRINTED_LANGUAGES = frozenset({"da", "en"})


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def _ids(catalog: Catalog) -> set[str]:
    return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def catalog_status(locales_dir: Path = LOCALES_DIR) -> list[LanguageStatus]:
    """The reference is the template (messages.pot) when present, else the English catalog."""
    template = locales_dir / "messages.pot"
    english = locales_dir / "en" / "LC_MESSAGES" / "messages.po"
    reference: set[str] = set()
    if template.exists():
        reference = _ids(_read(template))
    elif english.exists():
        reference = _ids(_read(english, "en"))
    everywhere = {key for key in reference if not key.startswith(PRINTED_ONLY)}
    result = []
    for language in LANGUAGES:
        wanted = reference if language in PRINTED_LANGUAGES else everywhere
        path = locales_dir / language / "LC_MESSAGES" / "messages.po"
        done: set[str] = set()
        fuzzy: set[str] = set()
        if path.exists():
            for message in _read(path, language):
                if not message.id:
                    continue
                key = str(message.id if isinstance(message.id, str) else message.id[0])
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if not all(strings):
                    continue
                (fuzzy if message.fuzzy else done).add(key)
        missing = wanted - done - fuzzy
        result.append(
            LanguageStatus(
                language=language,
                translated=len(done & wanted) if wanted else len(done),
                fuzzy=sorted(fuzzy & wanted if wanted else fuzzy),
                missing=sorted(missing),
            )
        )
    return result
