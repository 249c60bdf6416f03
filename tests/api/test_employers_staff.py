def test_employer_with_cvr_and_a_contact(client, consultant):
    employer = client.post(
        "/api/v1/employers",
        json={"name": "Hansen Byg ApS", "cvr": "12 34 56 78", "consultant_id": consultant.id},
        headers=consultant.headers,
    )
    assert employer.status_code == 201, employer.text
    body = employer.json()
    assert {k: body[k] for k in ("name", "cvr", "consultant_id", "paused")} == {
        "name": "Hansen Byg ApS", "cvr": "12345678", "consultant_id": consultant.id, "paused": False,
    }
    contact = client.post(
        f"/api/v1/employers/{body['id']}/contacts",
        json={"name": "Lars Hansen", "phone": "0045 40 11 22 33"},
        headers=consultant.headers,
    ).json()
    assert contact["employer_id"] == body["id"] and contact["phone"] == "+4540112233"
    listed = client.get(f"/api/v1/employers/{body['id']}/contacts", headers=consultant.headers).json()
    assert [c["id"] for c in listed] == [contact["id"]]
    paused = client.patch(f"/api/v1/employers/{body['id']}", json={"paused": True}, headers=consultant.headers)
    assert paused.json()["paused"] is True


def test_bad_and_duplicate_cvr_are_refused(client, lead):
    bad = client.post("/api/v1/employers", json={"name": "A", "cvr": "1234"}, headers=lead.headers)
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{"field": "cvr", "message": "'1234' is not a CVR number; it must be 8 digits"}]
    first = client.post("/api/v1/employers", json={"name": "A", "cvr": "12345678"}, headers=lead.headers).json()
    again = client.post("/api/v1/employers", json={"name": "B", "cvr": "12345678"}, headers=lead.headers)
    assert again.status_code == 422
    assert again.json()["detail"][0]["message"] == f"CVR 12345678 already belongs to employer {first['id']} (A)"


def test_contacts_of_a_missing_employer_are_404(client, lead):
    assert client.get("/api/v1/employers/999/contacts", headers=lead.headers).status_code == 404


def test_admin_creates_staff_and_the_password_is_never_shown(client, admin):
    response = client.post(
        "/api/v1/staff",
        json={"name": "Mette Jensen", "email": "Mette@Kommune.dk", "role": "consultant",
              "phone": "+45 61 00 00 01", "languages": ["da", "ar"], "password": "long enough"},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "mette@kommune.dk" and body["phone"] == "+4561000001"
    assert body["languages"] == ["da", "ar"] and body["role"] == "consultant"
    assert "password" not in body and "password_hash" not in body
    duplicate = client.post(
        "/api/v1/staff", json={"name": "M", "email": "mette@kommune.dk"}, headers=admin.headers
    )
    assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["field"] == "email"


def test_an_unknown_role_is_named(client, admin):
    response = client.post("/api/v1/staff", json={"name": "M", "email": "m@k.dk", "role": "boss"}, headers=admin.headers)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "role" and "consultant" in problem["message"]
