"""``bot import appointments FILE [--dry-run]``: appointments from a CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.config import get_settings


def import_appointments(
    file: Annotated[Path, typer.Argument(help="CSV with a header row; see `bot/reminders/csv_import.py`.",
                                         exists=True, dir_okay=False, readable=True)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and import nothing.")] = False,
) -> None:
    """Import appointments; every bad row is listed, and a file with one bad row imports nothing."""
    from bot.clock import utcnow
    from bot.db import make_engine, session_scope
    from bot.reminders.config import build_policy
    from bot.reminders.csv_import import import_appointments as run_import

    settings = get_settings()
    try:
        content = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        typer.echo(f"{file.name}: the file is not UTF-8 text; save it as CSV UTF-8", err=True)
        raise typer.Exit(1) from None
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            policy = build_policy(settings, session=session)
            result = run_import(session, content, policy=policy, now=utcnow(),
                                region=settings.default_region, dry_run=dry_run)
    finally:
        engine.dispose()
    for problem in result.problems:
        typer.echo(f"{file.name}:{problem.line}: {problem.column}: {problem.message}", err=True)
    if result.problems:
        typer.echo(f"{len(result.problems)} problem(s) in {result.rows} row(s); nothing was imported.")
        raise typer.Exit(1)
    if dry_run:
        typer.echo(f"{result.rows} row(s) checked, no problems; run again without --dry-run to import.")
    else:
        typer.echo(f"imported {len(result.created_ids)} appointment(s) with their reminders.")
