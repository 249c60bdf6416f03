import pytest

from bot.contacts import service
from bot.contacts.models import Role


def test_phone_spellings_are_one_person(session, now):
    citizen = service.create_citizen(session=session, name="Amal Hassan", phone="0045 20 12 34 56", now=now)
    assert citizen.phone == "+4520123456"
    for spelling in ("+45 20 12 34 56", "20123456", "+4520123456", "٢٠١٢٣٤٥٦"):
        with pytest.raises(service.PhoneTaken) as clash:
            service.create_staff(session=session, name="X", email=f"x{len(spelling)}@k.dk", phone=spelling, now=now)
        assert clash.value.owner_kind == "citizen" and clash.value.owner_id == citizen.id
        assert "Amal Hassan" in clash.value.message


def test_a_number_of_a_staff_member_cannot_go_to_an_employer_contact(session, now):
    staff = service.create_staff(session=session, name="Mette", email="m@k.dk", phone="61223344",
                                 role=Role.consultant, now=now)
    employer = service.create_employer(session=session, name="Hansen Byg ApS", cvr="DK-12 34 56 78", now=now)
    assert employer.cvr == "12345678"
    with pytest.raises(service.PhoneTaken, match=f"staff member {staff.id} \\(Mette\\)"):
        service.create_employer_contact(session=session, employer_id=employer.id, name="Lars",
                                        phone="+45 61 22 33 44", now=now)


def test_clearing_a_number_frees_it(session, now):
    first = service.create_citizen(session=session, name="A", phone="20123456", now=now)
    service.update_citizen(session=session, citizen=first, changes={"phone": None}, now=now)
    second = service.create_citizen(session=session, name="B", phone="20123456", now=now)
    assert first.phone is None and second.phone == "+4520123456"


def test_consultant_must_exist(session, now):
    with pytest.raises(service.ContactInputError) as refused:
        service.create_citizen(session=session, name="A", phone=None, consultant_id=999, now=now)
    assert refused.value.field == "consultant_id"


def test_other_regions(session, now):
    citizen = service.create_citizen(session=session, name="A", phone="030 1234567", region="DE", now=now)
    assert citizen.phone == "+49301234567"


def test_listing_filters_by_consultant(session, now):
    mette = service.create_staff(session=session, name="Mette", email="m@k.dk", now=now)
    service.create_citizen(session=session, name="A", phone=None, consultant_id=mette.id, now=now)
    service.create_citizen(session=session, name="B", phone=None, now=now)
    assert [c.name for c in service.list_citizens(session=session, consultant_id=mette.id)] == ["A"]
    assert len(service.list_citizens(session=session)) == 2
