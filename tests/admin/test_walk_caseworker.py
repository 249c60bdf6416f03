"""A caseworker's day on a phone (360 x 740) in Chromium, through the panel only.

She tries to record tomorrow's class as an absence (refused beside the row, nothing lost), finds
the absences without notice of the last month across her citizens, widens the period, opens a
hearing case from the list with the absences ticked, and downloads the evidence: a Danish
summary in local time with the messages of the period. Every page she sees is saved at
360 x 740 and at 1280 x 800 under test-artifacts/walks/caseworker/.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import clock
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.contacts.models import Citizen, Role, Staff
from bot.hearings.models import HearingCase
from bot.reminders.models import Appointment, AppointmentKind
from tests.admin import test_browser, walks
from tests.admin.conftest import password_hash

pytestmark = test_browser.pytestmark
browser_engine = test_browser.browser_engine
server = test_browser.server
page = test_browser.page

PHONE = walks.PHONE
# The box of a radio button and the box of the words of its label (not the label's own box).
RADIO_AND_WORDS = """selector => {
  const input = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(input.parentElement);
  range.setStartAfter(input);
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  return [box(input.getBoundingClientRect()), box(range.getBoundingClientRect())];
}"""
LOCAL = ZoneInfo("Europe/Copenhagen")


def _shoot(page: Any, name: str) -> None:
    walks.shoot(page, "caseworker", name)


def _fits(page: Any) -> None:
    walks.fits(page)


def _in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _absent(db: Session, citizen: Citizen, starts_at: Any, title: str) -> int:
    citizen_id = citizen.id
    assert citizen_id is not None
    appointment = Appointment(
        citizen_id=citizen_id, kind=AppointmentKind.class_, starts_at=starts_at, title=title
    )
    db.add(appointment)
    db.flush()
    assert appointment.id is not None
    db.add(
        Attendance(
            appointment_id=appointment.id,
            citizen_id=citizen_id,
            outcome=Outcome.absent_without_notice,
            source=OutcomeSource.import_file,
            recorded_at=starts_at + timedelta(hours=4),
        )
    )
    db.add(
        Message(
            direction=Direction.outbound,
            phone=citizen.phone,
            body=f"Påmindelse: {title}",
            contact_kind=ContactKind.citizen,
            contact_id=citizen_id,
            purpose="reminder",
            status=MessageStatus.delivered,
            created_at=starts_at - timedelta(days=1),
        )
    )
    return appointment.id


def _caseload(engine: Engine, amal_id: int) -> dict[str, int]:
    """Absences without notice over six weeks for three citizens, and tomorrow's class."""
    now = clock.utcnow()
    with Session(engine, expire_on_commit=False) as db:
        db.add(
            Staff(
                name="Carl Caseworker",
                email="carl@kommune.dk",
                role=Role.caseworker,
                password_hash=password_hash(),
            )
        )
        long_name = Citizen(name="Mohammed Abdullahi Hassan Farah", phone="+4520000002", language="so")
        hiwet = Citizen(name="Hiwet Gebre", phone="+4520000003", language="ti")
        db.add_all([long_name, hiwet])
        db.flush()
        amal = db.get(Citizen, amal_id)
        assert amal is not None and hiwet.id is not None
        ids = {
            "amal_1": _absent(db, amal, now - timedelta(days=20), "Dansk 2, modul 3 (eftermiddagshold)"),
            "amal_2": _absent(db, amal, now - timedelta(days=13), "Dansk 2, modul 3 (eftermiddagshold)"),
            "long": _absent(db, long_name, now - timedelta(days=5), "Praktik hos Netto Helsingør Centrum"),
            "old": _absent(db, hiwet, now - timedelta(days=40), "Dansk 1"),
        }
        tomorrow = Appointment(
            citizen_id=hiwet.id,
            kind=AppointmentKind.class_,
            starts_at=now + timedelta(days=1),
            title="Dansk 1",
        )
        db.add(tomorrow)
        db.commit()
        assert tomorrow.id is not None
        ids["tomorrow"] = tomorrow.id
        ids["hiwet"] = hiwet.id
        return ids


