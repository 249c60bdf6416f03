"""The SMS simulator in Chromium, as someone trying the assistant would use it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin.replies import send_staff_message
from bot import clock
from bot.channels.dispatcher import dispatch
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.contacts.models import Citizen, Role, Staff
from tests.admin import test_browser

PEERS = delivery_peers()

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
    # A demo tool linked from the Danish panel speaks Danish too.
    assert page.get_by_role("heading", level=1).inner_text() == "SMS-simulator"
    assert page.get_by_label("Telefonnummer").is_visible() and page.get_by_label("Kanal").is_visible()
    assert "Skriv til assistenten" in page.locator("body > p").first.inner_text()
    _send(page, "123", "hej")
    page.locator("#error", has_text="not a possible phone number").wait_for()
    assert "undefined" not in page.locator("#error").inner_text()
    _send(page, "+45 22 33 44 55", "syg")
    # The receipt, with its reference and the length question, without reloading the page.
    page.get_by_text("Sygemelding modtaget", exact=False).wait_for()
    assert "Hvor længe er du væk?" in page.locator("#log").inner_text()
    assert page.locator("#error").inner_text() == ""


def test_a_staff_reply_shows_its_text_while_queued_and_its_status_as_it_goes_out(
    server: str, browser_engine: Engine, page: Any, settings: Settings
) -> None:
    with Session(browser_engine, expire_on_commit=False) as db:
        anna = Staff(name="Anna Consultant", email="anna@kommune.dk", role=Role.consultant, password_hash="-")
        db.add_all([anna, Citizen(name="Sofie Nielsen", phone="+4522334455", language="da")])
        db.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "/simulator")
    _send(page, "+45 22 33 44 55", "hej")
    page.locator("#log li.outbound").first.wait_for()
    # A consultant answers from the panel: the reply waits in the outbox, not yet sent.
    with Session(browser_engine, expire_on_commit=False) as db:
        reply = send_staff_message(
            db, phone="+4522334455", text="Vi ses i morgen kl. 9.", staff_id=anna.id, now=clock.utcnow()
        )
        db.commit()
    bubble = page.locator("#log li.outbound", has_text="Vi ses i morgen kl. 9.")
    bubble.wait_for()  # its words at once, not an empty bubble until the page is reloaded
    assert "queued" in bubble.inner_text()
    page.evaluate("window.__marker = 'same page'")
    dispatch(browser_engine, settings, SimulatorTransport(), clock.utcnow(), only_ids=[reply.id], peers=PEERS)
    page.locator("#log li.outbound", has_text="Vi ses i morgen kl. 9.").filter(
        has_text="delivered"
    ).wait_for()
    assert page.evaluate("window.__marker") == "same page"
    assert page.locator("#log li.outbound", has_text="Vi ses i morgen kl. 9.").count() == 1


def test_a_refused_number_keeps_the_message_typed(server: str, page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "/simulator")
    _send(page, "12", "Jeg er syg")
    error = page.locator("#error")
    error.wait_for()
    page.wait_for_function("document.getElementById('error').textContent.length > 0")
    assert error.inner_text().startswith("Telefonnummer: ")
    assert "undefined" not in error.inner_text() and "[object" not in error.inner_text()
    assert page.locator("#body").input_value() == "Jeg er syg"  # nothing typed is lost
    assert page.locator("#phone").get_attribute("aria-invalid") == "true"
    test_browser.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(test_browser.ARTIFACTS / "simulator-refused-number-360.png"), full_page=True)
