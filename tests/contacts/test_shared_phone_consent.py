"""Another citizen's number is taken only when staff say the two share a phone: a typo must not
put someone on a stranger's phone. Keeping a number already shared asks nothing."""

from __future__ import annotations

import pytest

from bot.contacts import service


def test_a_citizens_number_is_refused_naming_the_holder_until_staff_say_they_share_it(session, now):
    fatima = service.create_citizen(session=session, name="Fatima Hassan", phone="+45 20 99 88 77", now=now)
    with pytest.raises(service.PhoneShared) as refused:
        service.create_citizen(session=session, name="Omar Hassan", phone="20998877", now=now)
    assert refused.value.field == "phone" and refused.value.phone == "+4520998877"
    assert [(h.id, h.name) for h in refused.value.holders] == [(fatima.id, "Fatima Hassan")]
    assert "shares_phone" in refused.value.message and "Fatima Hassan" in refused.value.message
    omar = service.create_citizen(session=session, name="Omar Hassan", phone="20998877", now=now,
                                  shares_phone=True)
    assert omar.phone == fatima.phone
    assert [s["first_name"] for s in omar.shared_with] == ["Fatima"]


def test_keeping_a_shared_number_asks_nothing_and_a_new_one_asks_again(session, now):
    fatima = service.create_citizen(session=session, name="Fatima Hassan", phone="20998877", now=now)
    omar = service.create_citizen(session=session, name="Omar Hassan", phone="20998877", now=now,
                                  shares_phone=True)
    service.update_citizen(session=session, citizen=omar, changes={"phone": "+45 20 99 88 77", "name": "Omar H"},
                           now=now)
    assert omar.phone == fatima.phone and omar.name == "Omar H"
    sara = service.create_citizen(session=session, name="Sara Noor", phone="20554433", now=now)
    with pytest.raises(service.PhoneShared) as refused:
        service.update_citizen(session=session, citizen=sara, changes={"phone": "20998877"}, now=now)
    assert [h.name for h in refused.value.holders] == ["Fatima Hassan", "Omar H"]
    service.update_citizen(session=session, citizen=sara, changes={"phone": "20998877", "shares_phone": True},
                           now=now)
    assert sara.phone == "+4520998877"


def test_sharing_never_opens_another_kind_of_contacts_number(session, now):
    staff = service.create_staff(session=session, name="Mette", email="m@k.dk", phone="61223344", now=now)
    with pytest.raises(service.PhoneTaken) as refused:
        service.create_citizen(session=session, name="Amal", phone="61223344", now=now, shares_phone=True)
    assert refused.value.owner_id == staff.id
    # A free number with the box ticked is simply the citizen's.
    amal = service.create_citizen(session=session, name="Amal", phone="20123456", now=now, shares_phone=True)
    assert amal.phone == "+4520123456" and amal.shared_with == []
