"""What every walk through the panel does on each page: save it at phone and desk width for a
person to look at, and check it fits a 360 px phone."""

from __future__ import annotations

from typing import Any

from tests.admin import test_browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}


def shoot(page: Any, role: str, name: str) -> None:
    """The page as the staff member sees it on a phone, then on a desk screen, under
    test-artifacts/walks/<role>/."""
    shots = test_browser.ARTIFACTS / "walks" / role
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-360.png"), full_page=True)
    page.set_viewport_size(DESK)
    page.screenshot(path=str(shots / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)


def fits(page: Any, *, header: bool = False) -> None:
    """Nothing scrolls sideways at 360 px; with ``header``, the top bar stays under 80 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width} px wide)"
    if header:
        height = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
        assert height < 80, f"the header takes {height} px at 360 px on {page.url}"


def menu(page: Any) -> None:
    """Unfold the header's menu where a phone folds it ("Menu"); where it is shown, nothing to do."""
    button = page.locator("header.top .menu-button")
    if button.is_visible() and not page.locator("#menu-open").is_checked():
        button.click()
