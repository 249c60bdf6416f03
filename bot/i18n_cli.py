"""`bot i18n extract | update | compile | status | export | import`: the catalogs' life cycle.

``export`` and ``import`` round-trip the catalogs through a translation tool (``bot.i18n_review``).

``update`` adds every id in the template that a catalog lacks, untranslated (English, then
Danish, shows until someone translates it). In the translated catalogs an id the code no
longer uses becomes obsolete (kept as a ``#~`` comment, so no translator's work is lost, and
no longer compiled). The English and Danish catalogs are only ever added to by hand.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment, nodes

from bot import i18n_review as review
from bot.i18n import LANGUAGES, LOCALES_DIR, compile_catalogs

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = LOCALES_DIR / "messages.pot"
KEYWORDS = ("N_", "NP_:1,2")
SOURCE_LANGUAGES = frozenset({"en", "da"})
# Symbolic ids ("reply.help") are texts sent to people; English phrases are admin page texts.
SYMBOLIC_ID = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
# Symbolic ids of printed pages (the hearing letter): translated like SMS texts, never sent as one.
PRINTED_PREFIXES = ("hearing.letter.",)


def is_sms_id(msgid: str) -> bool:
    """True for an id whose text goes out as an SMS (and so must fit three segments)."""
    return bool(SYMBOLIC_ID.match(msgid)) and not msgid.startswith(PRINTED_PREFIXES)


def extract_jinja_calls(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extractor for message ids that a Jinja2 template passes to a translating function.

    Jinja2's own ``babel_extract`` only sees calls to a bare name (``_("x")``); the hearing
    letter calls a method of its section (``s.t("hearing.letter.title", deadline=...)``). This
    finds ``<name>("id")`` and ``<anything>.<name>("id")`` for each name in the ``functions``
    option (comma separated) of the babel.cfg section, and yields the literal first argument.
    """
    functions = {f.strip() for f in str(options.get("functions", "t")).split(",") if f.strip()}
    source = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    for call in Environment(autoescape=True).parse(source).find_all(nodes.Call):
        callee = call.node
        name = callee.attr if isinstance(callee, nodes.Getattr) else getattr(callee, "name", None)
        if name not in functions or not call.args:
            continue
        first = call.args[0]
        if isinstance(first, nodes.Const) and isinstance(first.value, str):
            yield call.lineno, None, first.value, []


i18n_app = typer.Typer(
    help="Message catalogs: extract, update, compile, status, export and import.", no_args_is_help=True
)


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def write_catalog(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)


def extract(output: Path = TEMPLATE) -> Path:
    args = [
        "pybabel",
        "-q",
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "--no-location",
        "--sort-output",
        "-o",
        str(output),
    ]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    # Paths in babel.cfg are relative to the project root, so that is the input directory.
    CommandLineInterface().run([*args, str(ROOT)])
    return output


def new_catalog(language: str) -> Catalog:
    catalog = Catalog(locale=Locale.parse(language), project="integration-bot", fuzzy=False)
    return catalog


def update(template: Path = TEMPLATE) -> dict[str, int]:
    """Bring each translated catalog in line with the template; returns the changes per language."""
    pot = read_catalog(template)
    added: dict[str, int] = {}
    for language in LANGUAGES:
        if language in SOURCE_LANGUAGES:
            # Everyone appends English and Danish texts to these two; an empty entry added
            # here would only shadow theirs. A missing one shows in `status` all the same.
            added[language] = 0
            continue
        path = po_path(language)
        # Read right before writing: others append English and Danish texts to these files.
        catalog = read_catalog(path, language) if path.exists() else new_catalog(language)
        count = 0
        wanted = {m.id for m in pot if m.id}
        for message in list(catalog):
            if message.id and message.id not in wanted:
                key = message.id if isinstance(message.id, str) else message.id[0]
                catalog.obsolete[key] = message
                del catalog[message.id]
                count += 1
        for message in pot:
            if not message.id or message.id in catalog:
                continue
            string: str | tuple[str, ...] = ""
            if message.pluralizable:
                string = ("",) * catalog.num_plurals
            catalog.add(message.id, string, auto_comments=message.auto_comments)
            count += 1
        if count or not path.exists():
            write_catalog(path, catalog)
        added[language] = count
    return added


