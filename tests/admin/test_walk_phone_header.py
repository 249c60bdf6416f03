"""The panel's header on a 360 px phone in Chromium: nothing in it scrolls sideways. "Change
language" on the sign-in page and "Sign out" after signing in are in sight at once; "Menu"
unfolds every entry in lines. Saved under test-artifacts/walks/header/."""

from __future__ import annotations

from typing import Any

from tests.admin import test_browser, walks

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page


def _within_width(page: Any, locator: Any) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= walks.PHONE["width"], f"{locator} is cut off: {box}"
    assert box["y"] + box["height"] <= walks.PHONE["height"], f"{locator} is below the first screen: {box}"


def test_the_header_wraps_on_a_phone(server: str, browser_engine: Any, page: Any) -> None:
    test_browser._seed(browser_engine)
    page.set_viewport_size(walks.PHONE)
    page.goto(server + "/admin/login")
    _within_width(page, page.get_by_role("button", name="Skift sprog"))
    walks.fits(page)
    walks.shoot(page, "header", "01-login")

    test_browser._sign_in(page, server, "lead@kommune.dk")  # a team lead has the longest menu
    _within_width(page, page.locator("header.top").get_by_role("button", name="Log ud"))
    assert page.evaluate("document.querySelector('header.top').scrollWidth") <= walks.PHONE["width"]
    walks.fits(page, header=True)  # one line: the page starts right below it
    walks.shoot(page, "header", "02-home")

    # "Menu" unfolds every entry and the language choice, in lines, all in sight.
    walks.menu(page)
    links = page.locator("header.top nav a")
    assert links.count() > 8
    for i in range(links.count()):
        _within_width(page, links.nth(i))
    _within_width(page, page.locator("header.top").get_by_role("button", name="Skift sprog"))
    _within_width(page, page.locator("header.top").get_by_role("button", name="Log ud"))
    walks.fits(page)
    walks.shoot(page, "header", "03-menu")
    page.locator('header.top a[href="/admin/sla"]').click()
    page.get_by_role("heading", name="Svartider til virksomheder").wait_for()
