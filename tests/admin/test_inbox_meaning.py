"""A message in Tigrinya shows, on the conversation's timeline, what the assistant understood."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.models import Direction, Message, MessageStatus
from bot.i18n import render


def test_other_language_message_shows_its_intent_and_the_danish_reply(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    inbound = Message(
        direction=Direction.inbound,
        phone="+4520000001",
        body="ሓሚመ ኣለኹ",
        status=MessageStatus.processed,
        created_at=now - timedelta(minutes=3),
    )
    danish = Message(
        direction=Direction.inbound,
        phone="+4520000001",
        body="Jeg er syg",
        status=MessageStatus.processed,
        created_at=now - timedelta(minutes=2),
    )
    db.add_all([inbound, danish])
    db.commit()
    db.add(
        Message(
            direction=Direction.outbound,
            phone="+4520000001",
            template="reply.help",
            params={},
            locale="ti",
            status=MessageStatus.delivered,
            in_reply_to_id=inbound.id,
            created_at=now - timedelta(minutes=3),
        )
    )
    db.commit()
    db.expunge_all()
    html = login(world["anna"]).get("/admin/conversations/+4520000001").text
    assert "Skrevet på tigrinya" in html and "Melder sig syg" in html
    assert render("reply.help", "da", {}).split("\n")[0][:30] in html.replace("&#34;", '"').replace(
        "&#39;", "'"
    )
    assert html.count('class="meaning"') == 1  # the Danish message needs no help
