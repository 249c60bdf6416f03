"""A consultant on a phone (360 x 740) opens the inbox, takes a conversation and answers it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import clock
from bot.channels.models import Direction, Message
from bot.conversations.models import Conversation
from tests.admin import test_browser

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def _shot(page: Any, name: str) -> None:
    test_browser.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(test_browser.ARTIFACTS / f"inbox-360-{name}.png"), full_page=True)


def test_consultant_assigns_a_waiting_conversation_to_themselves_and_answers_it(
    server: str, browser_engine: Engine, page: Any
) -> None:
    test_browser._seed(browser_engine)
    with Session(browser_engine) as db:
        db.add(Conversation(phone="+4520000001", contact_kind="citizen", last_inbound_at=clock.utcnow()))
        db.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    test_browser._sign_in(page, server, "anna@kommune.dk")
    page.goto(server + "/admin/inbox")
    line = page.locator(".inbox-line", has_text="Amal Hassan")
    line.wait_for()
    assert line.locator(".dot").is_visible()  # unread
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "list")
    line.get_by_role("button", name="Tildel til mig").click()
    page.locator(".inbox-line", has_text="Tildelt Anna Consultant").wait_for()
    page.get_by_role("link", name="Mine").click()
    page.locator(".inbox-line", has_text="Amal Hassan").get_by_role("link").first.click()
    page.get_by_role("heading", name="Amal Hassan · +4520000001").wait_for()
    _shot(page, "conversation")
    page.locator("#reply-text").fill("Mødet er kl. 10 i morgen.")
    page.locator("form[action$='/reply'] button[type=submit]").click()
    page.get_by_text("Mødet er kl. 10 i morgen.").first.wait_for()
    page.goto(server + "/admin/inbox")
    page.get_by_text("Intet venter.").wait_for()
    _shot(page, "answered")
    with Session(browser_engine) as db:
        sent = db.exec(select(Message).where(Message.direction == Direction.outbound)).all()
    assert len([m for m in sent if m.purpose == "staff_reply"]) == 1
