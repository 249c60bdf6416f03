"""The ``bot`` command: serve the app, run the demo, migrate, and manage users and API tokens.

With the app factory, this is the only place that wires concrete parts together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from bot.attendance.cli import import_attendance, ledger_app
from bot.chat_cli import chat
from bot.config import ConfigError, Settings, get_settings
from bot.i18n_cli import i18n_app
from bot.privacy.cli import privacy_app
from bot.reminders.cli import import_appointments

if TYPE_CHECKING:
    from sqlmodel import Session

app = typer.Typer(
    name="bot",
    help="The municipality's messaging assistant for the integration programme.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Staff users (for the admin panel and the API).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for staff.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")

# The domains' sub-commands: `bot i18n`, `bot chat`, `bot ledger`, `bot import`, `bot privacy`.
app.add_typer(i18n_app, name="i18n")
app.command("chat")(chat)
app.add_typer(ledger_app, name="ledger")
import_app = typer.Typer(help="Import files from partners; use --dry-run first.", no_args_is_help=True)
app.add_typer(import_app, name="import")
import_app.command("attendance")(import_attendance)
import_app.command("appointments")(import_appointments)
app.add_typer(privacy_app, name="privacy")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one line a person can act on and leave with ``code``."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def database_session(settings: Settings) -> Iterator[Session]:
    """A committing session on ``BOT_DATABASE_URL``; a database without tables gets a hint."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from bot.db import make_engine, session_scope

    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            yield session
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise fail(
            f"the database at BOT_DATABASE_URL is not ready ({reason}); run `bot db upgrade`"
        ) from None
    finally:
        engine.dispose()


def checked_settings(settings: Settings) -> Settings:
    try:
        settings.check()
    except ConfigError as exc:
        raise fail(str(exc), 2) from None
    return settings


def _serve(settings: Settings, host: str, port: int, *, json_logs: bool) -> None:
    import uvicorn

    from bot.app import create_app
    from bot.composition import all_domains
    from bot.logging_setup import configure_logging

    checked_settings(settings)  # refuse before touching logging or the database
    configure_logging(settings.log_level, json_lines=json_logs)
    try:
        application = create_app(settings, domains=all_domains())
    except ConfigError as exc:
        raise fail(str(exc), 2) from None
    # log_config=None keeps our one-line format for uvicorn's own messages too.
    uvicorn.run(application, host=host, port=port, log_config=None, proxy_headers=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    json_logs: Annotated[
        bool, typer.Option("--json-logs", help="Log JSON lines instead of key=value.")
    ] = False,
) -> None:
    """Serve the app (webhooks, API, admin panel) with the settings from the environment."""
    _serve(get_settings(), host, port, json_logs=json_logs)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Try it out: migrate the local database, load demo data once, serve with the SMS simulator."""
    from bot import wiring
    from bot.clock import utcnow
    from bot.composition import all_domains
    from bot.db import make_engine, session_scope
    from bot.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, load_demo_if_empty
    from bot.migrations import upgrade

    composition = wiring.wire(all_domains())

    # The demo never talks to Twilio, whatever the environment says.
    settings = get_settings().model_copy(update={"demo": True, "sms_transport": "simulator"})
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            loaded = load_demo_if_empty(session, settings=settings, now=utcnow(),
                                        seeders=composition.demo_seeders)
    finally:
        engine.dispose()
    base = f"http://{host}:{port}"
    typer.echo("")
    typer.echo("  Integration assistant demo" + (" (demo data loaded)" if loaded else ""))
    typer.echo(f"  Database:       {settings.database_url}")
    typer.echo(f"  SMS simulator:  {base}/simulator")
    typer.echo(f"  Admin panel:    {base}/admin")
    typer.echo(f"  API docs:       {base}/docs")
    typer.echo(f"  Demo login:     email {DEMO_ADMIN_EMAIL}  password {DEMO_PASSWORD}")
    typer.echo("")
    _serve(settings, host, port, json_logs=False)


@db_app.command("upgrade")
def db_upgrade(
    url: Annotated[str | None, typer.Option(help="Database URL (default: BOT_DATABASE_URL).")] = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema up to date (creates the SQLite file when missing).

    Also adds the starting FAQ entries employers are answered from, where they are missing;
    entries staff have edited are left as they are.
    """
    from bot.clock import utcnow
    from bot.db import make_engine, session_scope
    from bot.escalations import faq
    from bot.migrations import upgrade

    target = url or get_settings().database_url
    upgrade(target, revision=revision)
    typer.echo(f"database at {revision}: {target}")
    if revision == "head":
        engine = make_engine(target)
        try:
            with session_scope(engine) as session:
                added = faq.seed(session, now=utcnow())
        finally:
            engine.dispose()
        if added:
            typer.echo(f"added {added} starting FAQ entries for employers")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login email.")],
    password: Annotated[str, typer.Option(help="At least 8 characters.")],
    role: Annotated[str, typer.Option(help="consultant, caseworker, benefits, team_lead, admin, translator")],
    name: Annotated[str, typer.Option(help="Full name.")],
    phone: Annotated[str | None, typer.Option(help="Mobile number, any usual spelling.")] = None,
    languages: Annotated[str, typer.Option(help="Languages spoken, comma separated.")] = "da",
) -> None:
    """Add a staff user who can log in to the admin panel."""
    from bot.clock import utcnow
    from bot.contacts import service

    settings = get_settings()
    try:
        with database_session(settings) as session:
            staff = service.create_staff(
                session=session,
                name=name,
                email=email,
                role=role,
                phone=phone,
                languages=[code.strip() for code in languages.split(",") if code.strip()],
                password=password,
                region=settings.default_region,
                now=utcnow(),
            )
            typer.echo(f"created {staff.role.value} {staff.email} (id {staff.id})")
    except service.ContactInputError as exc:
        raise fail(f"--{exc.field}: {exc.message}") from None


@tokens_app.command("create")
def tokens_create(
    email: Annotated[str, typer.Option(help="Email of the staff user the token is for.")],
) -> None:
    """Make an API token; it is printed once, alone on the last line, and only its hash is kept."""
    from bot.api.auth import issue_token
    from bot.clock import utcnow
    from bot.contacts import service

    with database_session(get_settings()) as session:
        staff = service.staff_by_email(session=session, email=email)
        if staff is None or staff.id is None:
            raise fail(f"--email: no staff user has the email {email}; add one with `bot users create`")
        if not staff.active:
            raise fail(f"--email: {email} is deactivated")
        token = issue_token(session, staff_id=staff.id, now=utcnow())
    typer.echo(
        f"API token for {staff.email} ({staff.role.value}); send it as 'Authorization: Bearer <token>':"
    )
    typer.echo(token)


def main() -> None:
    app(prog_name="bot")


if __name__ == "__main__":  # pragma: no cover
    main()
