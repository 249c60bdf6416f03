import csv
import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from bot.absences import attendance, export, hearings, jobs, letters, service
from bot.absences.hearings import HearingRuleError
from bot.absences.models import HearingStatus, Outcome
from bot.absences.service import NoticeOptions
from bot.channels.models import ContactKind, Direction, Message, MessageStatus, SignatureVerdict
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.items import service as items

TZ = "Europe/Copenhagen"


def _staff(s, role, name):
    staff = Staff(name=name, email=f"{name.lower()}@kommune.dk", role=role)
    s.add(staff)
    s.flush()
    return staff


def _absent(s, world, now):
    attendance.mark_many(s, appointment_ids=[world.klass.id, world.internship.id],
                         outcome=Outcome.absent_without_notice, now=now, staff_id=world.consultant.id)


def _open(s, world, now, caseworker):
    return hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.klass.id, world.internship.id],
                              staff_id=caseworker.id, now=now, tz=TZ)


def test_a_case_holds_absences_documentation_and_tells_the_citizen(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        # a notice was registered, but staff recorded the day as absence without notice
        service.record_sick_notice(s, citizen_id=world.citizen.id, starts_on=date(2026, 11, 24), ends_on=None,
                                   text="cold", now=now, options=NoticeOptions(tz=TZ))
        _absent(s, world, now)
        case = _open(s, world, now + timedelta(days=1), caseworker)
        s.commit()
        assert case.reference == "H-2026-000001"
        assert case.status == HearingStatus.awaiting_remarks
        assert case.reply_deadline.isoformat() == "2026-12-02T22:59:59+00:00"  # 7 whole days, local midnight
        assert [a.id for a in hearings.absences_of(s, case.id)] == [world.klass.id, world.internship.id]
        sources = [d.source.value for d in hearings.documents_of(s, case.id)]
        assert sources.count("consultant") == 2 and "sms_ledger" in sources
        sms = s.get(Message, case.notice_message_id)
        assert sms.template == "hearing.sms_letter_coming" and sms.locale == "ar"
        assert sms.params["reference"] == case.reference
        assert "2" in sms.params["deadline"]
        assert items.list_open(s, kind="hearing_awaiting_remarks")[0].due_at == case.reply_deadline


def test_only_absences_without_notice_can_be_heard(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        with pytest.raises(ContactInputError, match="no outcome"):
            _open(s, world, now, caseworker)
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome="attended", now=now, staff_id=None)
        with pytest.raises(ContactInputError, match="attended"):
            _open(s, world, now, caseworker)
        with pytest.raises(ContactInputError) as err:
            hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[], staff_id=caseworker.id,
                               now=now, tz=TZ)
        assert err.value.field == "appointment_ids"


def test_citizen_sms_during_the_hearing_become_remarks(engine, world, now, settings):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        _absent(s, world, now)
        case = _open(s, world, now, caseworker)
        inbound = Message(direction=Direction.inbound, phone=world.citizen.phone, body="I sent SMS that day",
                          contact_kind=ContactKind.citizen, contact_id=world.citizen.id,
                          status=MessageStatus.processed, created_at=now + timedelta(hours=3))
        s.add(inbound)
        s.flush()
        remark = hearings.attach_citizen_message(s, message=inbound)
        assert remark.case_id == case.id
        assert hearings.attach_citizen_message(s, message=inbound).id == remark.id
        assert len(hearings.sync_remarks(s, case)) == 1
        item = items.list_open(s, kind="hearing_remark")[0]
        assert item.assignee_id == caseworker.id and item.message_id == inbound.id
        later = Message(direction=Direction.inbound, phone=world.citizen.phone, body="And the doctor said so",
                        contact_kind=ContactKind.citizen, contact_id=world.citizen.id,
                        status=MessageStatus.processed, created_at=now + timedelta(hours=4))
        s.add(later)
        case_id = case.id
        s.commit()
    jobs.hearing_remarks_job(engine, settings, None, now + timedelta(hours=5))
    with Session(engine) as s:
        assert len(hearings.sync_remarks(s, hearings.get_case(s, case_id))) == 2


