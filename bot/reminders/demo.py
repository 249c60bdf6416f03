"""Demo appointments: a week ahead for the demo citizens, with an internship and classes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import Settings
from bot.demo import DemoData
from bot.reminders import service
from bot.reminders.config import build_policy
from bot.reminders.models import AppointmentKind, PlacementKind
from bot.reminders.policy import local_at
from bot.reminders.service import AppointmentInput

JOBCENTER = "Jobcenter Helsingør, Rådhuspladsen 2"
SPROGCENTER = "Sprogcenter Helsingør, Kongevejen 5"


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


def seed_demo_appointments(*, session: Session, demo: DemoData, settings: Settings, now: datetime) -> None:
    policy = build_policy(settings, session=session)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        # A jobcentre meets on working days: one that would fall on a weekend moves to Monday.
        day = today + timedelta(days=days)
        if day.weekday() >= 5:
            day = _next_weekday(day, 0)
        return local_at(day, time(hour, minute), settings.timezone)

    def meeting(language: str, kind: AppointmentKind, starts: datetime, place: str) -> None:
        citizen_id = demo.citizen_ids.get(language)
        if citizen_id is None:
            return
        service.create_appointment(
            session, AppointmentInput(citizen_id=citizen_id, kind=kind, starts_at=starts,
                                      ends_at=starts + timedelta(hours=1), location=place),
            policy=policy, now=now,
        )

    meeting("da", AppointmentKind.meeting, at(1, 10), JOBCENTER)
    meeting("so", AppointmentKind.job_interview, at(2, 13), "Netto, Stengade 40, Helsingør")
    meeting("ti", AppointmentKind.info_meeting, at(3, 9, 30), JOBCENTER)
    meeting("fa", AppointmentKind.health, at(2, 11), "Lægehuset, Bramstræde 1")
    meeting("uk", AppointmentKind.mentor, at(4, 14), JOBCENTER)
    meeting("ps", AppointmentKind.group, at(5, 10), "Kulturværftet, Allégade 2")
    meeting("ar", AppointmentKind.meeting, at(1, 13), JOBCENTER)

    monday = _next_weekday(today, 0)
    for language in ("da", "ti", "ps"):
        citizen_id = demo.citizen_ids.get(language)
        if citizen_id is None:
            continue
        service.create_series(
            session, AppointmentInput(citizen_id=citizen_id, kind=AppointmentKind.class_, starts_at=now,
                                      location=SPROGCENTER),
            weekdays=[0, 2, 3], start_time=time(9), end_time=time(12), first_date=today + timedelta(days=1),
            until_date=monday + timedelta(days=27), policy=policy, now=now,
        )

    intern_id = demo.citizen_ids.get("ar")
    if intern_id is None or not demo.employer_id:
        return
    placement = service.create_placement(
        session, citizen_id=intern_id, employer_id=demo.employer_id, kind=PlacementKind.internship,
        start_date=monday, end_date=monday + timedelta(weeks=12), contact_id=demo.employer_contact_id or None,
        purpose="Sprog og arbejdspladskultur; vej mod løntilskud",
        weekly_schedule=[{"weekday": d, "start": "08:00", "end": "14:00"} for d in range(4)],
        travel_hint="Bus 340 fra Helsingør st. kl. 07:32, stå af ved Industrivej.", now=now,
    )
    service.create_series(
        session, AppointmentInput(citizen_id=intern_id, kind=AppointmentKind.internship_day, starts_at=now,
                                  placement_id=placement.id),
        weekdays=[0, 1, 2, 3], start_time=time(8), end_time=time(14), first_date=monday,
        until_date=monday + timedelta(weeks=2), policy=policy, now=now,
    )
    follow_up_at = local_at(monday + timedelta(days=10), time(12, 30), settings.timezone)
    service.create_appointment(
        session, AppointmentInput(citizen_id=intern_id, kind=AppointmentKind.follow_up,
                                  starts_at=follow_up_at, placement_id=placement.id),
        policy=policy, now=now,
    )
