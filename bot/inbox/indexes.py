"""Indexes that the inbox's search needs on other domains' tables.

Message text is searched only within the most recently active conversations (``search``), so
the search reads every stored text of up to ``TEXT_SCOPE`` phones. On SQLite a partial index on
``(phone, created_at, body)`` of the messages that have a text answers that from the index alone,
instead of one table read per message (most of them outbound, queued as a message id without a
body). PostgreSQL keeps long texts out of B-trees (a row over about 2.7 kB cannot be indexed);
there the migration adds trigram indexes (``pg_trgm``) instead, which the models do not declare.
"""

from __future__ import annotations

from sqlalchemy import Index, Table, text

from bot.channels.models import Message

_MESSAGES: Table = Message.__table__  # type: ignore[attr-defined]

MESSAGE_TEXT = Index(
    "ix_message_text", _MESSAGES.c.phone, _MESSAGES.c.created_at, _MESSAGES.c.body,
    sqlite_where=text("body IS NOT NULL"),
).ddl_if(dialect="sqlite")
