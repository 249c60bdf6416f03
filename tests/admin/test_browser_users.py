"""The staff accounts page on an administrator's phone (360 px) in Chromium."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.contacts.models import Role, Staff
from tests.admin import test_browser
from tests.admin.conftest import password_hash

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def _seed(engine: Engine) -> None:
    with Session(engine) as db:
        db.add_all([
            Staff(name="Ada Admin", email="admin@kommune.dk", role=Role.admin, password_hash=password_hash()),
            # The longest role name on the page: "Oversætter (ser kun oversættelserne)".
            Staff(name="Yusuf Ali", email="yusuf.ali.translations@kommune.dk", role=Role.translator,
                  languages=["ar"], password_hash=password_hash()),
        ])
        db.commit()


def test_every_role_can_be_saved_on_a_phone(server: str, browser_engine: Engine, page: Any) -> None:
    _seed(browser_engine)
    page.set_viewport_size({"width": 360, "height": 740})
    test_browser._sign_in(page, server, "admin@kommune.dk")
    page.goto(server + "/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for save in page.get_by_role("button", name="Gem").all():
        box = save.bounding_box()
        # The whole word, on one line, inside the screen.
        assert box is not None and box["x"] + box["width"] <= 360 and box["height"] < 60
