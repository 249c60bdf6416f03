"""A caseworker prepares a hearing in the panel: opens it from absences without notice, adds
documentation and remarks, records the assessment, sends the guidance. Consultants only read;
the benefits department only decides."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.audit.models import AuditEntry
from bot.channels.models import Message
from bot.hearings import hearings
from bot.hearings.models import (
    DocumentSource,
    GuidanceDelivery,
    HearingAbsence,
    HearingCase,
    HearingDocument,
    HearingRemark,
    HearingStatus,
    Recommendation,
)
from bot.reminders.models import Appointment, AppointmentKind
from bot.sick_notices.models import Cancellation
from tests.admin.conftest import csrf_of


def _absence(db: Session, world, now: datetime, days_ago: int, *, pending: bool = False) -> int:  # type: ignore[no-untyped-def]
    appointment = Appointment(
        citizen_id=world["amal"].id,
        kind=AppointmentKind.class_,
        starts_at=now - timedelta(days=days_ago, hours=-1),
        title=f"Dansk 2, uge {days_ago}",
    )
    db.add(appointment)
    db.commit()
    assert appointment.id is not None
    db.add(
        Attendance(
            appointment_id=appointment.id,
            citizen_id=world["amal"].id,
            outcome=Outcome.absent_without_notice,
            source=OutcomeSource.employer_sms if pending else OutcomeSource.staff,
            pending_check=pending,
            recorded_at=now - timedelta(days=days_ago),
        )
    )
    db.commit()
    appointment_id = appointment.id
    db.expunge_all()
    return appointment_id


def _open_case(db: Session, world, now: datetime) -> int:  # type: ignore[no-untyped-def]
    appointment_id = _absence(db, world, now, 6)
    case = hearings.open_case(
        db,
        citizen_id=world["amal"].id,
        appointment_ids=[appointment_id],
        staff_id=world["caseworker"].id,
        now=now,
        tz="Europe/Copenhagen",
    )
    db.commit()
    assert case.id is not None
    case_id = case.id
    db.expunge_all()
    return case_id


def _audited(db: Session, action: str, subject: str) -> AuditEntry:
    entry = db.exec(
        select(AuditEntry).where(AuditEntry.action == action, AuditEntry.subject == subject)
    ).one()
    return entry


def test_caseworker_opens_a_case_from_absences_without_notice(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    chosen = _absence(db, world, now, 3)
    pending = _absence(db, world, now, 2, pending=True)
    caseworker = login(world["caseworker"])
    citizen_page = caseworker.get(f"/admin/citizens/{world['amal'].id}").text
    assert "Opret en partshøring ud fra fravær uden afbud" in citizen_page
    page = caseworker.get(f"/admin/citizens/{world['amal'].id}/hearings/new")
    assert page.status_code == 200 and "Dansk 2, uge 3" in page.text
    assert f'value="{pending}"' in page.text and "meldt af arbejdsgiveren" in page.text
    token = csrf_of(page.text)
    refused = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/hearings",
        data={"csrf_token": token, "appointment_ids": [pending], "reply_days": "7"},
    )
    assert refused.status_code == 422 and "venter på at blive tjekket" in refused.text
    opened = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/hearings",
        data={"csrf_token": token, "appointment_ids": [chosen], "reply_days": "10"},
    )
    assert opened.status_code == 303
    case = db.exec(select(HearingCase)).one()
    assert opened.headers["location"] == f"/admin/hearings/{case.id}"
    assert case.citizen_id == world["amal"].id and case.opened_by_id == world["caseworker"].id
    assert hearings.absences_of(db, case.id)[0].id == chosen
    notice = db.get(Message, case.notice_message_id)
    assert notice is not None and notice.phone == "+4520000001" and notice.locale == "ar"
    assert _audited(db, "create", f"hearing:{case.id}").staff_id == world["caseworker"].id
    case_id, reference = case.id, case.reference
    db.rollback()
    case_page = caseworker.get(f"/admin/hearings/{case_id}").text
    assert "Sms om at brevet er på vej" in case_page and "Udskriv partshøringsbrevet" in case_page
    letter = caseworker.get(f"/admin/hearings/{case_id}/letter")
    assert letter.status_code == 200 and reference in letter.text


def test_consultants_and_benefits_cannot_open_a_case(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    chosen = _absence(db, world, now, 3)
    for who in ("anna", "benefits"):  # Anna is Amal's own consultant: she still only reads
        client = login(world[who])
        assert client.get(f"/admin/citizens/{world['amal'].id}/hearings/new").status_code == 404
        token = csrf_of(client.get("/admin/").text)
        refused = client.post(
            f"/admin/citizens/{world['amal'].id}/hearings",
            data={"csrf_token": token, "appointment_ids": [chosen], "reply_days": "7"},
        )
        assert refused.status_code == 404
    assert db.exec(select(HearingCase)).all() == []
    db.rollback()
    anna_page = login(world["anna"]).get(f"/admin/citizens/{world['amal'].id}").text
    assert "Opret en partshøring" not in anna_page and "Send vejledningen som sms" not in anna_page


def test_caseworker_adds_documentation_and_a_remark(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    case_id = _open_case(db, world, now)
    caseworker = login(world["caseworker"])
    token = csrf_of(caseworker.get(f"/admin/hearings/{case_id}").text)
    missing = caseworker.post(
        f"/admin/hearings/{case_id}/documents",
        data={
            "csrf_token": token,
            "source": "doctor",
            "description": "Lægeerklæring",
            "received_at": "i går",
        },
    )
    assert missing.status_code == 422 and "Angiv dato og klokkeslæt" in missing.text
    assert "Lægeerklæring" in missing.text  # what was typed is kept
    added = caseworker.post(
        f"/admin/hearings/{case_id}/documents",
        data={
            "csrf_token": token,
            "source": "doctor",
            "description": "Lægeerklæring for 18/11",
            "received_at": "2026-11-20T09:15",
        },
    )
    assert added.status_code == 303
    remark = caseworker.post(
        f"/admin/hearings/{case_id}/remarks",
        data={
            "csrf_token": token,
            "text": "Borgeren ringede: bussen kørte ikke",
            "received_at": "2026-11-23T10:00",
        },
    )
    assert remark.status_code == 303
    document = db.exec(select(HearingDocument).where(HearingDocument.source == DocumentSource.doctor)).one()
    assert (
        document.description == "Lægeerklæring for 18/11" and document.added_by_id == world["caseworker"].id
    )
    assert document.received_at.astimezone().utcoffset() is not None
    assert document.received_at.replace(tzinfo=None) == datetime(2026, 11, 20, 8, 15)  # 09:15 in Copenhagen
    said = db.exec(select(HearingRemark).where(HearingRemark.case_id == case_id)).one()
    assert said.text == "Borgeren ringede: bussen kørte ikke"
    assert _audited(db, "add_document", f"hearing:{case_id}").details["source"] == "doctor"
    assert _audited(db, "add_remark", f"hearing:{case_id}").staff_id == world["caseworker"].id
    db.rollback()
    for who in ("anna", "benefits"):
        client = login(world[who])
        token = csrf_of(client.get("/admin/").text)
        refused = client.post(
            f"/admin/hearings/{case_id}/documents",
            data={
                "csrf_token": token,
                "source": "doctor",
                "description": "x",
                "received_at": "2026-11-20T09:15",
            },
        )
        assert refused.status_code == 404


def test_caseworker_records_the_assessment_and_the_service_rules_hold(world, login, db, now, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = _open_case(db, world, now)
    anna = login(world["anna"])
    page = anna.get(f"/admin/hearings/{case_id}")
    assert page.status_code == 200 and "Registrér vurderingen" not in page.text  # reads, no form
    consultant_try = anna.post(
        f"/admin/hearings/{case_id}/assessment",
        data={"csrf_token": csrf_of(page.text), "recommendation": "no_sanction", "reasons": "x"},
    )
    assert consultant_try.status_code == 404
    benefits = login(world["benefits"])
    benefits_try = benefits.post(
        f"/admin/hearings/{case_id}/assessment",
        data={
            "csrf_token": csrf_of(benefits.get("/admin/").text),
            "recommendation": "sanction",
            "reasons": "x",
        },
    )
    assert benefits_try.status_code == 404  # not assessed yet, so not even visible to benefits
    caseworker = login(world["caseworker"])
    token = csrf_of(caseworker.get(f"/admin/hearings/{case_id}").text)
    too_early = caseworker.post(
        f"/admin/hearings/{case_id}/assessment",
        data={"csrf_token": token, "recommendation": "sanction", "reasons": "Fire fravær uden afbud"},
    )
    assert too_early.status_code == 422 and "først indstilles efter svarfristen" in too_early.text
    assert "Fire fravær uden afbud" in too_early.text
    no_reasons = caseworker.post(
        f"/admin/hearings/{case_id}/assessment",
        data={"csrf_token": token, "recommendation": "no_sanction", "reasons": " "},
    )
    assert no_reasons.status_code == 422 and "Giv begrundelsen for vurderingen." in no_reasons.text
    assert db.get(HearingCase, case_id).status == HearingStatus.awaiting_remarks
    db.rollback()
    clock.move_to(now + timedelta(days=9))  # the reply deadline has passed (a new working day)
    caseworker = login(world["caseworker"])
    token = csrf_of(caseworker.get(f"/admin/hearings/{case_id}").text)
    done = caseworker.post(
        f"/admin/hearings/{case_id}/assessment",
        data={"csrf_token": token, "recommendation": "sanction", "reasons": "Fire fravær uden afbud"},
    )
    assert done.status_code == 303
    case = db.get(HearingCase, case_id)
    assert case.status == HearingStatus.assessed and case.recommendation == Recommendation.sanction
    assert (
        case.assessed_by_id == world["caseworker"].id and case.assessment_reasons == "Fire fravær uden afbud"
    )
    assert _audited(db, "assess", f"hearing:{case_id}").details == {"recommendation": "sanction"}
    db.rollback()
    benefits = login(world["benefits"])
    decision_page = benefits.get(f"/admin/hearings/{case_id}").text
    assert "Registrér afgørelsen" in decision_page and "Registrér vurderingen" not in decision_page


def test_caseworker_sends_the_guidance_in_the_citizens_language(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    caseworker = login(world["caseworker"])
    page = caseworker.get(f"/admin/citizens/{world['amal'].id}").text
    assert "Send vejledningen som sms" in page and "Send oversættelsen, som endnu ikke er godkendt" in page
    token = csrf_of(page)
    approved_only = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/guidance", data={"csrf_token": token}
    )
    assert approved_only.status_code == 303
    draft = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/guidance", data={"csrf_token": token, "allow_draft": "true"}
    )
    assert draft.status_code == 303
    sent = db.exec(select(GuidanceDelivery).order_by(GuidanceDelivery.id)).all()
    # Arabic is still a draft translation: English unless the caseworker chose the draft.
    assert [(d.language, d.draft) for d in sent] == [("en", False), ("ar", True)]
    assert all(d.sent_by_id == world["caseworker"].id and d.requested_language == "ar" for d in sent)
    entries = db.exec(select(AuditEntry).where(AuditEntry.action == "send_guidance")).all()
    assert [e.details["language"] for e in entries] == ["en", "ar"]
    db.rollback()
    assert "Vejledning sendt" in caseworker.get(f"/admin/citizens/{world['amal'].id}").text
    anna = login(world["anna"])
    refused = anna.post(
        f"/admin/citizens/{world['amal'].id}/guidance", data={"csrf_token": csrf_of(anna.get("/admin/").text)}
    )
    assert refused.status_code == 404


def test_a_cancelled_absence_goes_in_only_with_the_caseworkers_reason(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    chosen = _absence(db, world, now, 3)
    db.add(Cancellation(reference="A-2026-000045", citizen_id=world["amal"].id, appointment_id=chosen,
                        received_at=now - timedelta(days=3, hours=1)))
    db.commit()
    caseworker = login(world["caseworker"])
    page = caseworker.get(f"/admin/citizens/{world['amal'].id}/hearings/new").text
    assert "Afbud A-2026-000045 modtaget 21.11.2026 07:00" in page  # an hour before the class
    assert f'name="override_ids" value="{chosen}"' in page
    token = csrf_of(page)
    refused = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/hearings",
        data={"csrf_token": token, "appointment_ids": [chosen], "reply_days": "7",
              "override_ids": [chosen], "override_reasons": [""]},
    )
    assert refused.status_code == 422
    assert ("Fraværet 21.11.2026 09:00 (Dansk 2, uge 3) har en sygemelding eller et afbud registreret: "
            "A-2026-000045.") in refused.text
    assert db.exec(select(HearingCase)).all() == []
    db.rollback()
    opened = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/hearings",
        data={"csrf_token": token, "appointment_ids": [chosen], "reply_days": "7",
              "override_ids": [chosen], "override_reasons": ["Afbuddet kom efter fristen i aftalen"]},
    )
    assert opened.status_code == 303
    case = db.exec(select(HearingCase)).one()
    link = db.get(HearingAbsence, (case.id, chosen))
    assert link is not None
    assert (link.override_reason, link.overridden_by_id) == ("Afbuddet kom efter fristen i aftalen",
                                                             world["caseworker"].id)
    assert _audited(db, "create", f"hearing:{case.id}").details["overridden"] == [chosen]
    case_id = case.id
    db.rollback()
    case_page = caseworker.get(f"/admin/hearings/{case_id}").text
    assert "afbud eller sygemelding registreret: A-2026-000045" in case_page
    assert "Taget med alligevel. Begrundelse:" in case_page and "Afbuddet kom efter fristen i aftalen" in case_page
    assert "Sygemeldinger og afbud i perioden" in case_page
    letter = caseworker.get(f"/admin/hearings/{case_id}/letter").text
    assert "Afbud A-2026-000045 modtaget" in letter and "Afbuddet kom efter fristen i aftalen" in letter


def test_an_absence_in_an_open_case_cannot_be_chosen_again(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _open_case(db, world, now)
    held = db.exec(select(HearingAbsence)).one().appointment_id
    db.rollback()
    caseworker = login(world["caseworker"])
    page = caseworker.get(f"/admin/citizens/{world['amal'].id}/hearings/new").text
    assert "allerede med i den åbne sag H-2026-000001" in page
    assert re.search(rf'id="absence-{held}" name="appointment_ids" value="{held}"\s+disabled>', page)
    refused = caseworker.post(
        f"/admin/citizens/{world['amal'].id}/hearings",
        data={"csrf_token": csrf_of(page), "appointment_ids": [held], "reply_days": "7"},
    )
    assert refused.status_code == 422
    assert "(Dansk 2, uge 6) er allerede med i den åbne partshøring H-2026-000001." in refused.text
    assert len(db.exec(select(HearingCase)).all()) == 1


def test_without_absences_there_is_nothing_to_open(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world["caseworker"]).get(f"/admin/citizens/{world['amal'].id}/hearings/new").text
    assert "Der er ikke registreret fravær uden afbud." in page
    assert "Opret partshøringen" not in page