def test_a_caseworkers_day_on_a_phone(server: str, browser_engine: Engine, page: Any, tmp_path: Path) -> None:
    seeded = test_browser._seed(browser_engine)
    ids = _caseload(browser_engine, seeded["amal"])
    page.set_viewport_size(PHONE)
    test_browser._sign_in(page, server, "carl@kommune.dk")
    _fits(page)
    _shoot(page, "01-home")

    # Tomorrow's class cannot be recorded as an absence today: refused beside the row, as typed.
    tomorrow = (clock.utcnow() + timedelta(days=1)).astimezone(LOCAL).date().isoformat()
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Fremmøde", exact=True).click()
    page.get_by_label("Dag", exact=True).fill(tomorrow)
    page.get_by_role("button", name="Vis dagen").click()
    page.get_by_text("ikke begyndt endnu").first.wait_for()
    page.get_by_label("Udfald for de valgte aftaler").select_option("absent_without_notice")
    page.locator(f"#pick-{ids['tomorrow']}").check()
    page.get_by_role("button", name="Registrér fremmøde").click()
    page.locator(f"#pick-{ids['tomorrow']}-error").wait_for()
    assert "Er ikke begyndt endnu" in page.locator(f"#pick-{ids['tomorrow']}-error").inner_text()
    assert page.locator(f"#pick-{ids['tomorrow']}").is_checked()
    assert page.get_by_label("Udfald for de valgte aftaler").input_value() == "absent_without_notice"
    _fits(page)
    _shoot(page, "02-attendance-refused")
    with Session(browser_engine) as db:
        assert db.get(Attendance, ids["tomorrow"]) is None

    # The last month's absences without notice, by citizen.
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Fravær uden afbud", exact=True).click()
    page.get_by_role("heading", name="Fravær uden afbud").wait_for()
    summary = page.get_by_role("status").inner_text()
    assert summary.startswith("3 aftaler med fravær uden afbud fra ") and "2 borgere" in summary
    assert page.get_by_role("heading", name="Mohammed Abdullahi Hassan Farah").is_visible()
    assert page.get_by_text("Dansk 1").count() == 0  # six weeks ago: outside the last month
    _fits(page)
    _shoot(page, "03-absences-month")

    # A period the other way round is refused beside the field; what she typed stays.
    first = page.get_by_label("Første dag")
    last = page.get_by_label("Sidste dag")
    chosen_first, chosen_last = first.input_value(), last.input_value()
    first.fill(chosen_last)
    last.fill(chosen_first)
    page.get_by_role("button", name="Vis perioden").click()
    page.locator("#period-to-error").wait_for()
    assert _in_view(page, "#period-to-error")
    assert page.get_by_label("Første dag").input_value() == chosen_last
    _fits(page)
    _shoot(page, "04-absences-refused")

    # Six weeks back: Hiwet's old absence appears.
    start = (clock.utcnow() - timedelta(days=42)).astimezone(LOCAL).date().isoformat()
    page.get_by_label("Første dag").fill(start)
    page.get_by_label("Sidste dag").fill(chosen_last)
    page.get_by_role("button", name="Vis perioden").click()
    page.get_by_role("heading", name="Hiwet Gebre").wait_for()
    assert page.get_by_role("status").inner_text().startswith("4 aftaler med fravær uden afbud")
    _fits(page)
    _shoot(page, "05-absences-six-weeks")

    # Amal's page from the list, then back, then a hearing from the list with both absences ticked.
    page.get_by_role("link", name="Amal Hassan").click()
    page.get_by_role("heading", name=re.compile("Amal Hassan")).first.wait_for()
    _fits(page)
    _shoot(page, "06-citizen")
    page.go_back()
    amal = page.locator("section.absence-group").filter(has=page.get_by_role("heading", name="Amal Hassan"))
    amal.get_by_role("link", name="Opret en partshøring").click()
    page.get_by_role("heading", name=re.compile("Opret en partshøring")).wait_for()
    assert page.locator(f"#absence-{ids['amal_1']}").is_checked()
    assert page.locator(f"#absence-{ids['amal_2']}").is_checked()
    _fits(page)
    _shoot(page, "07-new-hearing")
    page.get_by_role("button", name="Opret partshøringen").click()
    page.get_by_role("link", name="Hent dokumentationen (zip)").wait_for()
    _fits(page)
    _shoot(page, "08-hearing")
    # The letter still has fields only staff can fill in: the case page says so before it is sent.
    assert page.locator(".letter-placeholders").is_visible()
    # Each radio button of the assessment sits on the line of its label, before the words.
    for value in ("sanction", "no_sanction"):
        radio, words = page.evaluate(RADIO_AND_WORDS, f'input[name="recommendation"][value="{value}"]')
        assert radio["right"] <= words["left"], f"{value}: the words are not after the button"
        middle = (radio["top"] + radio["bottom"]) / 2
        assert words["top"] <= middle <= words["bottom"], f"{value}: the words sit below the button"

    # The evidence: a Danish summary in local time, and the reminders of the period.
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent dokumentationen (zip)").click()
    saved = tmp_path / "evidence.zip"
    download.value.save_as(str(saved))
    archive = zipfile.ZipFile(saved)
    text = archive.read("summary.txt").decode()
    assert (
        text.startswith("Partshøringssag H-") and "Alle tidspunkter er lokal tid (Europe/Copenhagen)." in text
    )
    reminders = [
        r
        for r in csv.DictReader(io.StringIO(archive.read("messages.csv").decode()))
        if r["purpose"] == "reminder"
    ]
    assert len(reminders) == 2
    walks.menu(page)  # on a phone the header's menu is folded
    page.get_by_role("link", name="Fravær uden afbud", exact=True).click()
    amal = page.locator("section.absence-group").filter(has=page.get_by_role("heading", name="Amal Hassan"))
    assert amal.get_by_role("link", name="Opret en partshøring").count() == 0  # both are in the open case
    assert amal.get_by_text("i den åbne sag").count() == 2
    _fits(page)
    _shoot(page, "09-absences-after")
    with Session(browser_engine) as db:
        case = db.exec(select(HearingCase)).one()
        assert case.citizen_id == seeded["amal"] and case.recommendation is None and case.decision is None
