"""The panel in a real browser: Debian's Chromium driven by Playwright against a real server.

A failing test leaves a screenshot under test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import bot.tables
from bot import clock
from bot.app import create_app
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff
from bot.db import make_engine
from bot.items import service as items
from tests.admin.conftest import PASSWORD, password_hash

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def browser_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'browser.db'}")
    bot.tables.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def server(browser_engine: Engine, settings: Settings) -> Iterator[str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    served = settings.model_copy(update={"public_url": base, "database_url": str(browser_engine.url)})
    app = create_app(served, engine=browser_engine, transport=SimulatorTransport())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "chromium-profile"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            locale="da-DK",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        tab = context.pages[0] if context.pages else context.new_page()
        try:
            yield tab
        finally:
            report = getattr(request.node, "rep_call", None)
            if report is not None and report.failed:
                ARTIFACTS.mkdir(exist_ok=True)
                name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
                tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/admin/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Åbne opgaver").wait_for()


def _seed(engine: Engine) -> dict[str, int]:
    now = clock.utcnow()
    with Session(engine, expire_on_commit=False) as db:
        anna = Staff(
            name="Anna Consultant",
            email="anna@kommune.dk",
            role=Role.consultant,
            password_hash=password_hash(),
        )
        lead = Staff(
            name="Lene Lead", email="lead@kommune.dk", role=Role.team_lead, password_hash=password_hash()
        )
        db.add_all([anna, lead])
        db.commit()
        amal = Citizen(name="Amal Hassan", phone="+4520000001", language="ar", consultant_id=anna.id)
        bakery = Employer(name="Bageriet ApS", consultant_id=anna.id)
        db.add_all([amal, bakery])
        db.commit()
        baker = EmployerContact(employer_id=bakery.id, name="Mette Bager", phone="+4530000001")
        db.add(baker)
        db.add(
            Message(
                direction=Direction.inbound,
                phone="+4520000001",
                body="متى الموعد؟ <b>nu</b>",
                status=MessageStatus.processed,
                created_at=now - timedelta(minutes=5),
            )
        )
        db.commit()
        items.open(
            db,
            kind="delivery_failed",
            summary="Reminder was not delivered",
            now=now,
            citizen_id=amal.id,
            due_at=now + timedelta(hours=2),
        )
        items.open(db, kind="unknown_sender", summary="A stranger wrote", now=now, phone="+4599999999")
        db.commit()
        return {"anna": anna.id, "lead": lead.id, "amal": amal.id, "bakery": bakery.id, "baker": baker.id}


def test_consultant_finds_a_citizen_and_replies_through_the_outbox(server, browser_engine, page) -> None:  # type: ignore[no-untyped-def]
    ids = _seed(browser_engine)
    _sign_in(page, server, "anna@kommune.dk")
    page.get_by_text("Ikke leveret: ring til personen").wait_for()
    assert page.get_by_text("A stranger wrote").count() == 0  # not hers
    page.get_by_role("link", name=re.compile("Amal Hassan")).click()
    page.get_by_role("heading", name="Amal Hassan").wait_for()
    bubble = page.locator(".bubble").first
    assert bubble.get_attribute("dir") == "auto"
    assert bubble.inner_text() == "متى الموعد؟ <b>nu</b>"  # shown as text, not markup
    page.get_by_role("link", name="Skriv til personen").click()
    page.get_by_role("textbox", name=re.compile("Besked")).fill("Mødet er i morgen kl. 10.")
    page.get_by_role("button", name="Send", exact=True).click()
    page.locator(".msg.out", has_text="Mødet er i morgen kl. 10.").wait_for()
    with Session(browser_engine) as db:
        sent = db.exec(select(Message).where(Message.direction == Direction.outbound)).all()
    assert len(sent) == 1
    assert sent[0].phone == "+4520000001" and sent[0].contact_id == ids["amal"]
    assert sent[0].status in (
        MessageStatus.queued,
        MessageStatus.sending,
        MessageStatus.sent,
        MessageStatus.delivered,
    )
    assert sent[0].params["text"] == "Mødet er i morgen kl. 10."


def test_resolving_an_item_updates_the_list_without_a_reload(server, browser_engine, page) -> None:  # type: ignore[no-untyped-def]
    _seed(browser_engine)
    _sign_in(page, server, "lead@kommune.dk")
    page.evaluate("window.__marker = 'same page'")
    card = page.locator(".card", has_text="A stranger wrote")
    page.once("dialog", lambda dialog: dialog.accept())  # "mark as done?" asks first
    card.get_by_role("button", name="Markér som klaret").click()
    card.wait_for(state="detached")
    assert page.evaluate("window.__marker") == "same page"  # swapped in place by HTMX
    assert page.get_by_text("Reminder was not delivered").count() == 1
    page.locator(".undo-strip").get_by_role("button", name="Fortryd").click()  # within the minute
    page.locator(".card", has_text="A stranger wrote").wait_for()


def test_keyboard_only_sign_in_and_narrow_screen(server, browser_engine, page) -> None:  # type: ignore[no-untyped-def]
    _seed(browser_engine)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server + "/admin/login")
    assert page.evaluate("document.activeElement.id") == "email"  # the form starts focused
    page.keyboard.type("anna@kommune.dk")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Åbne opgaver").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
    # The header is one line (its menu folded behind "Menu"): the page starts right below, and
    # "Sign out" is in sight at once; nothing in it scrolls sideways.
    header = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
    assert header < 80, f"the header takes {header} px at 360 px"
    last = page.locator("header.top button", has_text="Log ud").bounding_box()
    assert last is not None and last["x"] >= 0 and last["x"] + last["width"] <= 360 and last["y"] < 740
    assert page.evaluate("document.querySelector('header.top').scrollWidth") <= 360
    page.keyboard.press("Tab")  # the skip link comes first, and focus is visible
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link, then "Menu", which Space unfolds
    assert page.evaluate("document.activeElement.id") == "menu-open"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the first menu entry
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/admin/"
    page.goto(server + "/admin/citizens")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_team_lead_handles_an_escalated_ticket(server, browser_engine, page, settings) -> None:  # type: ignore[no-untyped-def]
    from bot.escalations import service as tickets
    from bot.escalations.models import Ticket

    ids = _seed(browser_engine)
    now = clock.utcnow()
    with Session(browser_engine, expire_on_commit=False) as db:
        ticket = tickets.open_ticket(
            db,
            employer_id=ids["bakery"],
            kind="problem",
            summary="Praktikanten kom ikke i dag",
            now=now - timedelta(hours=26),
            settings=settings,
            contact_id=ids["baker"],
        )
        ticket.escalated_at = now - timedelta(hours=2)
        db.add(ticket)
        db.commit()
        ticket_id = ticket.id
    _sign_in(page, server, "lead@kommune.dk")
    page.get_by_role("link", name=re.compile("Praktikanten kom ikke i dag")).click()
    page.get_by_text("Eskaleret").first.wait_for()
    page.get_by_label("Svar (sendes som sms)").fill("Jeg kommer forbi kl. 13 i dag.")
    page.get_by_role("button", name="Send svar").click()
    page.locator(".event", has_text="Jeg kommer forbi kl. 13 i dag.").wait_for()
    with Session(browser_engine) as db:
        outbox = db.exec(
            select(Message).where(Message.direction == Direction.outbound, Message.phone == "+4530000001")
        ).all()
        assert any("Jeg kommer forbi kl. 13 i dag." in str(m.params) for m in outbox)
    page.get_by_role("button", name="Markér besøget som gennemført").click()
    page.locator(".ticket-status", has_text="Besøgt").wait_for()
    with Session(browser_engine) as db:
        assert db.get(Ticket, ticket_id).visited_at is not None


def test_caseworker_marks_a_class_day_opens_a_hearing_and_assesses(server, browser_engine, page) -> None:  # type: ignore[no-untyped-def]
    from bot.attendance.models import Attendance, Outcome
    from bot.hearings.models import HearingCase, HearingStatus, Recommendation
    from bot.reminders.models import Appointment, AppointmentKind

    ids = _seed(browser_engine)
    now = clock.utcnow()
    with Session(browser_engine, expire_on_commit=False) as db:
        db.add(
            Staff(
                name="Carl Caseworker",
                email="carl@kommune.dk",
                role=Role.caseworker,
                password_hash=password_hash(),
            )
        )
        bashir = Citizen(name="Bashir Ahmadi", phone="+4520000002", language="fa", consultant_id=ids["anna"])
        db.add(bashir)
        db.commit()
        # A class starting now: today in Copenhagen, the day the attendance page opens on.
        start = now
        for citizen_id in (ids["amal"], bashir.id):
            db.add(
                Appointment(
                    citizen_id=citizen_id, kind=AppointmentKind.class_, starts_at=start, title="Dansk 3"
                )
            )
        db.commit()
    _sign_in(page, server, "carl@kommune.dk")
    page.get_by_role("link", name="Fremmøde").click()
    page.get_by_role("heading", name=re.compile("Fremmøde")).wait_for()
    page.get_by_label("Udfald for de valgte aftaler").select_option("attended")
    page.get_by_label("Undtagelse for Amal Hassan").select_option(label="Fravær uden afbud")
    page.get_by_role("button", name="Registrér fremmøde").click()
    page.get_by_text("2 udfald registreret.").wait_for()
    with Session(browser_engine) as db:
        outcomes = {a.citizen_id: a.outcome for a in db.exec(select(Attendance)).all()}
    assert outcomes == {ids["amal"]: Outcome.absent_without_notice, bashir.id: Outcome.attended}

    page.goto(f"{server}/admin/citizens/{ids['amal']}")
    page.get_by_role("link", name="Opret en partshøring ud fra fravær uden afbud").click()
    page.get_by_label(re.compile("Dansk 3")).check()
    page.get_by_role("button", name="Opret partshøringen").click()
    page.get_by_role("heading", name="Partshøring").wait_for()
    page.get_by_text("Sms om at brevet er på vej").wait_for()
    page.get_by_label("Indstil til ingen sanktion").check()
    page.get_by_label("Begrundelse for vurderingen").fill("Borgeren har dokumenteret, at bussen var aflyst.")
    page.get_by_role("button", name="Registrér vurderingen").click()
    page.locator(".case-status", has_text="Afventer afgørelse").wait_for()
    with Session(browser_engine) as db:
        case = db.exec(select(HearingCase)).one()
    assert case.status == HearingStatus.assessed and case.recommendation == Recommendation.no_sanction
    assert case.citizen_id == ids["amal"]
