"""The company page remembers: every ticket, reported no-shows, placements, follow-ups and the
partnership's pauses, newest first, in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.escalations import follow_ups, service
from bot.reminders.models import Appointment, AppointmentKind, Placement
from tests.admin.conftest import csrf_of


def _history(db, world, settings, now) -> None:  # type: ignore[no-untyped-def]
    bakery, amal = world["bakery"], world["amal"]
    old = service.open_ticket(db, employer_id=bakery.id, kind="problem", summary="Gammelt problem",
                              now=now - timedelta(days=20), settings=settings, contact_id=world["baker"].id)
    service.resolve(db, ticket_id=old.id, staff_id=world["anna"].id, outcome="solved",
                    now=now - timedelta(days=19), settings=settings)
    service.open_ticket(db, employer_id=bakery.id, kind="recruitment", summary="Vi søger en bager",
                        now=now, settings=settings, contact_id=world["baker"].id)
    earlier = Placement(citizen_id=amal.id, employer_id=bakery.id, start_date=date(2026, 3, 2),
                        end_date=date(2026, 5, 29), purpose="Sprog på arbejdspladsen")
    running = Placement(citizen_id=amal.id, employer_id=bakery.id, start_date=date(2026, 11, 2))
    db.add_all([earlier, running])
    db.flush()
    day = Appointment(citizen_id=amal.id, kind=AppointmentKind.internship_day, placement_id=running.id,
                      starts_at=now - timedelta(days=1))
    db.add(day)
    db.flush()
    db.add(Attendance(appointment_id=day.id, citizen_id=amal.id, outcome=Outcome.absent_without_notice,
                      source=OutcomeSource.employer_sms, pending_check=True, recorded_at=now - timedelta(days=1)))
    follow_ups.record_contact(db, placement_id=running.id, kind="call", acting_staff=world["anna"].id,
                              now=now, settings=settings, at=now - timedelta(hours=2), note="Det går fint")
    db.commit()
    db.expunge_all()


def test_the_company_page_shows_its_history_newest_first(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    _history(db, world, settings, now)
    anna = login(world["anna"])
    page = anna.get(f"/admin/companies/{world['bakery'].id}").text
    db.rollback()
    tickets = page[page.index('id="company-tickets"'):page.index('id="placements"')]
    assert tickets.index("Vi søger en bager") < tickets.index("Gammelt problem")  # newest first
    assert "Løst" in tickets and "Afventer svar" in tickets  # closed and open alike
    placements = page[page.index('id="placements"'):page.index('id="no-shows"')]
    assert placements.index("02.11.2026") < placements.index("02.03.2026 til 29.05.2026")
    # The call 2 hours ago sets the next follow-up 14 days later.
    assert "Virksomhedspraktik" in placements and "08.12.2026 06:00" in placements
    no_shows = page[page.index('id="no-shows"'):page.index('id="follow-ups"')]
    assert "Amal Hassan" in no_shows and "Fravær uden afbud" in no_shows and "afventer kontrol" in no_shows
    follow = page[page.index('id="follow-ups"'):page.index('id="partnership-history"')]
    assert "Opkald" in follow and "Det går fint" in follow and "Anna Consultant" in follow
    assert 'data-label="Hvornår"' in follow  # the table reflows on a phone with its labels


def test_pausing_the_partnership_is_remembered_with_who_and_why(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    url = f"/admin/companies/{world['bakery'].id}"
    token = csrf_of(anna.get(url).text)
    assert anna.post(url + "/partnership", data={"csrf_token": token, "reason": "Travl sæson"}).status_code == 303
    assert anna.post(url + "/partnership", data={"csrf_token": token}).status_code == 303
    page = anna.get(url).text
    history = page[page.index('id="partnership-history"'):]
    assert history.index("Genoptaget") < history.index("På pause") < history.index("Travl sæson")
    assert "Anna Consultant" in history


def test_a_follow_up_item_reads_in_the_staff_member_s_language(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    placement = Placement(citizen_id=world["amal"].id, employer_id=world["bakery"].id,
                          start_date=date(2026, 11, 2))
    db.add(placement)
    db.commit()
    follow_ups.sweep(db, now=now, settings=settings, quiet_hours=None)
    db.commit()
    db.expunge_all()
    anna = login(world["anna"])
    home = anna.get("/admin/").text
    assert "Opfølgende besøg eller opkald skal ske: Amal Hassan hos Bageriet ApS" in home
    assert "Opfølgning" in home and "follow_up" not in home
    anna.cookies.set("admin_lang", "en")
    assert "Follow-up visit or call due: Amal Hassan at Bageriet ApS" in anna.get("/admin/").text
