"""``bot ledger verify`` and ``bot import attendance``: registered in ``bot.cli``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.config import get_settings

ledger_app = typer.Typer(help="The tamper-evident message ledger.", no_args_is_help=True)


@ledger_app.command("verify")
def ledger_verify(
    url: Annotated[str | None, typer.Option(help="Database URL (default: BOT_DATABASE_URL).")] = None,
) -> None:
    """Check the hash chain over every stored message; name the first broken link (exit code 1)."""
    from sqlmodel import Session

    from bot.channels import ledger
    from bot.db import make_engine

    engine = make_engine(url or get_settings().database_url)
    try:
        with Session(engine) as session:
            verdict = ledger.check(session)
    finally:
        engine.dispose()
    if verdict.ok:
        typer.echo(f"ledger intact: {verdict.checked} messages checked")
        return
    typer.echo(f"ledger broken at message {verdict.broken_id}: {verdict.reason} "
               f"({verdict.checked} messages checked)", err=True)
    raise typer.Exit(1)


def import_attendance(
    file: Annotated[Path, typer.Argument(help="CSV from a language centre or a company.", exists=True,
                                         dir_okay=False, readable=True)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and change nothing.")] = False,
) -> None:
    """Import attendance outcomes; a file with one bad row imports nothing (exit code 1)."""
    from bot.attendance import importer
    from bot.clock import utcnow
    from bot.db import make_engine, session_scope

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            report = importer.import_attendance(
                session, content=file.read_bytes(), name=file.name, dry_run=dry_run, now=utcnow(),
                tz=settings.timezone, region=settings.default_region,
            )
    finally:
        engine.dispose()
    for error in report.errors:
        typer.echo(f"{file.name}:{error.line}: {error.field}: {error.message}", err=True)
    if report.errors:
        typer.echo(f"nothing imported: {len(report.errors)} bad row(s)", err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo(f"dry run: {len(report.rows)} row(s) are fine; run without --dry-run to import")
    else:
        typer.echo(f"imported {report.imported} outcome(s) from {file.name}")
