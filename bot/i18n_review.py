"""Editing catalog entries in place: what the review page and `bot i18n import` write, and the
export that sends the catalogs to a translation tool (Weblate, Crowdin) and back.

Babel rewrites a whole catalog in its own order; other people append to the same files at the
same time, so a reviewed string replaces only its own entry's lines and leaves every other byte
as it was. Writers hold ``/tmp/po.lock`` (the lock ``flock /tmp/po.lock ...`` takes) from
reading the file to compiling it, so no one's edit is lost between the two.
"""

from __future__ import annotations

import fcntl
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import reload_catalogs

LOCK_PATH = Path("/tmp/po.lock")  # noqa: S108 - the lock every catalog writer takes, as flock(1) does
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


class PlaceholderMismatch(ValueError):
    """A translation names other placeholders than its source: the message would lose a value."""

    def __init__(self, msgid: str, expected: set[str], found: set[str]) -> None:
        self.msgid, self.expected, self.found = msgid, expected, found
        super().__init__(
            f"{msgid}: placeholders {sorted(found)} differ from the source's {sorted(expected)}"
        )


def placeholders(text: str) -> set[str]:
    """The named placeholders (``{name}``, ``{n:d}``) in ``text``."""
    return set(PLACEHOLDER.findall(text))


def check_placeholders(
    msgid: str, source: str, translation: str, *, optional: frozenset[str] = frozenset()
) -> None:
    """Refuse ``translation`` when its placeholders are not exactly those of ``source``.

    ``optional``: placeholders a translation may leave out (a plural form such as Arabic's dual
    says "two days" in one word, without ``{n}``); it may still never add one the source lacks.
    """
    expected, found = placeholders(source), placeholders(translation)
    if translation and (found - expected or (expected - found) - optional):
        raise PlaceholderMismatch(msgid, expected, found)


@contextmanager
def catalog_lock(path: Path = LOCK_PATH) -> Iterator[None]:
    """Hold the catalogs' lock (the same ``flock`` the shell command takes)."""
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def _entry_text(message: Message, language: str) -> str:
    """One entry as Babel writes it, without the header."""
    single = Catalog(locale=language)
    single[message.id] = message
    buffer = io.BytesIO()
    write_po(buffer, single, width=0, omit_header=True)
    return buffer.getvalue().decode("utf-8").strip("\n")


def _msgid_line(msgid: str) -> str:
    escaped = msgid.replace("\\", "\\\\").replace('"', '\\"')
    return f'msgid "{escaped}"'


def replace_entry(path: Path, language: str, message: Message) -> None:
    """Write ``message`` over its entry in ``path`` (appended when it has none)."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    wanted = _msgid_line(msgid)
    new = _entry_text(message, language)
    for index, block in enumerate(blocks):
        lines = block.strip("\n").splitlines()
        if wanted in lines and not any(line.startswith("#~") for line in lines):
            lead = block[: len(block) - len(block.lstrip("\n"))]
            trail = block[len(block.rstrip("\n")):]
            blocks[index] = lead + new + trail
            path.write_text("\n\n".join(blocks), encoding="utf-8")
            return
    path.write_text(text.rstrip("\n") + "\n\n" + new + "\n", encoding="utf-8")


def compile_one(path: Path, language: str) -> Path:
    """Compile one catalog to its .mo (fuzzy strings included: a draft beats English)."""
    mo_path = path.with_suffix(".mo")
    with mo_path.open("wb") as fh:
        write_mo(fh, read(path, language), use_fuzzy=True)
    reload_catalogs()
    return mo_path


# ---- export and import for Weblate or Crowdin --------------------------------------------------

SOURCE_NOTE = "Danish: "


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, tuple | list) else (value or "",)


def _key(message: Message) -> str:
    return str(message.id if isinstance(message.id, str) else message.id[0])


def export_catalogs(locales_dir: Path, folder: Path, languages: tuple[str, ...]) -> list[Path]:
    """One ``<language>.po`` per language in ``folder``: every entry with its fuzzy flag and its
    comments, plus the Danish text as a comment so a translator sees both sources."""
    folder.mkdir(parents=True, exist_ok=True)
    danish = read(locales_dir / "da" / "LC_MESSAGES" / "messages.po", "da")
    written = []
    with catalog_lock():
        for language in languages:
            path = locales_dir / language / "LC_MESSAGES" / "messages.po"
            if not path.exists():
                continue
            catalog = read(path, language)
            if language != "da":
                for message in catalog:
                    source = danish.get(message.id) if message.id else None
                    if source is not None and _strings(source)[0]:
                        message.auto_comments.append(SOURCE_NOTE + _strings(source)[0])
            target = folder / f"{language}.po"
            with target.open("wb") as fh:
                write_po(fh, catalog, width=0, omit_header=False)
            written.append(target)
    return written


@dataclass
class ImportResult:
    language: str
    changed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def import_catalog(locales_dir: Path, file: Path, *, dry_run: bool = False) -> ImportResult:
    """Read a translated ``<language>.po`` back into the catalog.

    The whole file is refused (nothing written) when a text's placeholders differ from the English
    source's. Nothing is ever dropped: an id the file lacks, or an empty text in it, leaves the
    catalog's text as it is; an id the catalog does not know is reported, not added.
    """
    language = file.stem
    path = locales_dir / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        raise FileNotFoundError(f"{file.name}: there is no catalog for the language '{language}'")
    incoming = read(file, language)
    english = read(locales_dir / "en" / "LC_MESSAGES" / "messages.po", "en")
    result = ImportResult(language)
    with catalog_lock():
        catalog = read(path, language)
        changes: list[Message] = []
        for message in incoming:
            if not message.id:
                continue
            current = catalog.get(message.id)
            if current is None:
                result.unknown.append(_key(message))
                continue
            new = _strings(message)
            if not all(new):
                continue  # an untranslated entry in the tool never erases our text
            if new == _strings(current) and message.fuzzy == current.fuzzy:
                continue
            source = english.get(message.id)
            reference = _strings(source) if source is not None else _strings(current)
            optional = frozenset({"n"}) if len(reference) > 1 else frozenset()
            for index, text in enumerate(new):
                check_placeholders(_key(message), reference[min(index, len(reference) - 1)], text,
                                   optional=optional)
            current.string = new if isinstance(current.string, tuple | list) else new[0]
            if message.fuzzy:
                current.flags.add("fuzzy")
            else:
                current.flags.discard("fuzzy")
            changes.append(current)
            result.changed.append(_key(message))
        if changes and not dry_run:
            for current in changes:
                replace_entry(path, language, current)
            compile_one(path, language)
    return result


__all__ = [
    "ImportResult",
    "PlaceholderMismatch",
    "catalog_lock",
    "check_placeholders",
    "compile_one",
    "export_catalogs",
    "import_catalog",
    "placeholders",
    "read",
    "replace_entry",
]
