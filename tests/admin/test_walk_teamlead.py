"""A team lead's day on a phone (360 x 740) in Chromium, through the panel only.

She gives a waiting employer ticket to a colleague, reads how quickly each consultant answered
this month, moves the quiet hours by half an hour, and finds her change in the audit log. Every
page she sees is saved at 360 x 740 and at 1280 x 800 under test-artifacts/walks/teamlead/.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import clock
from bot.contacts.models import Employer, EmployerContact, Role, Staff
from bot.escalations.models import Ticket, TicketKind, TicketStatus
from bot.preferences import operating
from bot.preferences.service import get_preference
from tests.admin import test_browser, walks
from tests.admin.conftest import password_hash

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page

PHONE = walks.PHONE
ZONE = "Europe/Copenhagen"


def _shoot(page: Any, name: str) -> None:
    walks.shoot(page, "teamlead", name)


def _fits(page: Any) -> None:
    walks.fits(page)


def _last_month(now: datetime) -> datetime:
    """Noon on the 5th of last month (local time), whatever day the test runs."""
    local = now.astimezone(ZoneInfo(ZONE))
    first = local.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return (first - timedelta(days=1)).replace(day=5).astimezone(UTC)


def _seed(engine: Engine) -> dict[str, Any]:
    """Two consultants; a ticket waits with Anna now; last month Anna answered one in time and
    one late, Bo one in time."""
    now = clock.utcnow()
    then = _last_month(now)
    day = timedelta(hours=24)
    with Session(engine, expire_on_commit=False) as db:
        people = [
            Staff(name=name, email=email, role=role, password_hash=password_hash())
            for name, email, role in (
                ("Lene Holm", "lead@kommune.dk", Role.team_lead),
                ("Anna Berg", "anna@kommune.dk", Role.consultant),
                ("Bo Dahl", "bo@kommune.dk", Role.consultant),
            )
        ]
        db.add_all(people)
        db.commit()
        lead, anna, bo = people
        bakery = Employer(name="Bageriet ApS", consultant_id=anna.id)
        db.add(bakery)
        db.commit()
        baker = EmployerContact(employer_id=bakery.id, name="Mette Bager", phone="+4530000001")
        db.add(baker)
        db.commit()
        rows = [
            (anna, now - timedelta(hours=2), None, "Praktikanten møder ikke ind"),
            (anna, then, timedelta(hours=1), "Kan vi få en praktikant mere?"),
            (anna, then, timedelta(hours=30), "Hvornår starter hun?"),
            (bo, then, timedelta(hours=2), "Spørgsmål om løntilskud"),
        ]
        tickets = []
        for n, (who, opened, answer, summary) in enumerate(rows):
            ticket = Ticket(reference=f"V-{opened.year}-{n + 1:06d}", employer_id=bakery.id, contact_id=baker.id,
                            kind=TicketKind.question, assignee_id=who.id, summary=summary, created_at=opened,
                            response_due_at=opened + day, first_response_at=opened + answer if answer else None,
                            status=TicketStatus.solved if answer else TicketStatus.open)
            db.add(ticket)
            tickets.append(ticket)
        db.commit()
        return {"lead": lead.id, "anna": anna.id, "bo": bo.id, "waiting": tickets[0].id,
                "month": then.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m")}


def test_a_team_leads_day_on_a_phone(server, browser_engine, page) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(browser_engine)
    page.set_viewport_size(PHONE)
    test_browser._sign_in(page, server, "lead@kommune.dk")
    _fits(page)
    _shoot(page, "01-home")

    # A ticket waits with Anna, who is ill today: the team lead opens it and gives it to Bo.
    page.get_by_role("link", name=re.compile("Praktikanten møder ikke ind")).click()
    page.get_by_label("Giv henvendelsen til").wait_for()
    _fits(page)
    _shoot(page, "02-ticket")
    # She reassigns where she reads who has it, on the first screen, not below the visit forms.
    box = page.get_by_role("button", name="Flyt").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    page.get_by_label("Giv henvendelsen til").select_option(label="Bo Dahl")
    page.get_by_role("button", name="Flyt").click()
    page.get_by_text("Bo Dahl").first.wait_for()
    _fits(page)
    _shoot(page, "03-ticket-reassigned")
    with Session(browser_engine) as db:
        assert db.get(Ticket, ids["waiting"]).assignee_id == ids["bo"]

    # How quickly did each consultant answer employers last month?
    walks.menu(page)  # on a phone the header's menu is folded
    page.locator('header.top a[href="/admin/sla"]').click()
    page.get_by_role("heading", name="Svartider til virksomheder").wait_for()
    page.get_by_label("Måned").select_option(ids["month"])
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url(f"**month={ids['month']}")
    anna = page.locator("tr", has_text="Anna Berg")
    assert "50 %" in anna.inner_text()  # one of two answered within 24 hours
    assert "100 %" in page.locator("tr", has_text="Bo Dahl").inner_text()
    _fits(page)
    _shoot(page, "04-sla-report")

    # Quiet hours from 20:30 instead of 21:00; a typo first, shown beside the field.
    walks.menu(page)  # on a phone the header's menu is folded
    page.locator('header.top a[href="/admin/settings"]').click()
    page.get_by_role("heading", name="Stille timer").wait_for()
    _fits(page)
    _shoot(page, "05-settings")
    page.get_by_label("Stille fra (fx 21:00)").fill("25:30")
    page.get_by_role("button", name="Gem stille timer").click()
    page.get_by_text("Skriv et klokkeslæt, fx 21:00.").wait_for()
    assert page.get_by_label("Stille fra (fx 21:00)").input_value() == "25:30"  # what she typed
    _fits(page)
    _shoot(page, "06-settings-error")
    page.get_by_label("Stille fra (fx 21:00)").fill("20:30")
    page.get_by_role("button", name="Gem stille timer").click()
    page.get_by_text("Sidst ændret").first.wait_for()
    assert page.get_by_label("Stille fra (fx 21:00)").input_value() == "20:30"
    with Session(browser_engine) as db:
        quiet = get_preference(db, operating.QUIET_HOURS)
        assert quiet is not None and quiet.start.strftime("%H:%M") == "20:30"

    # The audit log says who changed what.
    walks.menu(page)  # on a phone the header's menu is folded
    page.locator('header.top a[href="/admin/audit"]').click()
    page.get_by_role("heading", name="Revisionslog").wait_for()
    row = page.locator("tr", has_text="Ændrede en indstilling")
    assert "Lene Holm" in row.inner_text() and "Stille timer" in row.inner_text()
    _fits(page)
    _shoot(page, "07-audit-log")
    with Session(browser_engine) as db:
        assert db.exec(select(Ticket).where(Ticket.assignee_id == ids["bo"])).all()
