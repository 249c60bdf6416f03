"""``bot privacy export|erase|retention``: registered in ``bot.cli``.

Every command names the staff member who asked (``--by``), so the audit entry says who did it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from bot.config import get_settings

privacy_app = typer.Typer(help="Personal data: access requests, erasure, retention.", no_args_is_help=True)

CitizenOption = Annotated[int, typer.Option("--citizen", help="The citizen's id.")]
ByOption = Annotated[str, typer.Option("--by", help="Email of the staff member who asked (audit log).")]


@contextmanager
def _session() -> Iterator[Session]:
    from bot.db import make_engine, session_scope

    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _staff_id(session: Session, email: str) -> int:
    from bot.contacts import service

    staff = service.staff_by_email(session=session, email=email)
    if staff is None or staff.id is None:
        typer.echo(f"error: --by: no staff user has the email {email}", err=True)
        raise typer.Exit(1)
    return staff.id


@privacy_app.command("export")
def export(
    citizen: CitizenOption,
    by: ByOption,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here (default: standard output).")] = None,
) -> None:
    """Everything held about a citizen, as JSON (an access request)."""
    from bot.clock import utcnow
    from bot.privacy.service import export_citizen

    with _session() as session:
        try:
            data = export_citizen(session, citizen_id=citizen, staff_id=_staff_id(session, by), now=utcnow())
        except LookupError as exc:
            typer.echo(f"error: --citizen: {exc}", err=True)
            raise typer.Exit(1) from None
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")


@privacy_app.command("erase")
def erase(
    citizen: CitizenOption,
    by: ByOption,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase a citizen's messages, sick-notice texts and identity, unless a hearing case holds them."""
    from bot.clock import utcnow
    from bot.privacy.service import erase_citizen

    if not yes:
        typer.echo("error: erasure cannot be undone; add --yes to confirm", err=True)
        raise typer.Exit(2)
    with _session() as session:
        try:
            result = erase_citizen(session, citizen_id=citizen, staff_id=_staff_id(session, by), now=utcnow())
        except LookupError as exc:
            typer.echo(f"error: --citizen: {exc}", err=True)
            raise typer.Exit(1) from None
    if result.held:
        typer.echo(f"citizen {citizen} has an open hearing case: nothing was erased (legal hold)", err=True)
        raise typer.Exit(1)
    typer.echo(f"erased citizen {citizen}: {result.messages_erased} messages, "
               f"{result.records_erased} sick-notice texts")


@privacy_app.command("retention")
def retention() -> None:
    """Run the retention sweep now (the scheduler runs it every hour)."""
    from bot.clock import utcnow
    from bot.db import make_engine
    from bot.privacy.jobs import retention_job

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        retention_job(engine, settings, None, utcnow())
    finally:
        engine.dispose()
    typer.echo(f"retention sweep done (BOT_RETENTION_DAYS={settings.retention_days})")
