"""The inbox line's preview is the newest text the conversation holds, one statement for a page."""

from __future__ import annotations

from datetime import timedelta

from bot.channels import outbox
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, MessageStatus, SignatureVerdict
from bot.inbox.listing import previews_by_phone

AMINA = "+4520000001"
OMAR = "+4520000002"
NOBODY = "+4520000003"


def _inbound(session, phone, body, at, sid):  # type: ignore[no-untyped-def]
    store_inbound(session, provider_sid=sid, from_address=phone, body=body, raw_payload={},
                  signature=SignatureVerdict.valid, now=at)


def test_each_phone_shows_its_newest_text_and_a_message_queued_without_text_is_passed_over(session, now):  # type: ignore[no-untyped-def]
    _inbound(session, AMINA, "Jeg er syg i dag", now - timedelta(hours=3), "SM" + "1" * 32)
    _inbound(session, AMINA, "Jeg kommer i morgen", now - timedelta(hours=2), "SM" + "2" * 32)
    _inbound(session, OMAR, "Hvornår er mit møde?", now - timedelta(hours=1), "SM" + "3" * 32)
    # Newer than Amina's texts, but a reminder queued as a message id: it has no text yet.
    outbox.enqueue(session, phone=AMINA, template="reminder.meeting", params={}, language="da",
                   purpose="reminder", contact_kind="citizen", contact_id=None, now=now)
    session.commit()

    previews = previews_by_phone(session, [AMINA, OMAR, NOBODY])

    assert previews == {AMINA: "Jeg kommer i morgen", OMAR: "Hvornår er mit møde?"}


def test_a_long_text_is_cut_for_the_line(session, now):  # type: ignore[no-untyped-def]
    _inbound(session, AMINA, "syg " * 100, now, "SM" + "4" * 32)

    assert len(previews_by_phone(session, [AMINA])[AMINA]) == 140
    assert previews_by_phone(session, []) == {}


def test_the_assistants_answer_is_no_preview_what_the_contact_wrote_is(session, now):  # type: ignore[no-untyped-def]
    """Staff scan the inbox for what people wrote; the receipt sent back would hide it."""
    _inbound(session, AMINA, "ana 3ayyan", now - timedelta(minutes=2), "SM" + "5" * 32)
    session.add(Message(direction=Direction.outbound, phone=AMINA, status=MessageStatus.sent, created_at=now,
                        body="Vi har modtaget din sygemelding S-2026-000001."))
    session.commit()

    assert previews_by_phone(session, [AMINA]) == {AMINA: "ana 3ayyan"}
