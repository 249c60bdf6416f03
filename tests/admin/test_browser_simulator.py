"""The SMS simulator in Chromium, as someone trying the assistant would use it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.contacts.models import Citizen
from tests.admin import test_browser

pytestmark = test_browser.pytestmark
# The real server and browser, as the panel's own browser tests start them.
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def _send(page: Any, phone: str, body: str) -> None:
    page.locator("#phone").fill(phone)
    page.locator("#body").fill(body)
    page.get_by_role("button", name="Send").click()


def test_a_sick_word_shows_its_receipt_at_once_and_a_bad_number_says_why(
    server: str, browser_engine: Engine, page: Any
) -> None:
    with Session(browser_engine) as db:
        db.add(Citizen(name="Sofie Nielsen", phone="+4522334455", language="da"))
        db.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "/simulator")
    _send(page, "123", "hej")
    page.locator("#error", has_text="not a possible phone number").wait_for()
    assert "undefined" not in page.locator("#error").inner_text()
    _send(page, "+45 22 33 44 55", "syg")
    # The receipt, with its reference and the length question, without reloading the page.
    page.get_by_text("Sygemelding modtaget", exact=False).wait_for()
    assert "Hvor længe er du væk?" in page.locator("#log").inner_text()
    assert page.locator("#error").inner_text() == ""
