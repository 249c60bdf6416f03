"""Each role sees its own part and nothing else, proven over HTTP: outside your remit is a 404."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from bot.items import service as items


def _items(db: Session, world: dict, now: datetime) -> dict[str, int]:  # type: ignore[type-arg]
    made = {
        "amal_sick": items.open(
            db,
            kind="sick_notice",
            summary="Reported sick",
            now=now,
            citizen_id=world["amal"].id,
            due_at=now + timedelta(hours=4),
        ),
        "bashir_unconfirmed": items.open(
            db, kind="unconfirmed", summary="Meeting not confirmed", now=now, citizen_id=world["bashir"].id
        ),
        "bakery_handover": items.open(
            db, kind="handover", summary="Wants a call", now=now, employer_id=world["bakery"].id
        ),
        "unknown": items.open(db, kind="unknown_sender", summary="Who is this", now=now, phone="+4599999999"),
        "decision": items.open(db, kind="hearing_awaiting_decision", summary="Decide case H-1", now=now),
    }
    db.commit()
    return {key: item.id for key, item in made.items()}  # type: ignore[misc]


def test_consultant_sees_own_citizen_and_gets_404_for_another(world, login) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    assert anna.get(f"/admin/citizens/{world['amal'].id}").status_code == 200
    other = anna.get(f"/admin/citizens/{world['bashir'].id}")
    assert other.status_code == 404
    assert "Bashir" not in other.text
    listing = anna.get("/admin/citizens").text
    assert "Amal Hassan" in listing and "Bashir Ahmadi" not in listing
    export = anna.get("/admin/citizens.csv").text
    assert "Amal Hassan" in export and "Bashir Ahmadi" not in export


def test_consultant_sees_own_companies_only(world, login) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    assert anna.get(f"/admin/companies/{world['bakery'].id}").status_code == 200
    assert anna.get(f"/admin/companies/{world['dock'].id}").status_code == 404
    listing = anna.get("/admin/companies").text
    assert "Bageriet ApS" in listing and "Havnen A/S" not in listing


def test_consultant_conversations_are_limited_to_own_people(world, login) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    assert anna.get("/admin/conversations/+4520000001").status_code == 200
    assert anna.get("/admin/conversations/+4530000001").status_code == 200
    assert anna.get("/admin/conversations/+4520000002").status_code == 404
    assert anna.get("/admin/conversations/+4530000002").status_code == 404
    assert anna.get("/admin/conversations/+4599999999").status_code == 404


def test_consultant_open_items_are_their_own(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    ids = _items(db, world, now)
    anna = login(world["anna"])
    home = anna.get("/admin/").text
    assert "Reported sick" in home and "Wants a call" in home
    assert "Meeting not confirmed" not in home and "Who is this" not in home and "Decide case" not in home
    token = anna.get("/admin/").text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = anna.post(f"/admin/items/{ids['bashir_unconfirmed']}/resolve", data={"csrf_token": token})
    assert refused.status_code == 404
    export = anna.get("/admin/items.csv").text
    assert "Reported sick" in export and "Meeting not confirmed" not in export


def test_caseworker_sees_absence_work_of_all_citizens_but_no_companies(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _items(db, world, now)
    caseworker = login(world["caseworker"])
    assert caseworker.get(f"/admin/citizens/{world['amal'].id}").status_code == 200
    assert caseworker.get(f"/admin/citizens/{world['bashir'].id}").status_code == 200
    assert caseworker.get(f"/admin/companies/{world['bakery'].id}").status_code == 404
    assert caseworker.get("/admin/companies").status_code == 404
    home = caseworker.get("/admin/").text
    assert "Reported sick" in home
    assert "Wants a call" not in home and "Who is this" not in home


def test_benefits_sees_decisions_and_no_citizen_pages(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _items(db, world, now)
    benefits = login(world["benefits"])
    assert benefits.get(f"/admin/citizens/{world['amal'].id}").status_code == 404
    assert benefits.get("/admin/citizens").status_code == 404
    assert benefits.get("/admin/citizens.csv").status_code == 404
    assert benefits.get("/admin/conversations/+4520000001").status_code == 404
    home = benefits.get("/admin/").text
    assert "Decide case H-1" in home
    assert "Reported sick" not in home and "Wants a call" not in home


def test_team_lead_sees_everything_but_the_admin_pages(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _items(db, world, now)
    lead = login(world["lead"])
    for path in (
        f"/admin/citizens/{world['amal'].id}",
        f"/admin/citizens/{world['bashir'].id}",
        f"/admin/companies/{world['dock'].id}",
        "/admin/conversations/+4599999999",
    ):
        assert lead.get(path).status_code == 200, path
    home = lead.get("/admin/").text
    for summary in (
        "Reported sick",
        "Meeting not confirmed",
        "Wants a call",
        "Who is this",
        "Decide case H-1",
    ):
        assert summary in home
    assert lead.get("/admin/audit").status_code == 200  # the team lead oversees the team
    assert lead.get("/admin/sla").status_code == 200
    settings = lead.get("/admin/settings")  # what counts against attendance, not the environment
    assert settings.status_code == 200 and "BOT_SECRET_KEY" not in settings.text


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/settings", "/admin/sla"])
def test_only_admin_sees_admin_pages(world, login, path: str) -> None:  # type: ignore[no-untyped-def]
    assert login(world["admin"]).get(path).status_code == 200
    roles = ("anna", "caseworker", "benefits")
    for role in roles:
        assert login(world[role]).get(path).status_code == 404


def test_admin_sees_no_personal_data(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _items(db, world, now)
    admin = login(world["admin"])
    assert admin.get(f"/admin/citizens/{world['amal'].id}").status_code == 404
    assert admin.get("/admin/conversations/+4520000001").status_code == 404
    home = admin.get("/admin/").text
    assert "Reported sick" not in home and "Who is this" not in home


def test_unassigned_unknown_sender_is_opened_for_the_assignee(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    items.open(
        db,
        kind="unknown_sender",
        summary="Given to Bo",
        now=now,
        phone="+4588888888",
        assignee_id=world["bo"].id,
    )
    db.commit()
    assert login(world["bo"]).get("/admin/conversations/+4588888888").status_code == 200
    assert login(world["anna"]).get("/admin/conversations/+4588888888").status_code == 404


def test_team_lead_gives_an_unknown_sender_to_a_consultant(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item = items.open(db, kind="unknown_sender", summary="Who wrote", now=now, phone="+4577777777")
    db.commit()
    item_id = item.id
    db.expunge_all()
    anna = login(world["anna"])
    assert anna.get(f"/admin/items/{item_id}").status_code == 404
    lead = login(world["lead"])
    page = lead.get(f"/admin/items/{item_id}")
    assert page.status_code == 200 and "Giv opgaven til" in page.text
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = anna.post(
        f"/admin/items/{item_id}/assign",
        data={
            "csrf_token": anna.get("/admin/").text.split('name="csrf_token" value="')[1].split('"')[0],
            "assignee_id": world["anna"].id,
        },
    )
    assert refused.status_code == 404
    done = lead.post(
        f"/admin/items/{item_id}/assign", data={"csrf_token": token, "assignee_id": world["anna"].id}
    )
    assert done.status_code == 303
    assert "Who wrote" in anna.get("/admin/").text
    assert anna.get("/admin/conversations/+4577777777").status_code == 200
