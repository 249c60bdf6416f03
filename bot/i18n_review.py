"""Editing one catalog entry in place: what the review page and `bot i18n import` write.

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


def check_placeholders(msgid: str, source: str, translation: str) -> None:
    """Refuse ``translation`` when its placeholders are not exactly those of ``source``."""
    expected, found = placeholders(source), placeholders(translation)
    if translation and expected != found:
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


__all__ = [
    "PlaceholderMismatch",
    "catalog_lock",
    "check_placeholders",
    "compile_one",
    "placeholders",
    "read",
    "replace_entry",
]
