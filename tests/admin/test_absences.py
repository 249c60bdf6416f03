"""Hearing cases and absences in the panel: who sees which case, and the benefits decision."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from bot.hearings.models import HearingCase, HearingStatus, Recommendation
from bot.reminders.models import Appointment, AppointmentKind
from bot.sick_notices.models import SickNotice
from tests.admin.conftest import csrf_of


def _case(db: Session, world, now, status: HearingStatus, reference: str) -> int:  # type: ignore[no-untyped-def]
    case = HearingCase(
        reference=reference,
        citizen_id=world["amal"].id,
        status=status,
        opened_by_id=world["caseworker"].id,
        opened_at=now - timedelta(days=10),
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 31),
        reply_deadline=now + timedelta(days=4),
        recommendation=Recommendation.sanction if status is HearingStatus.assessed else None,
        assessment_reasons="Absent four times without notice" if status is HearingStatus.assessed else None,
    )
    db.add(case)
    db.commit()
    assert case.id is not None
    case_id = case.id
    db.expunge_all()
    return case_id


def test_who_sees_which_hearing_case(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    waiting = _case(db, world, now, HearingStatus.awaiting_remarks, "P-2026-0001")
    assessed = _case(db, world, now, HearingStatus.assessed, "P-2026-0002")
    caseworker = login(world["caseworker"])
    assert caseworker.get(f"/admin/hearings/{waiting}").status_code == 200
    assert caseworker.get(f"/admin/hearings/{assessed}").status_code == 200
    benefits = login(world["benefits"])
    assert benefits.get(f"/admin/hearings/{waiting}").status_code == 404
    page = benefits.get(f"/admin/hearings/{assessed}")
    assert page.status_code == 200 and "Registrér afgørelsen" in page.text
    assert "P-2026-0001" not in benefits.get("/admin/hearings").text
    anna = login(world["anna"])  # Amal's consultant reads the case, without the decision form
    anna_page = anna.get(f"/admin/hearings/{assessed}")
    assert anna_page.status_code == 200 and "Registrér afgørelsen" not in anna_page.text
    assert anna.get("/admin/hearings").status_code == 404
    assert login(world["bo"]).get(f"/admin/hearings/{assessed}").status_code == 404
    lead = login(world["lead"])
    lead_page = lead.get(f"/admin/hearings/{assessed}")
    assert lead_page.status_code == 200 and "Registrér afgørelsen" not in lead_page.text


def test_benefits_records_the_decision_with_reasons(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    case_id = _case(db, world, now, HearingStatus.assessed, "P-2026-0003")
    benefits = login(world["benefits"])
    token = csrf_of(benefits.get(f"/admin/hearings/{case_id}").text)
    refused = benefits.post(
        f"/admin/hearings/{case_id}/decision",
        data={"csrf_token": token, "decision": "sanction", "reasons": ""},
    )
    assert refused.status_code == 422 and "begrundelsen" in refused.text
    done = benefits.post(
        f"/admin/hearings/{case_id}/decision",
        data={"csrf_token": token, "decision": "no_sanction", "reasons": "Documentation from the doctor"},
    )
    assert done.status_code == 303
    db.expire_all()
    case = db.get(HearingCase, case_id)
    assert case.status == HearingStatus.decided and case.decision == Recommendation.no_sanction
    assert case.decided_by_id == world["benefits"].id
    db.rollback()


def test_citizen_page_shows_sick_notices_without_their_text_and_appointments(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    db.add(
        SickNotice(
            reference="S-2026-0042",
            citizen_id=world["amal"].id,
            received_at=now - timedelta(hours=1),
            starts_on=date(2026, 11, 24),
            text="I have a bad back",
        )
    )
    db.add(
        Appointment(
            citizen_id=world["amal"].id,
            kind=AppointmentKind.meeting,
            starts_at=now + timedelta(days=1),
            title="Samtale med jobkonsulent",
            location="Jobcenter, Rådhuspladsen 1",
        )
    )
    db.commit()
    page = login(world["anna"]).get(f"/admin/citizens/{world['amal'].id}").text
    assert "S-2026-0042" in page
    assert "bad back" not in page  # what the citizen wrote may name an illness
    assert "Samtale med jobkonsulent" in page and "ikke bekræftet" in page
    assert "Fremmøde, seneste 90 dage" in page


def test_company_page_lists_placements(world, login, db) -> None:  # type: ignore[no-untyped-def]
    from bot.reminders.models import Placement

    db.add(
        Placement(
            citizen_id=world["amal"].id,
            employer_id=world["bakery"].id,
            start_date=date(2026, 11, 2),
            purpose="Danish at work",
        )
    )
    db.commit()
    page = login(world["anna"]).get(f"/admin/companies/{world['bakery'].id}").text
    assert "Amal Hassan" in page and "Danish at work" in page and "Forløb" in page
