"""A stranger is answered in the language they wrote in, then in Danish, through the pipeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.conversations.pipeline import process_inbound
from bot.i18n import render
from bot.sms_segments import count_segments
from tests.channels.helpers import open_items

FIRST_MESSAGES = {
    "da": "Hej, hvem er det?", "en": "Hello, who is this?", "ar": "مرحبا، من أنتم؟",
    "fa": "سلام، شما کی هستید؟", "ps": "سلام، تاسو څوک یاست؟", "ti": "ሰላም፣ መን ኢኹም?",
    "so": "Salaan, yaad tihiin?", "uk": "Добрий день, хто це?", "ku": "Silav, hûn kî ne? ez nexweş im",
}


def _answer(engine: Engine, settings: Any, now: datetime, body: str, sid: str = "SM" + "1" * 32) -> list[Message]:
    with Session(engine) as session:
        stored = store_inbound(
            session, provider_sid=sid, from_address="+4520998877", body=body,
            raw_payload={}, signature=SignatureVerdict.valid, now=now,
        )
    process_inbound(engine, stored.message_id, settings=settings, now=now)
    with Session(engine) as session:
        query = select(Message).where(Message.direction == Direction.outbound)
        return list(session.exec(query.order_by(Message.id)).all())  # type: ignore[arg-type]


@pytest.mark.parametrize("language", sorted(FIRST_MESSAGES))
def test_the_reply_is_in_the_language_written_then_danish(
    engine: Engine, settings: Any, now: datetime, language: str
) -> None:
    replies = _answer(engine, settings, now, FIRST_MESSAGES[language])

    expected = [(language, "reply.unknown_sender_in")]
    if language != "da":
        expected.append(("da", "reply.unknown_sender_in"))
    assert [(m.locale, m.template) for m in replies] == expected
    for reply in replies:
        assert count_segments(render("reply.unknown_sender_in", reply.locale or "")).count <= 2
    [item] = open_items(engine, "unknown_sender")
    assert item.phone == "+4520998877"


def test_no_sign_of_a_language_gets_the_danish_english_arabic_text(
    engine: Engine, settings: Any, now: datetime
) -> None:
    [reply] = _answer(engine, settings, now, "?")
    assert (reply.locale, reply.template) == ("da", "reply.unknown_sender")


def test_the_texts_differ_by_language_and_say_the_message_reached_staff() -> None:
    texts = {language: render("reply.unknown_sender_in", language) for language in FIRST_MESSAGES}
    assert len(set(texts.values())) == len(texts)
    assert "medarbejder" in texts["da"] and "staff" in texts["en"]
