"""`bot chat --phone +4520123456`: hold a conversation from the terminal.

Each line typed is stored as an inbound SMS from ``--phone`` and run through the real pipeline
against the configured database; the replies go out through the simulator transport and are
printed as the phone would show them. Ctrl-D (or an empty line) ends the chat.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from sqlmodel import Session

from bot import clock
from bot.channels.models import SignatureVerdict
from bot.channels.simulator import SimulatorTransport
from bot.config import get_settings
from bot.db import make_engine


def chat(
    phone: Annotated[str, typer.Option("--phone", help="The sender's number, e.g. +4520123456")],
    say: Annotated[
        list[str] | None, typer.Option("--say", help="Send these lines in order, then stop")
    ] = None,
) -> None:
    """Chat as ``--phone`` with the assistant (simulator transport, local database)."""
    from bot.channels.dispatcher import dispatch
    from bot.channels.inbound_store import store_inbound
    from bot.composition import delivery_peers
    from bot.contacts.lookup import find_by_phone
    from bot.conversations.pipeline import process_inbound
    from bot.phones import try_normalise
    from bot.wiring import wire

    settings = get_settings()
    engine = make_engine(settings.database_url)
    wire()
    transport = SimulatorTransport()
    peers = delivery_peers()
    number = try_normalise(phone, settings.default_region) or phone
    with Session(engine) as session:
        contact = find_by_phone(session, number)
    if contact is None:
        typer.echo(f"{number} belongs to nobody: you are an unknown sender.")
    else:
        typer.echo(f"{number} is {contact.kind} {contact.id} ({contact.name}, {contact.language}).")
    lines = iter(say) if say else None
    while True:
        if lines is not None:
            text = next(lines, "")
            if text:
                typer.echo(f"> {text}")
        else:
            try:
                text = input("> ")
            except EOFError:
                break
        if not text.strip():
            break
        now = clock.utcnow()
        with Session(engine) as session:
            stored = store_inbound(
                session,
                provider_sid="SMchat" + uuid.uuid4().hex[:26],
                from_address=number,
                body=text,
                raw_payload={"From": number, "Body": text, "Source": "bot chat"},
                signature=SignatureVerdict.not_applicable,
                now=now,
                region=settings.default_region,
            )
        reply_ids = process_inbound(engine, stored.message_id, settings=settings, now=now)
        before = len(transport.sent)
        if reply_ids:
            dispatch(engine, settings, transport, now, only_ids=reply_ids, peers=peers)
        for sent in transport.sent[before:]:
            typer.echo(f"< {sent.body}")
        if len(transport.sent) == before:
            typer.echo("< (no reply)")
    engine.dispose()
