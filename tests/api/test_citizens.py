import pytest

from bot.contacts import service
from bot.db import session_scope


@pytest.mark.parametrize(
    "spelling",
    ["+45 20 12 34 56", "0045 20123456", "20123456", "+4520123456", "٢٠١٢٣٤٥٦", "۲۰۱۲۳۴۵۶", "20-12-34-56"],
)
def test_every_usual_spelling_is_stored_as_e164(client, lead, spelling):
    response = client.post(
        "/api/v1/citizens", json={"name": "Amal Hassan", "phone": spelling, "language": "ar"}, headers=lead.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["phone"] == "+4520123456"


@pytest.mark.parametrize("spelling", ["123", "abc", "+45 2012", "0045"])
def test_impossible_numbers_are_refused_with_a_422_naming_the_field(client, lead, spelling):
    response = client.post("/api/v1/citizens", json={"name": "Amal Hassan", "phone": spelling}, headers=lead.headers)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "phone"
    assert spelling in problem["message"]
    assert "phone number" in problem["message"]


def test_a_missing_name_and_an_unknown_language_are_named(client, lead):
    response = client.post("/api/v1/citizens", json={"phone": "20123456"}, headers=lead.headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "name", "message": "This field is required."}]
    response = client.post("/api/v1/citizens", json={"name": "A", "language": "xx"}, headers=lead.headers)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "language" and "'xx' is not a supported language" in problem["message"]


def test_a_number_cannot_belong_to_two_contacts_of_any_kind(client, lead, engine, now):
    with session_scope(engine) as session:
        employer = service.create_employer(session=session, name="Hansen Byg ApS", cvr="12345678", now=now)
        contact = service.create_employer_contact(
            session=session, employer_id=employer.id, name="Lars Hansen", phone="+4520123456", now=now
        )
    response = client.post(
        "/api/v1/citizens", json={"name": "Amal Hassan", "phone": "0045 20 12 34 56"}, headers=lead.headers
    )
    assert response.status_code == 409
    [problem] = response.json()["detail"]
    assert problem["field"] == "phone"
    assert problem["message"] == f"+4520123456 already belongs to employer contact {contact.id} (Lars Hansen)"

    staff_clash = client.post(
        "/api/v1/citizens", json={"name": "Amal Hassan", "phone": "+4531000000"}, headers=lead.headers
    )
    assert staff_clash.status_code == 201
    response = client.patch(f"/api/v1/staff/{lead.id}", json={"phone": "31000000"}, headers=lead.headers)
    assert response.status_code == 403  # only admins change staff; the service check below covers staff
    with session_scope(engine) as session, pytest.raises(service.PhoneTaken, match="citizen"):
        service.update_staff(session=session, staff=service.get_staff(session=session, staff_id=lead.id),
                             changes={"phone": "31 00 00 00"})


def test_a_citizen_keeps_their_own_number_on_update(client, lead):
    created = client.post("/api/v1/citizens", json={"name": "Amal", "phone": "20123456"}, headers=lead.headers)
    citizen_id = created.json()["id"]
    response = client.patch(
        f"/api/v1/citizens/{citizen_id}", json={"phone": "+45 20 12 34 56", "language": "so"}, headers=lead.headers
    )
    assert response.status_code == 200
    assert response.json()["language"] == "so"


def test_consultants_see_only_their_own_citizens(client, consultant, other_consultant, lead):
    mine = client.post("/api/v1/citizens", json={"name": "Amal Hassan"}, headers=consultant.headers).json()
    theirs = client.post("/api/v1/citizens", json={"name": "Yonas Tesfay"}, headers=other_consultant.headers).json()
    assert mine["consultant_id"] == consultant.id

    assert client.get(f"/api/v1/citizens/{mine['id']}", headers=consultant.headers).status_code == 200
    hidden = client.get(f"/api/v1/citizens/{theirs['id']}", headers=consultant.headers)
    assert hidden.status_code == 404
    assert client.patch(
        f"/api/v1/citizens/{theirs['id']}", json={"name": "X"}, headers=consultant.headers
    ).status_code == 404
    listed = client.get("/api/v1/citizens", headers=consultant.headers).json()
    assert [c["id"] for c in listed] == [mine["id"]]

    everyone = client.get("/api/v1/citizens", headers=lead.headers).json()
    assert {c["id"] for c in everyone} == {mine["id"], theirs["id"]}


