"""A consultant on a phone (360 x 740) adds a citizen and books her weekly Danish class."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.reminders.models import Appointment
from tests.admin import test_browser

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def test_a_consultant_creates_a_citizen_and_adds_a_weekly_class_on_a_phone(
    server: str, browser_engine: Engine, page: Any
) -> None:
    test_browser._seed(browser_engine)
    page.set_viewport_size({"width": 360, "height": 740})
    test_browser._sign_in(page, server, "anna@kommune.dk")
    page.goto(server + "/admin/citizens")
    page.get_by_role("link", name="Ny borger").click()
    page.get_by_label("Navn", exact=True).fill("Hiwet Gebre")
    page.get_by_label("Mobilnummer").fill("12")
    page.get_by_role("button", name="Gem").click()
    error = page.locator("#phone-error")
    error.wait_for()
    assert error.is_visible() and page.get_by_label("Navn", exact=True).input_value() == "Hiwet Gebre"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    test_browser.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(test_browser.ARTIFACTS / "records-citizen-error-360.png"), full_page=True)
    page.get_by_label("Mobilnummer").fill("20 98 76 54")
    page.get_by_label("Sprog borgeren læser").select_option("ti")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Hiwet Gebre").wait_for()
    page.get_by_role("link", name="Nyt ugentligt hold").click()
    page.get_by_label("Titel som borgeren ser (valgfri)").fill("Dansk 1")
    page.get_by_label("Mandag").check()
    page.get_by_label("Onsdag").check()
    page.get_by_label("Fra (dansk tid)").fill("09:00")
    page.get_by_label("Til (valgfrit)").fill("12:00")
    page.get_by_label("Første dato").fill("2030-03-04")
    page.get_by_label("Sidste dato").fill("2030-03-29")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(test_browser.ARTIFACTS / "records-weekly-class-360.png"), full_page=True)
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Hiwet Gebre").wait_for()
    with Session(browser_engine) as db:
        rows = db.exec(select(Appointment).where(Appointment.title == "Dansk 1")).all()
    assert len(rows) == 8  # Mondays and Wednesdays for four weeks
