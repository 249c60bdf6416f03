"""Searching message text: the newest matches first, only in texts, only in recent conversations."""

from __future__ import annotations

from datetime import timedelta

from bot.access import Viewer
from bot.channels import outbox
from bot.channels.inbound_store import store_inbound
from bot.channels.models import SignatureVerdict
from bot.contacts.models import Role
from bot.conversations.models import Conversation
from bot.inbox import search

AMINA = "+4520000001"
OMAR = "+4520000002"
LEAD = Viewer(staff_id=1, role=Role.team_lead)


def test_matches_come_newest_first_across_conversations_and_ignore_case(session, now):  # type: ignore[no-untyped-def]
    texts = [(AMINA, "Jeg er SYG", 5), (OMAR, "Min søn er syg", 3), (AMINA, "Stadig syg i dag", 1),
             (OMAR, "Tak for beskeden", 0)]
    for n, (phone, body, hours_ago) in enumerate(texts):
        store_inbound(session, provider_sid=f"SM{n:032d}", from_address=phone, body=body, raw_payload={},
                      signature=SignatureVerdict.valid, now=now - timedelta(hours=hours_ago))
    outbox.enqueue(session, phone=AMINA, template="reminder.meeting", params={"what": "syg"}, language="da",
                   purpose="reminder", contact_kind="citizen", contact_id=None, now=now)
    session.add_all([Conversation(phone=AMINA, last_inbound_at=now - timedelta(hours=1)),
                     Conversation(phone=OMAR, last_inbound_at=now)])
    session.commit()

    hits = search.messages(session, LEAD, "syg")

    assert [hit.snippet for hit in hits] == ["Stadig syg i dag", "Min søn er syg", "Jeg er SYG"]
    assert [hit.phone for hit in hits] == [AMINA, OMAR, AMINA]


def test_a_phone_without_a_conversation_is_not_searched(session, now):  # type: ignore[no-untyped-def]
    store_inbound(session, provider_sid="SM" + "9" * 32, from_address=AMINA, body="Jeg er syg", raw_payload={},
                  signature=SignatureVerdict.valid, now=now)

    assert search.messages(session, LEAD, "syg") == []
