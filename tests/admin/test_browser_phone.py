"""The panel on a phone (360 x 740) in Chromium: what a consultant on the move needs is in reach."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import clock
from bot.channels.models import Direction, Message, MessageStatus
from tests.admin import test_browser

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def test_a_long_conversation_keeps_the_newest_message_and_the_reply_box_in_view(
    server: str, browser_engine: Engine, page: Any
) -> None:
    test_browser._seed(browser_engine)
    now = clock.utcnow()
    with Session(browser_engine) as db:
        for n in range(80):
            db.add(Message(direction=Direction.inbound if n % 2 else Direction.outbound, phone="+4520000001",
                           body=f"besked nummer {n}", status=MessageStatus.processed,
                           created_at=now - timedelta(minutes=200 - n)))
        db.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    test_browser._sign_in(page, server, "anna@kommune.dk")
    page.goto(server + "/admin/conversations/+4520000001")
    newest = page.get_by_text("besked nummer 79")
    newest.wait_for()
    reply = page.locator("#reply-text")
    reply.scroll_into_view_if_needed()
    # Reaching the reply box takes less than a screen of scrolling, and the newest message is shown.
    assert page.evaluate("window.scrollY") < 740
    at_bottom = "(b => b.scrollTop + b.clientHeight >= b.scrollHeight - 2)(document.getElementById('timeline'))"
    page.wait_for_function(at_bottom)  # the history opens at its newest message
    assert newest.is_visible() and reply.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
