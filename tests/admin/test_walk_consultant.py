"""A consultant's day on a phone (360 x 740) in Chromium, through the panel only.

She adds a citizen who reads Tigrinya and books her weekly class, reads what the citizen
wrote in the inbox (with the meaning in Danish), answers, records a sick notice phoned in by
another citizen and resends a reminder that did not arrive. Every page she sees is saved at
360 x 740 and at 1280 x 800 under test-artifacts/walks/consultant/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import clock
from bot.channels import service as delivery
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.channels.outbox import enqueue
from bot.composition import delivery_peers
from bot.contacts.models import Citizen, Role, Staff
from bot.reminders.models import Appointment, AppointmentKind
from bot.reminders.policy import danish_holidays
from bot.sick_notices.models import SickNotice
from tests.admin import test_browser, walks
from tests.admin.conftest import password_hash

PEERS = delivery_peers()

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page

PHONE = walks.PHONE
SHOTS = test_browser.ARTIFACTS / "walks" / "consultant"
# "I want to talk to a person", in Tigrinya.
TIGRINYA = "ምስ ሰብ ክዛረብ"


def _shoot(page: Any, name: str) -> None:
    walks.shoot(page, "consultant", name)


def _fits(page: Any) -> None:
    walks.fits(page, header=True)


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _failed_reminder(engine: Engine, citizen_id: int) -> int:
    """A reminder to Amal the phone company could not deliver: the item the consultant resends."""
    now = clock.utcnow()
    with Session(engine, expire_on_commit=False) as db:
        message = enqueue(
            db,
            phone="+4520000001",
            template="reply.help",
            params={},
            language="ar",
            purpose="reminder",
            contact_kind=ContactKind.citizen.value,
            contact_id=citizen_id,
            now=now - timedelta(hours=1),
        )
        message.status = MessageStatus.sending
        delivery.apply_status(db, message, MessageStatus.undelivered, now=now, error_code="30003", peers=PEERS)
        db.commit()
        assert message.id is not None
        return message.id


def _text_from_the_simulator(page: Any, server: str, phone: str, body: str) -> Any:
    """The citizen writes, on the simulator page in a tab of its own; the tab stays open."""
    phone_tab = page.context.new_page()
    phone_tab.set_viewport_size(PHONE)
    phone_tab.goto(server + "/simulator")
    phone_tab.locator("#phone").fill(phone)
    phone_tab.locator("#body").fill(body)
    phone_tab.get_by_role("button", name="Send").click()
    phone_tab.locator("#log li.outbound").first.wait_for()
    return phone_tab


def test_a_consultants_day_on_a_phone(server: str, browser_engine: Engine, page: Any) -> None:
    ids = test_browser._seed(browser_engine)
    failed_id = _failed_reminder(browser_engine, ids["amal"])
    page.set_viewport_size(PHONE)
    test_browser._sign_in(page, server, "anna@kommune.dk")
    _fits(page)
    _shoot(page, "01-home")

    # A new citizen: a wrong number is refused beside the field, in view, and nothing typed is lost.
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Borgere", exact=True).first.click()
    page.get_by_role("link", name="Ny borger").click()
    page.get_by_label("Navn", exact=True).fill("Hiwet Gebre")
    page.get_by_label("Mobilnummer").fill("12")
    page.get_by_label("Sprog borgeren læser").select_option("ti")
    page.get_by_role("button", name="Gem").click()
    page.locator("#phone-error").wait_for()
    assert _in_view(page, "#phone-error")
    assert page.get_by_label("Navn", exact=True).input_value() == "Hiwet Gebre"
    _fits(page)
    _shoot(page, "02-citizen-error")
    page.get_by_label("Mobilnummer").fill("20 98 76 54")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Hiwet Gebre").wait_for()
    assert "tigrinya" in page.locator("#contact-h + .facts").inner_text().lower()

    # Her weekly Danish class, Monday and Wednesday mornings for four weeks.
    page.get_by_role("link", name="Nyt ugentligt hold").click()
    page.get_by_role("heading", name="Nyt ugentligt hold").wait_for()
    assert not page.get_by_label("Starter (dansk tid)").is_visible()  # only the weekly times
    page.get_by_label("Titel som borgeren ser (valgfri)").fill("Dansk 1")
    page.get_by_label("Mandag").check()
    page.get_by_label("Onsdag").check()
    page.get_by_label("Fra (dansk tid)").fill("09:00")
    page.get_by_label("Til (valgfrit)").fill("12:00")
    today = clock.utcnow().date()
    monday = today + timedelta(days=7 - today.weekday())
    page.get_by_label("Første dato").fill(monday.isoformat())
    page.get_by_label("Sidste dato").fill((monday + timedelta(days=25)).isoformat())
    _fits(page)
    _shoot(page, "03-weekly-class")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Hiwet Gebre").wait_for()
    _fits(page)
    _shoot(page, "04-citizen")
    with Session(browser_engine) as db:
        hiwet = db.exec(select(Citizen).where(Citizen.name == "Hiwet Gebre")).one()
        classes = db.exec(select(Appointment).where(Appointment.citizen_id == hiwet.id)).all()
    assert hiwet.phone == "+4520987654" and hiwet.language == "ti"
    days = [monday + timedelta(days=n) for n in range(26)]
    holidays = danish_holidays(days[0], days[-1])  # left out, as the form offers by default
    expected = [d for d in days if d.weekday() in (0, 2) and d not in holidays]
    assert len(classes) == len(expected) and {a.title for a in classes} == {"Dansk 1"}
    assert page.locator("#section-appointments-h + *", has_text="Dansk 1").count() >= 1  # on her page

    # Hiwet texts in Tigrinya; the inbox shows her, and the conversation says what she meant.
    phone_tab = _text_from_the_simulator(page, server, "+45 20 98 76 54", TIGRINYA)
    page.bring_to_front()
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Indbakke", exact=True).first.click()
    line = page.locator(".inbox-line", has_text="Hiwet Gebre")
    line.wait_for()
    _fits(page)
    _shoot(page, "05-inbox")
    line.get_by_role("link").first.click()
    page.get_by_role("heading", name=re.compile("Hiwet Gebre")).wait_for()
    meaning = page.locator(".msg.in .meaning").last
    assert "tigrinya" in meaning.inner_text().lower()
    assert "Vil tale med en medarbejder" in meaning.inner_text()
    # The reply box is reachable without scrolling past the whole history.
    page.locator("#reply-text").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") < PHONE["height"]
    _fits(page)
    _shoot(page, "06-conversation")
    page.locator("#reply-text").fill("Jeg ringer til dig i eftermiddag. Anna")
    page.locator("form[action$='/reply'] button[type=submit]").click()
    page.locator(".msg.out", has_text="Jeg ringer til dig i eftermiddag.").wait_for()
    _shoot(page, "07-answered")
    # The reply reaches her phone, on the simulator, without reloading it.
    try:
        phone_tab.locator("#log li.outbound", has_text="Jeg ringer til dig i eftermiddag.").wait_for()
    finally:
        phone_tab.screenshot(path=str(SHOTS / "07-simulator-360.png"), full_page=True)
    assert "undefined" not in phone_tab.locator("#log").inner_text()
    phone_tab.close()

    # Amal phones in sick: the consultant records it, and the receipt's reference shows.
    page.goto(f"{server}/admin/citizens/{ids['amal']}")
    page.get_by_text("Registrér en sygemelding givet pr. telefon").click()
    page.get_by_label("Første sygedag").fill(today.isoformat())
    page.get_by_label(re.compile("Sidste sygedag")).fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Registrér sygemeldingen").click()
    error = page.locator("#sick-end-error")
    error.wait_for()
    assert _in_view(page, "#sick-end-error")
    _fits(page)
    _shoot(page, "08-sick-notice-error")
    page.get_by_label(re.compile("Sidste sygedag")).fill("")
    page.get_by_role("button", name="Registrér sygemeldingen").click()
    page.get_by_role("heading", name="Amal Hassan").wait_for()
    with Session(browser_engine) as db:
        notice = db.exec(select(SickNotice).where(SickNotice.citizen_id == ids["amal"])).one()
    assert notice.source == "phone"
    page.get_by_text(notice.reference).first.wait_for()
    # The receipt went out in Arabic; the consultant reads it in Danish under the message.
    receipt = page.locator(".msg.out", has_text=notice.reference).last
    assert "På dansk:" in receipt.locator(".meaning").inner_text()
    _fits(page)
    _shoot(page, "09-sick-notice")

    # The reminder that did not arrive: one click queues it again.
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Åbne opgaver", exact=True).first.click()
    page.locator(".card", has_text="En besked blev ikke leveret").get_by_role("link", name="Detaljer").click()
    _fits(page)
    _shoot(page, "10-failed-item")
    page.get_by_role("button", name="Send beskeden igen").click()
    page.get_by_role("status").wait_for()
    _fits(page)
    _shoot(page, "11-resent")
    with Session(browser_engine) as db:
        copies = db.exec(select(Message).where(col(Message.resend_of_id) == failed_id)).all()
        outbound = db.exec(select(Message).where(Message.direction == Direction.outbound)).all()
    assert len(copies) == 1 and copies[0].phone == "+4520000001"
    assert copies[0].status in (
        MessageStatus.queued,
        MessageStatus.sending,
        MessageStatus.sent,
        MessageStatus.delivered,
    )
    assert any(
        m.body == "Jeg ringer til dig i eftermiddag. Anna"
        or (m.params or {}).get("text") == "Jeg ringer til dig i eftermiddag. Anna"
        for m in outbound
    )


def test_the_attendance_page_fits_a_phone(server: str, browser_engine: Engine, page: Any) -> None:
    """The caseworker's class list at 360 px: the table scrolls inside its box, never the page."""
    ids = test_browser._seed(browser_engine)
    with Session(browser_engine, expire_on_commit=False) as db:
        db.add(
            Staff(
                name="Carl Caseworker",
                email="carl@kommune.dk",
                role=Role.caseworker,
                password_hash=password_hash(),
            )
        )
        for n in range(3):
            db.add(
                Citizen(
                    name=f"Borger med et meget langt navn nummer {n}",
                    phone=f"+452000001{n}",
                    consultant_id=ids["anna"],
                )
            )
        db.commit()
        citizens = db.exec(select(Citizen)).all()
        for citizen in citizens:
            db.add(
                Appointment(
                    citizen_id=citizen.id,
                    kind=AppointmentKind.class_,
                    starts_at=clock.utcnow(),
                    title="Dansk 2, modul 3 (eftermiddagshold)",
                )
            )
        db.commit()
    page.set_viewport_size(PHONE)
    test_browser._sign_in(page, server, "carl@kommune.dk")
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Fremmøde").click()
    page.get_by_role("heading", name=re.compile("Fremmøde")).wait_for()
    _fits(page)
    exception = page.get_by_label("Undtagelse for Amal Hassan").bounding_box()
    assert exception is not None and exception["x"] + exception["width"] <= PHONE["width"]
    _shoot(page, "13-attendance")
