"""The translator role: sees each text with its sources, context and SMS length, approves it, and
sees nothing else of the panel (no citizens, no messages, no health data)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from admin.domains import translations
from bot.audit.models import AuditEntry
from bot.contacts.models import Role, Staff
from bot.i18n import LOCALES_DIR, reload_catalogs
from bot.i18n_review import read
from tests.admin.conftest import csrf_of


@pytest.fixture
def catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the catalogs: approving in a test must not touch the package's files."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    monkeypatch.setitem(translations.CATALOGS, "dir", copy)
    yield copy
    reload_catalogs()


@pytest.fixture
def translator(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(Role.translator, "tolk@kommune.dk", "Tolk Tigrinya")


def _po(catalogs: Path, language: str) -> Path:
    return catalogs / language / "LC_MESSAGES" / "messages.po"


def test_the_review_page_shows_source_context_and_segments(catalogs, translator, login) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(translator)
    page = client.get("/admin/translations/ar?show=all", headers={"accept-language": "da"})
    assert page.status_code == 200
    html = page.text
    section = html.split('data-msgid="absence.back"')[1].split("</section>")[0]
    assert "har meldt sig rask" in section  # Danish source
    assert "has reported well again" in section  # English source
    assert "bot/sick_notices/notify.py" in section  # where it is used
    assert "Udkast, ikke godkendt" in section
    assert "2 SMS med realistiske navne" in section  # Arabic is UCS-2: 70 characters a segment
    assert "arabisk" in html


def test_approving_removes_the_fuzzy_flag_compiles_and_audits(catalogs, translator, login, db: Session) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(translator)
    assert read(_po(catalogs, "ti"), "ti").get("ack.better").fuzzy
    token = csrf_of(client.get("/admin/translations/ti").text)
    before = _po(catalogs, "ti").read_text(encoding="utf-8")
    response = client.post(
        "/admin/translations/ti/approve",
        data={"csrf_token": token, "msgid": "ack.better", "text": "ጽቡቕ ኢኻ። መልእኽትኻ በጺሑና።"},
    )
    assert response.status_code == 303
    message = read(_po(catalogs, "ti"), "ti").get("ack.better")
    assert message.string == "ጽቡቕ ኢኻ። መልእኽትኻ በጺሑና።" and not message.fuzzy
    after = _po(catalogs, "ti").read_text(encoding="utf-8")
    # Only this entry changed: everyone else's lines are as they were.
    assert len(before.splitlines()) - len(after.splitlines()) == 1
    assert _po(catalogs, "ti").with_suffix(".mo").exists()
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "translation.approve")).one()
    assert entry.staff_id == translator.id and entry.subject == "translation:ti:ack.better"
    assert entry.details["was_fuzzy"] is True


def test_changed_placeholders_are_refused(catalogs, translator, login) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(translator)
    token = csrf_of(client.get("/admin/translations/so").text)
    response = client.post(
        "/admin/translations/so/approve",
        data={"csrf_token": token, "msgid": "absence.back", "text": "{magac} wuu soo fiicnaaday."},
        headers={"accept-language": "da"},
    )
    assert response.status_code == 422
    assert "pladsholder" in response.text.lower()
    assert read(_po(catalogs, "so"), "so").get("absence.back").fuzzy


@pytest.mark.parametrize(
    "path",
    ["/admin/citizens", "/admin/companies", "/admin/conversations", "/admin/items.csv", "/admin/hearings",
     "/admin/audit", "/admin/settings", "/admin/conversations/+4520000001"],
)
def test_a_translator_sees_nothing_but_the_translations(world, translator, login, path: str) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(translator)
    response = client.get(path)
    assert response.status_code == 404
    assert "Amal" not in response.text


def test_the_start_page_sends_a_translator_to_work_and_the_menu_has_nothing_else(translator, login) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(translator)
    start = client.get("/admin/", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/admin/translations"
    menu = client.get("/admin/translations").text.split("<nav")[1].split("</nav>")[0]
    assert "/admin/citizens" not in menu and "/admin/conversations" not in menu and 'href="/admin/"' not in menu


def test_other_roles_cannot_approve(world, login) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = login(world["caseworker"])
    assert client.get("/admin/translations/ar").status_code == 404
    assert client.get("/admin/translations").status_code == 200
