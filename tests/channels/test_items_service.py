"""Open items: opened once per key, resolved, listed most urgent first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.items import service as items


def test_open_is_idempotent_by_key_and_reopens_after_resolve(session: Session, now: datetime) -> None:
    first = items.open(session, kind="unknown_sender", summary="who?", now=now, dedupe_key="k1", phone="+4520123456")
    again = items.open(session, kind="unknown_sender", summary="who?", now=now, dedupe_key="k1")
    assert first.id == again.id
    assert [i.id for i in items.list_open(session, kind="unknown_sender")] == [first.id]

    assert first.id is not None
    items.resolve(session, first.id, now=now + timedelta(hours=1))
    assert items.list_open(session) == []

    reopened = items.open(session, kind="unknown_sender", summary="who?", now=now, dedupe_key="k1")
    assert reopened.id != first.id
    session.commit()


def test_list_open_filters_and_orders_by_due(session: Session, now: datetime) -> None:
    late = items.open(session, kind="a", summary="later", now=now, due_at=now + timedelta(days=2))
    soon = items.open(session, kind="b", summary="soon", now=now, due_at=now + timedelta(hours=1))
    undated = items.open(session, kind="a", summary="no due", now=now)
    assert [i.id for i in items.list_open(session)] == [soon.id, late.id, undated.id]
    assert [i.id for i in items.list_open(session, kind=["a"])] == [late.id, undated.id]
    assert items.list_open(session, phone="+4500000000") == []
