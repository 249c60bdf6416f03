"""A team lead on a phone (360 x 740) merges two tickets about one matter and plans the visit.

Screenshots of each step go to test-artifacts/ (ignored by git), for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import clock
from bot.config import Settings
from bot.escalations import service
from bot.escalations.models import Ticket, TicketStatus
from tests.admin import test_browser

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page
WIDTH = 360


def _shot(page: Any, name: str) -> None:
    test_browser.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(test_browser.ARTIFACTS / f"tickets-360-{name}.png"), full_page=True)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_team_lead_merges_two_tickets_and_plans_the_visit_on_a_phone(
    server: str, browser_engine: Engine, page: Any, settings: Settings
) -> None:
    ids = test_browser._seed(browser_engine)
    now = clock.utcnow()
    with Session(browser_engine, expire_on_commit=False) as db:
        first = service.open_ticket(db, employer_id=ids["bakery"], kind="problem", contact_id=ids["baker"],
                                    summary="Praktikanten er ikke mødt i dag", now=now - timedelta(hours=1),
                                    settings=settings)
        second = service.open_ticket(db, employer_id=ids["bakery"], kind="problem", contact_id=ids["baker"],
                                     summary="Hun er her stadig ikke", now=now, settings=settings)
        db.commit()
    page.set_viewport_size({"width": WIDTH, "height": 740})
    test_browser._sign_in(page, server, "lead@kommune.dk")

    page.goto(f"{server}/admin/tickets/{second.id}")
    page.get_by_label("Samme sag som").select_option(str(first.id))
    page.get_by_role("button", name="Læg sammen…").click()
    page.get_by_role("heading", name=f"Læg {second.reference} sammen med {first.reference}?").wait_for()
    _fits(page)
    _shot(page, "1-merge-confirm")
    page.get_by_role("button", name="Læg henvendelserne sammen").click()
    page.get_by_role("status").filter(has_text=f"{second.reference} er lagt sammen").wait_for()
    assert page.url.endswith(f"/admin/tickets/{first.id}?done=merged")
    _fits(page)
    _shot(page, "2-merged")

    local = (now + timedelta(days=1)).astimezone(ZoneInfo(settings.timezone)).replace(hour=13, minute=0, second=0, microsecond=0)
    page.get_by_label("Planlæg et besøg").fill(local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Planlæg besøget").click()
    page.get_by_role("status").filter(has_text="Besøget er planlagt").wait_for()
    assert page.locator("#visit-planned").inner_text().startswith(local.strftime("%d.%m.%Y 13:00"))
    _fits(page)
    _shot(page, "3-visit-planned")

    with Session(browser_engine) as db:
        merged, kept = db.get(Ticket, second.id), db.get(Ticket, first.id)
        assert merged is not None and kept is not None
        assert merged.status == TicketStatus.closed and kept.is_active
        assert kept.visit_planned_for is not None
        assert kept.visit_planned_for.astimezone(ZoneInfo(settings.timezone)) == local