def test_assessment_then_decision_by_the_benefits_department(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        benefits = _staff(s, Role.benefits, "Yrsa")
        _absent(s, world, now)
        case = _open(s, world, now, caseworker)
        with pytest.raises(HearingRuleError, match="may answer until"):
            hearings.record_assessment(s, case_id=case.id, recommendation="sanction", reasons="no reply",
                                       staff=caseworker, now=now + timedelta(days=2))
        with pytest.raises(HearingRuleError, match="assessment first"):
            hearings.record_decision(s, case_id=case.id, decision="sanction", reasons="x", staff=benefits, now=now)
        later = now + timedelta(days=9)
        hearings.record_assessment(s, case_id=case.id, recommendation="sanction", reasons="No reply, no notice",
                                   staff=caseworker, now=later)
        with pytest.raises(HearingRuleError, match="benefits"):
            hearings.record_decision(s, case_id=case.id, decision="sanction", reasons="x", staff=caseworker, now=later)
        decided = hearings.record_decision(s, case_id=case.id, decision="no_sanction", reasons="Documentation arrived",
                                           staff=benefits, now=later)
        assert decided.status == HearingStatus.decided
        assert decided.recommendation.value == "sanction" and decided.decision.value == "no_sanction"
        assert items.list_open(s, kind=["hearing_awaiting_remarks", "hearing_awaiting_decision"]) == []


def test_no_sanction_may_be_recommended_at_once(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        _absent(s, world, now)
        case = _open(s, world, now, caseworker)
        hearings.record_assessment(s, case_id=case.id, recommendation="no_sanction", reasons="Bus strike",
                                   staff=caseworker, now=now)
        assert case.status == HearingStatus.assessed


def test_the_letter_is_in_danish_and_in_the_citizens_language(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        _absent(s, world, now)
        case = _open(s, world, now, caseworker)
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
        assert html.count('<section class="letter"') == 2
        assert 'lang="da" dir="ltr"' in html and 'lang="ar" dir="rtl"' in html
        assert "Partshøring om fravær uden afbud" in html
        assert "tirsdag 1 december 2026" in html  # the deadline, in Danish
        assert "Kommunen: indsæt lovgrundlaget" in html  # a placeholder the municipality fills in
        assert "Amal Hassan" in html and case.reference in html
        assert "<script" not in html


def test_a_danish_citizen_gets_one_letter(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        world.citizen.language = "da"
        s.add(world.citizen)
        _absent(s, world, now)
        case = _open(s, world, now, caseworker)
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
        assert html.count('<section class="letter"') == 1


def test_evidence_export_has_every_message_and_a_manifest(engine, world, now):
    with Session(engine) as s:
        caseworker = _staff(s, Role.caseworker, "Birte")
        inbound = Message(direction=Direction.inbound, phone=world.citizen.phone, body="ana mareed",
                          contact_kind=ContactKind.citizen, contact_id=world.citizen.id,
                          provider_sid="SM" + "a" * 32, signature=SignatureVerdict.valid,
                          status=MessageStatus.processed, created_at=now)
        s.add(inbound)
        s.flush()
        service.record_sick_notice(s, citizen_id=world.citizen.id, starts_on=date(2026, 11, 24), ends_on=None,
                                   text="fever", now=now, options=NoticeOptions(tz=TZ),
                                   inbound_message_id=inbound.id)
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome=Outcome.absent_without_notice,
                             now=now, staff_id=None)
        case = hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.klass.id],
                                  staff_id=caseworker.id, now=now + timedelta(hours=1), tz=TZ)
        s.commit()
        data = export.export_case(s, case_id=case.id, tz=TZ, now=now + timedelta(hours=2))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert names == {"summary.txt", "case.json", "messages.csv", "messages.json", "letter.html", "manifest.sha256"}
    for line in archive.read("manifest.sha256").decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    rows = json.loads(archive.read("messages.json"))
    directions = {r["direction"] for r in rows}
    assert directions == {"inbound", "outbound"}
    first = rows[0]
    assert first["provider_sid"] == "SM" + "a" * 32 and first["signature"] == "valid"
    assert {r["purpose"] for r in rows} >= {"receipt", "hearing"}
    assert all(r["phone"] == world.citizen.phone for r in rows)  # nobody else's messages
    csv_rows = list(csv.DictReader(io.StringIO(archive.read("messages.csv").decode())))
    assert len(csv_rows) == len(rows)
    summary = archive.read("summary.txt").decode()
    assert case.reference in summary and "Message ledger: intact" in summary
    assert "Ledger head at export: message" in summary
    assert "does not decide" in summary