@dataclass(frozen=True)
class Status:
    language: str
    translated: int
    fuzzy: int
    missing: int


def status(template: Path = TEMPLATE, *, sms_only: bool = False) -> list[Status]:
    pot_ids = [m.id for m in read_catalog(template) if m.id]
    if sms_only:
        pot_ids = [i for i in pot_ids if is_sms_id(i if isinstance(i, str) else i[0])]
    rows = []
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read_catalog(path, language) if path.exists() else new_catalog(language)
        translated = fuzzy = missing = 0
        for msgid in pot_ids:
            message = catalog.get(msgid)
            strings = message.string if message is not None else ""
            values = strings if isinstance(strings, tuple | list) else (strings,)
            if message is None or not all(values):
                missing += 1
            elif message.fuzzy:
                fuzzy += 1
            else:
                translated += 1
        rows.append(Status(language, translated, fuzzy, missing))
    return rows


@i18n_app.command("extract")
def extract_command() -> None:
    """Write bot/locales/messages.pot from the code and the flow definitions."""
    typer.echo(f"wrote {extract()}")


@i18n_app.command("update")
def update_command() -> None:
    """Add new ids from the template to every language's catalog (never removes any)."""
    for language, count in update().items():
        typer.echo(f"{language}: {count} added")


@i18n_app.command("compile")
def compile_command() -> None:
    """Compile every catalog to .mo (drafted, fuzzy texts included)."""
    for path in compile_catalogs():
        typer.echo(f"compiled {path.relative_to(ROOT)}")


@i18n_app.command("status")
def status_command(
    sms: Annotated[
        bool, typer.Option("--sms", help="Only texts sent by SMS, not admin or printed page texts")
    ] = False,
) -> None:
    """Translated, fuzzy (drafted, not reviewed) and missing strings per language."""
    typer.echo(f"{'language':<9}{'translated':>11}{'fuzzy':>7}{'missing':>9}")
    for row in status(sms_only=sms):
        typer.echo(f"{row.language:<9}{row.translated:>11}{row.fuzzy:>7}{row.missing:>9}")


@i18n_app.command("export")
def export_command(
    folder: Annotated[Path, typer.Argument(help="Where to write one <language>.po per language")],
    language: Annotated[
        list[str] | None, typer.Option("--language", "-l", help="Only these languages (repeatable)")
    ] = None,
) -> None:
    """Write the catalogs for Weblate or Crowdin: fuzzy flags, comments and the Danish source kept."""
    languages = tuple(language) if language else LANGUAGES
    for path in review.export_catalogs(LOCALES_DIR, folder, languages):
        typer.echo(f"wrote {path}")


@i18n_app.command("import")
def import_command(
    folder: Annotated[Path, typer.Argument(help="A folder of <language>.po files, or one file")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count; write nothing")] = False,
) -> None:
    """Read translated .po files back. A file whose placeholders differ from the source is refused
    whole; texts the file lacks or leaves empty stay as they are."""
    files = [folder] if folder.is_file() else sorted(folder.glob("*.po"))
    refused = False
    for file in files:
        try:
            result = review.import_catalog(LOCALES_DIR, file, dry_run=dry_run)
        except (review.PlaceholderMismatch, FileNotFoundError) as error:
            typer.echo(f"{file.name}: refused, nothing written: {error}", err=True)
            refused = True
            continue
        typer.echo(f"{result.language}: {len(result.changed)} changed"
                   + (f", {len(result.unknown)} unknown ids left out" if result.unknown else ""))
    if refused:
        raise typer.Exit(1)


if __name__ == "__main__":
    i18n_app()
