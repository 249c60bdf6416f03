import pytest
from sqlmodel import Session

from bot.contacts import centres
from bot.contacts import service as contacts
from bot.contacts.lookup import find_by_phone
from bot.contacts.service import ContactInputError, PhoneTaken


def test_a_centre_contact_gets_an_e164_number_unique_across_contacts(engine, now):
    with Session(engine) as s:
        centre = centres.create_centre(session=s, name="Sprogcenter Helsingør", now=now)
        contact = centres.create_centre_contact(session=s, centre_id=centre.id, name="Lone",
                                                phone="20 11 22 33", language="da", now=now)
        assert contact.phone == "+4520112233"
        assert find_by_phone(s, "+4520112233").kind == "centre_contact"
        contacts.create_citizen(session=s, name="Amal", phone="+4520999999", language="ar", now=now)
        with pytest.raises(PhoneTaken, match="citizen"):
            centres.create_centre_contact(session=s, centre_id=centre.id, name="X", phone="20999999", now=now)
        with pytest.raises(PhoneTaken, match="centre_contact"):
            centres.create_centre_contact(session=s, centre_id=centre.id, name="Y", phone="+45 20112233", now=now)
        with pytest.raises(ContactInputError) as err:
            centres.create_centre_contact(session=s, centre_id=centre.id, name="Z", phone="12", now=now)
        assert err.value.field == "phone"
        assert [c.name for c in centres.contacts_of_centre(session=s, centre_id=centre.id)] == ["Lone"]


def test_centre_names_are_unique(engine, now):
    with Session(engine) as s:
        centres.create_centre(session=s, name="Sprogcenter", now=now)
        with pytest.raises(ContactInputError, match="already exists"):
            centres.create_centre(session=s, name=" Sprogcenter ", now=now)
