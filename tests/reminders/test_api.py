"""The appointments API, CSV import and the calendar feed, as a case system and a phone use them."""

from datetime import UTC, datetime

import time_machine
from icalendar import Calendar
from sqlmodel import Session, select

from bot.channels.models import Message
from bot.contacts.models import Citizen, Role

from .helpers import employer_with_contact

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def _citizen(engine, consultant_id, phone="+4520000001", language="da"):
    with Session(engine, expire_on_commit=False) as s:
        row = Citizen(name="Amina", phone=phone, language=language, consultant_id=consultant_id)
        s.add(row)
        s.commit()
        return row.id


@time_machine.travel(NOW, tick=False)
def test_create_list_move_and_cancel(client, engine, make_user):
    me = make_user(Role.consultant, "kon@kommune.dk")
    citizen_id = _citizen(engine, me.id)
    made = client.post("/api/v1/appointments", headers=me.headers, json={
        "citizen_id": citizen_id, "kind": "meeting", "starts_at": "2026-11-26T10:00:00",
        "location": "Rådhuset"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["starts_at"] == "2026-11-26T09:00:00+00:00"
    assert [r["kind"] for r in body["reminders"]] == ["before_24h", "before_2h"]

    listed = client.get("/api/v1/appointments", headers=me.headers,
                        params={"citizen_id": citizen_id, "from": "2026-11-26T00:00:00", "to": "2026-11-27T00:00:00"})
    assert [a["id"] for a in listed.json()] == [body["id"]]
    assert client.get("/api/v1/appointments", headers=me.headers,
                      params={"from": "2026-11-27T00:00:00"}).json() == []

    moved = client.patch(f"/api/v1/appointments/{body['id']}", headers=me.headers,
                         json={"starts_at": "2026-11-27T13:00:00+01:00"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "moved"
    cancelled = client.patch(f"/api/v1/appointments/{body['id']}", headers=me.headers,
                             json={"status": "cancelled", "reason": "Konsulent syg"})
    assert cancelled.json()["status"] == "cancelled"
    assert {r["status"] for r in cancelled.json()["reminders"]} == {"cancelled"}
    with Session(engine) as s:
        assert [m.template for m in s.exec(select(Message).order_by(Message.id))] == [
            "reminder.moved", "reminder.cancelled"]


@time_machine.travel(NOW, tick=False)
def test_bad_input_names_the_field_and_other_caseloads_are_hidden(client, engine, make_user):
    me = make_user(Role.consultant, "kon@kommune.dk")
    other = make_user(Role.consultant, "anden@kommune.dk")
    citizen_id = _citizen(engine, me.id)
    bad = client.post("/api/v1/appointments", headers=me.headers, json={
        "citizen_id": citizen_id, "kind": "party", "starts_at": "2026-11-26T10:00:00"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "kind"
    backwards = client.post("/api/v1/appointments", headers=me.headers, json={
        "citizen_id": citizen_id, "kind": "meeting", "starts_at": "2026-11-26T10:00:00",
        "ends_at": "2026-11-26T09:00:00"})
    assert backwards.status_code == 422 and backwards.json()["detail"][0]["field"] == "ends_at"
    made = client.post("/api/v1/appointments", headers=me.headers, json={
        "citizen_id": citizen_id, "kind": "meeting", "starts_at": "2026-11-26T10:00:00"}).json()
    assert client.get(f"/api/v1/appointments/{made['id']}", headers=other.headers).status_code == 404
    assert client.get("/api/v1/appointments", headers=other.headers).json() == []
    refused = client.post("/api/v1/appointments", headers=other.headers, json={
        "citizen_id": citizen_id, "kind": "meeting", "starts_at": "2026-11-26T10:00:00"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "citizen_id"


@time_machine.travel(NOW, tick=False)
def test_placement_and_series(client, engine, make_user):
    me = make_user(Role.consultant, "kon@kommune.dk")
    citizen_id = _citizen(engine, me.id)
    with Session(engine, expire_on_commit=False) as s:
        employer, contact = employer_with_contact(s)
        s.commit()
    placement = client.post("/api/v1/placements", headers=me.headers, json={
        "citizen_id": citizen_id, "employer_id": employer.id, "kind": "internship",
        "start_date": "2026-11-30", "contact_id": contact.id,
        "weekly_schedule": [{"weekday": 0, "start": "09:30", "end": "14:00"}]})
    assert placement.status_code == 201, placement.text
    series = client.post("/api/v1/appointments/series", headers=me.headers, json={
        "citizen_id": citizen_id, "kind": "internship_day", "weekdays": [0, 2],
        "start_time": "09:30", "end_time": "14:00", "first_date": "2026-11-30", "until_date": "2026-12-09",
        "placement_id": placement.json()["id"]})
    assert series.status_code == 201, series.text
    assert len(series.json()) == 4
    assert series.json()[0]["location"] == "Stengade 1, Helsingør"
    assert [p["id"] for p in client.get("/api/v1/placements", headers=me.headers,
                                        params={"citizen_id": citizen_id}).json()] == [placement.json()["id"]]


@time_machine.travel(NOW, tick=False)
def test_csv_dry_run_lists_every_bad_row_and_a_bad_file_imports_nothing(client, engine, make_user):
    me = make_user(Role.consultant, "kon@kommune.dk")
    citizen_id = _citizen(engine, me.id)
    content = (
        "citizen_id,kind,starts_at,location\n"
        f"{citizen_id},meeting,2026-11-26 10:00,Rådhuset\n"
        f"{citizen_id},party,2026-11-26 11:00,Rådhuset\n"
        f"{citizen_id},class,26/11/2026,Sprogcenter\n"
        "999,meeting,2026-11-26 10:00,Rådhuset\n"
    )
    dry = client.post("/api/v1/appointments/import", headers=me.headers, params={"dry_run": "true"},
                      files={"file": ("a.csv", content.encode(), "text/csv")})
    assert dry.status_code == 422
    assert [(p["line"], p["column"]) for p in dry.json()["problems"]] == [
        (3, "kind"), (4, "starts_at"), (5, "citizen_id")]
    real = client.post("/api/v1/appointments/import", headers=me.headers,
                       files={"file": ("a.csv", content.encode(), "text/csv")})
    assert real.status_code == 422 and real.json()["imported"] == 0
    assert client.get("/api/v1/appointments", headers=me.headers).json() == []
    good = "citizen_id,kind,starts_at\n" + f"{citizen_id},meeting,2026-11-26 10:00\n"
    ok = client.post("/api/v1/appointments/import", headers=me.headers,
                     files={"file": ("a.csv", good.encode(), "text/csv")})
    assert ok.status_code == 200 and ok.json()["imported"] == 1


def test_calendar_feed_at_a_secret_address_that_can_be_revoked(client, engine, make_user):
    with time_machine.travel(NOW, tick=False):
        me = make_user(Role.consultant, "kon@kommune.dk")
        citizen_id = _citizen(engine, me.id, language="en")
        client.post("/api/v1/appointments", headers=me.headers, json={
            "citizen_id": citizen_id, "kind": "job_interview", "starts_at": "2026-11-26T10:00:00",
            "location": "Hansen Byg"})
        made = client.post(f"/api/v1/citizens/{citizen_id}/calendar-token", headers=me.headers)
        assert made.status_code == 201
        url = made.json()["url"]
        assert url.startswith("https://bot.example.dk/calendar/") and url.endswith(".ics")
        path = url.removeprefix("https://bot.example.dk")
        feed = client.get(path)
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
        assert [(str(e["summary"]), str(e["location"])) for e in events] == [("job interview", "Hansen Byg")]
        assert events[0].decoded("dtstart") == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        assert client.delete(f"/api/v1/citizens/{citizen_id}/calendar-token",
                             headers=me.headers).status_code == 204
        assert client.get(path).status_code == 404
