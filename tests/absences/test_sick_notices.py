from datetime import date, timedelta

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome
from bot.channels.models import Message
from bot.i18n import render
from bot.items.models import OpenItem
from bot.sick_notices import service
from bot.sick_notices.models import SickNotice, SickNoticeAppointment, SickNoticeMessage
from bot.sick_notices.service import NoticeOptions

TUESDAY = date(2026, 11, 24)
OPTIONS = NoticeOptions(tz="Europe/Copenhagen")


def _record(s, world, now, **kw):
    args = {"citizen_id": world.citizen.id, "starts_on": TUESDAY, "ends_on": None, "text": "fever", "now": now,
            "options": OPTIONS}
    args.update(kw)
    return service.record_sick_notice(s, **args)


def test_a_notice_is_linked_receipted_and_the_right_people_are_told(engine, world, now):
    with Session(engine) as s:
        notice = _record(s, world, now)
        s.commit()
        assert notice.reference == "S-2026-000001"
        assert notice.late is False
        links = s.exec(select(SickNoticeAppointment)).all()
        assert {link.appointment_id for link in links} == {world.klass.id, world.internship.id}
        outcomes = {a.appointment_id: a.outcome for a in s.exec(select(Attendance)).all()}
        assert outcomes == {world.klass.id: Outcome.absent_with_notice, world.internship.id: Outcome.absent_with_notice}

        receipt = s.get(Message, notice.receipt_message_id)
        assert receipt.template == "absence.receipt" and receipt.locale == "ar"
        assert receipt.phone == world.citizen.phone
        assert receipt.params["reference"] == "S-2026-000001"
        english = render("absence.receipt", "en", receipt.params)
        assert "S-2026-000001" in english
        arabic = render(receipt.template, "ar", receipt.params)
        assert "09:00" in arabic and "12:00" in arabic and "Netto" in arabic
        # Staff read the same receipt in Danish, with no Arabic in its date or what it covers.
        danish = render(receipt.template, "da", receipt.params)
        assert "Netto" in danish and not any("\u0600" <= ch <= "\u06ff" for ch in danish)

        told = {(m.contact_kind.value, m.template, m.locale) for m in s.exec(select(Message)).all()
                if m.purpose == "notice"}
        assert told == {("employer_contact", "absence.notice_employer_open", "da"),
                        ("centre_contact", "absence.notice_centre_open", "en")}
        for m in s.exec(select(Message)).all():
            assert "fever" not in str(m.params)
        item = s.exec(select(OpenItem).where(OpenItem.kind == "sick_notice")).one()
        assert item.assignee_id == world.consultant.id
        assert "fever" not in item.summary and "fever" not in str(item.details)
        assert len(s.exec(select(SickNoticeMessage)).all()) == 3


def test_a_notice_after_class_started_is_late_but_recorded(engine, world, now):
    with Session(engine) as s:
        notice = _record(s, world, now + timedelta(hours=2))  # 10:00 local, class started at 09:00
        s.commit()
        assert notice.late is True
        klass = s.get(Attendance, world.klass.id)
        internship = s.get(Attendance, world.internship.id)
        assert klass.outcome == Outcome.absent_with_late_notice
        assert internship.outcome == Outcome.absent_with_notice


def test_a_known_end_tells_the_employer_when_the_citizen_is_back(engine, world, now):
    with Session(engine) as s:
        notice = _record(s, world, now, ends_on=TUESDAY + timedelta(days=1))
        s.commit()
        ids = {link.appointment_id for link in s.exec(select(SickNoticeAppointment)).all()}
        assert world.wednesday_class.id in ids
        employer_notice = s.exec(select(Message).where(Message.template == "absence.notice_employer")).one()
        assert employer_notice.params["back"] == "torsdag d. 26. november"
        assert notice.ends_on == date(2026, 11, 25)
        # one notice per contact, even though the centre has two classes covered
        assert len(s.exec(select(Message).where(Message.template == "absence.notice_centre")).all()) == 1


def test_references_count_per_year(engine, world, now):
    with Session(engine) as s:
        first = _record(s, world, now)
        second = _record(s, world, now)
        s.commit()
        assert (first.reference, second.reference) == ("S-2026-000001", "S-2026-000002")


def test_better_ends_the_notice_and_frees_later_appointments(engine, world, now):
    with Session(engine) as s:
        _record(s, world, now, ends_on=TUESDAY + timedelta(days=1))
        s.commit()
    with Session(engine) as s:
        ended = service.end_sick_notice(s, citizen_id=world.citizen.id, now=now + timedelta(hours=6),
                                        options=OPTIONS)
        s.commit()
        assert ended.ended_at is not None
        assert ended.ends_on == TUESDAY
        ids = {link.appointment_id for link in s.exec(select(SickNoticeAppointment)).all()}
        assert world.wednesday_class.id not in ids
        assert s.get(Attendance, world.wednesday_class.id) is None
        assert service.end_sick_notice(s, citizen_id=world.citizen.id, now=now + timedelta(hours=7),
                                       options=OPTIONS) is None
        back = s.exec(select(Message).where(Message.template == "absence.back")).all()
        assert {(m.contact_kind.value, m.params["back"]) for m in back} == {
            ("employer_contact", "onsdag d. 25. november"), ("centre_contact", "Wednesday 25 November")}


def test_an_open_notice_covers_each_new_day_and_asks_for_documentation_after_three_days(engine, world, now):
    with Session(engine) as s:
        _record(s, world, now)
        s.commit()
    with Session(engine) as s:
        service.extend_open_notices(s, now=now + timedelta(days=1), options=OPTIONS)
        s.commit()
        ids = {link.appointment_id for link in s.exec(select(SickNoticeAppointment)).all()}
        assert world.wednesday_class.id in ids
        assert not s.exec(select(OpenItem).where(OpenItem.kind == "ask_documentation")).all()
        service.extend_open_notices(s, now=now + timedelta(days=2), options=OPTIONS)
        service.extend_open_notices(s, now=now + timedelta(days=2, hours=3), options=OPTIONS)
        s.commit()
        items = s.exec(select(OpenItem).where(OpenItem.kind == "ask_documentation")).all()
        assert len(items) == 1
        assert {k: items[0].details[k] for k in ("since", "days")} == {"since": "2026-11-24", "days": 3}
        assert items[0].assignee_id == world.consultant.id


def test_the_threshold_is_configurable(engine, world, now):
    with Session(engine) as s:
        _record(s, world, now, options=NoticeOptions(tz="Europe/Copenhagen", documentation_after_days=1))
        s.commit()
        assert s.exec(select(OpenItem).where(OpenItem.kind == "ask_documentation")).one()


def test_free_text_is_kept_for_staff(engine, world, now):
    with Session(engine) as s:
        _record(s, world, now, text="migraine")
        s.commit()
        assert s.exec(select(SickNotice)).one().text == "migraine"


def test_a_notice_the_evening_before_names_the_day_of_what_it_covers(engine, world, now):
    """Sent on Monday evening for Tuesday: "09:00" alone would read as today."""
    with Session(engine) as s:
        notice = _record(s, world, now - timedelta(hours=14))
        s.commit()
        receipt = s.get(Message, notice.receipt_message_id)
        english = render(receipt.template, "en", receipt.params)
        assert "Tue 09:00" in english and "Tue 12:00" in english
