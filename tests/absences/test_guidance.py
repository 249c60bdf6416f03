import pytest
from sqlmodel import Session

from bot.channels.models import Message
from bot.contacts.service import NotFound
from bot.hearings import guidance


def test_guidance_exists_in_danish_and_english_with_placeholders_for_the_municipality():
    assert {"da", "en"} <= set(guidance.available_languages())
    for language in ("da", "en"):
        text = guidance.guidance_text(language)
        assert len(text.version) == 64
        assert 'class="placeholder"' in text.html
        assert "partshøring" in text.html


def test_an_unknown_or_crafted_language_is_not_found():
    for bad in ("xx", "../letters", "da.html"):
        with pytest.raises(NotFound):
            guidance.guidance_text(bad)


def test_the_record_says_which_version_was_delivered(engine, world, now):
    with Session(engine) as s:
        delivery = guidance.send_guidance(s, citizen_id=world.citizen.id, staff_id=world.consultant.id, now=now,
                                          public_url="https://bot.example.dk/")
        s.commit()
        # the citizen reads Arabic; the Arabic text is a draft, so the approved English one is delivered
        assert (delivery.language, delivery.requested_language) == ("en", "ar")
        assert delivery.version == guidance.guidance_text("en").version
        sms = s.get(Message, delivery.message_id)
        assert sms.template == "guidance.sent" and sms.locale == "ar"
        assert sms.params["url"] == "https://bot.example.dk/guidance/en"
        world.citizen.language = "da"
        s.add(world.citizen)
        assert guidance.send_guidance(s, citizen_id=world.citizen.id, staff_id=None, now=now,
                                      public_url="https://x").language == "da"
        assert len(guidance.deliveries_of(s, citizen_id=world.citizen.id)) == 2


def test_a_draft_translation_goes_out_only_when_staff_allow_it(engine, world, now):
    assert guidance.guidance_text("ar").draft and guidance.guidance_text("ar").rtl
    assert not guidance.guidance_text("da").draft
    with Session(engine) as s:
        delivery = guidance.send_guidance(s, citizen_id=world.citizen.id, staff_id=None, now=now,
                                          public_url="https://x", allow_draft=True)
        assert (delivery.language, delivery.draft) == ("ar", True)
