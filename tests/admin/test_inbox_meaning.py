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


def test_a_text_sent_in_another_language_shows_its_danish_and_a_danish_one_does_not(
    world, login, db, now
) -> None:  # type: ignore[no-untyped-def]
    for locale, when in (("ti", 5), ("da", 4)):
        db.add(
            Message(
                direction=Direction.outbound,
                phone="+4520000001",
                template="reply.help",
                params={},
                locale=locale,
                status=MessageStatus.delivered,
                created_at=now - timedelta(minutes=when),
            )
        )
    db.commit()
    db.expunge_all()
    html = login(world["anna"]).get("/admin/conversations/+4520000001").text
    assert html.count("På dansk:") == 1  # under the Tigrinya text only
    danish = render("reply.help", "da", {}).split("\n")[0][:30]
    assert danish in html.replace("&#34;", '"').replace("&#39;", "'")


def test_a_number_answering_how_long_is_not_read_as_no(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    answer = Message(direction=Direction.inbound, phone="+4520000001", body="2", status=MessageStatus.processed,
                     created_at=now - timedelta(minutes=2))
    db.add(answer)
    db.commit()
    db.add(Message(direction=Direction.outbound, phone="+4520000001", template="ack.sick_notice.plural",
                   params={"start": "الأربعاء 2 ديسمبر", "n": 2}, locale="ar", status=MessageStatus.delivered,
                   in_reply_to_id=answer.id, created_at=now - timedelta(minutes=2)))
    db.commit()
    db.expunge_all()
    html = login(world["anna"]).get("/admin/conversations/+4520000001").text
    assert "Assistenten forstod: Et tal valgt fra spørgsmålet" in html
    assert "Assistenten forstod: Nej" not in html


def test_a_denial_reads_as_one_and_english_on_an_arabic_phone_is_called_english(  # type: ignore[no-untyped-def]
    world, login, db, now
) -> None:
    from admin.timeline import meaning_of

    for body, language, intent in (("I'm not sick", "English", "Says they are not sick"),
                                   ("انا لست مريضة", "Arabic", "Says they are not sick")):
        inbound = Message(direction=Direction.inbound, phone="+4520000001", body=body,
                          status=MessageStatus.processed, created_at=now)
        reply = Message(direction=Direction.outbound, phone="+4520000001", template="reply.help", params={},
                        locale="ar", status=MessageStatus.delivered, created_at=now)
        meaning = meaning_of(inbound, [reply])
        assert meaning is not None and (meaning.language, meaning.intent) == (language, intent)