def test_caseworkers_read_every_citizen_but_change_none(client, consultant, caseworker):
    citizen = client.post("/api/v1/citizens", json={"name": "Amal Hassan"}, headers=consultant.headers).json()
    assert client.get(f"/api/v1/citizens/{citizen['id']}", headers=caseworker.headers).status_code == 200
    assert client.patch(
        f"/api/v1/citizens/{citizen['id']}", json={"name": "X"}, headers=caseworker.headers
    ).status_code == 403
    assert client.post("/api/v1/citizens", json={"name": "X"}, headers=caseworker.headers).status_code == 403


def test_a_consultant_cannot_move_a_citizen_to_someone_else(client, consultant, other_consultant, lead):
    citizen = client.post("/api/v1/citizens", json={"name": "Amal Hassan"}, headers=consultant.headers).json()
    refused = client.patch(
        f"/api/v1/citizens/{citizen['id']}", json={"consultant_id": other_consultant.id}, headers=consultant.headers
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "consultant_id"
    moved = client.patch(
        f"/api/v1/citizens/{citizen['id']}", json={"consultant_id": other_consultant.id}, headers=lead.headers
    )
    assert moved.json()["consultant_id"] == other_consultant.id


def test_opting_out_records_when(client, lead):
    citizen = client.post("/api/v1/citizens", json={"name": "Amal"}, headers=lead.headers).json()
    assert citizen["opted_out"] is False
    changed = client.patch(f"/api/v1/citizens/{citizen['id']}", json={"opted_out": True}, headers=lead.headers).json()
    assert changed["opted_out"] is True
    assert changed["opted_out_at"].endswith("+00:00")


def test_unknown_fields_are_refused(client, lead):
    response = client.post("/api/v1/citizens", json={"name": "Amal", "telefon": "20123456"}, headers=lead.headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "telefon", "message": "This field is not known; remove it."}]


def test_ids_beyond_64_bits_are_refused_not_crashed(client, lead):
    response = client.get(f"/api/v1/citizens/{2**63}", headers=lead.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "citizen_id"
    response = client.post("/api/v1/citizens", json={"name": "A", "consultant_id": 2**70}, headers=lead.headers)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "consultant_id"


def test_reading_a_citizen_is_audited(client, engine, lead):
    from sqlmodel import Session, select

    from bot.audit.models import AuditEntry

    citizen = client.post("/api/v1/citizens", json={"name": "Amal"}, headers=lead.headers).json()
    client.get(f"/api/v1/citizens/{citizen['id']}", headers=lead.headers)
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry)).all()
    assert [(e.staff_id, e.action, e.subject) for e in entries] == [(lead.id, "view", f"citizen:{citizen['id']}")]


def test_another_citizens_number_needs_shares_phone(client, lead):
    fatima = client.post("/api/v1/citizens", json={"name": "Fatima Hassan", "phone": "+45 20 99 88 77"},
                         headers=lead.headers).json()
    refused = client.post("/api/v1/citizens", json={"name": "Omar Hassan", "phone": "20998877"}, headers=lead.headers)
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem == {"field": "phone", "message": (
        f'+4520998877 already belongs to citizen {fatima["id"]} (Fatima Hassan); '
        'if they share this phone, send "shares_phone": true with it')}
    omar = client.post("/api/v1/citizens", json={"name": "Omar Hassan", "phone": "20998877", "shares_phone": True},
                       headers=lead.headers)
    assert omar.status_code == 201 and omar.json()["shared_with"] == [{"id": fatima["id"], "first_name": "Fatima"}]
    assert "shares_phone" not in omar.json()
    # Keeping the shared number asks nothing; moving to another household's number asks again.
    kept = client.patch(f"/api/v1/citizens/{omar.json()['id']}", json={"phone": "+4520998877", "language": "ar"},
                        headers=lead.headers)
    assert kept.status_code == 200
    sara = client.post("/api/v1/citizens", json={"name": "Sara Noor", "phone": "20554433"}, headers=lead.headers)
    path = f"/api/v1/citizens/{sara.json()['id']}"
    assert client.patch(path, json={"phone": "20998877"}, headers=lead.headers).status_code == 422
    moved = client.patch(path, json={"phone": "20998877", "shares_phone": True}, headers=lead.headers)
    assert moved.status_code == 200 and len(moved.json()["shared_with"]) == 2
