"""Marking an item done in the panel can be taken back for a minute, by whoever did it."""

from __future__ import annotations

from datetime import timedelta

from bot.items import service as items
from bot.items.models import OpenItem
from tests.admin.conftest import csrf_of


def test_undo_within_the_minute_and_not_after(world, login, db, now, clock) -> None:  # type: ignore[no-untyped-def]
    item = items.open(db, kind="handover", summary="Wants a call back", now=now, citizen_id=world["amal"].id)
    db.commit()
    item_id = item.id
    anna = login(world["anna"])
    token = csrf_of(anna.get("/admin/").text)
    assert anna.post(f"/admin/items/{item_id}/resolve", data={"csrf_token": token}).status_code == 303
    home = anna.get("/admin/").text
    assert "Markeret som klaret: Wants a call back" in home and f'action="/admin/items/{item_id}/undo"' in home
    clock.shift(timedelta(seconds=59))
    assert anna.post(f"/admin/items/{item_id}/undo", data={"csrf_token": token}).status_code == 303
    db.expire_all()
    assert db.get(OpenItem, item_id).resolved_at is None
    db.rollback()
    assert anna.post(f"/admin/items/{item_id}/resolve", data={"csrf_token": token}).status_code == 303
    clock.shift(timedelta(seconds=61))
    assert f'action="/admin/items/{item_id}/undo"' not in anna.get("/admin/").text  # the offer is gone
    assert anna.post(f"/admin/items/{item_id}/undo", data={"csrf_token": token}).status_code == 409
    db.expire_all()
    assert db.get(OpenItem, item_id).resolved_at is not None


def test_someone_elses_done_cannot_be_undone(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item = items.open(db, kind="handover", summary="Wants a call back", now=now, citizen_id=world["amal"].id)
    db.commit()
    item_id = item.id
    anna, lead = login(world["anna"]), login(world["lead"])
    assert anna.post(f"/admin/items/{item_id}/resolve",
                     data={"csrf_token": csrf_of(anna.get("/admin/").text)}).status_code == 303
    assert lead.post(f"/admin/items/{item_id}/undo",
                     data={"csrf_token": csrf_of(lead.get("/admin/").text)}).status_code == 409
