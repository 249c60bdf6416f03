from datetime import timedelta

from sqlmodel import Session

from bot.attendance import attendance, jobs
from bot.items import service as items
from bot.sick_notices import jobs as sick_notice_jobs
from tests.absences.conftest import STARTED


def test_an_appointment_without_outcome_the_next_day_is_an_open_item(engine, world, now, settings):
    with Session(engine) as s:
        assert jobs.open_missing_outcome_items(s, now=now + timedelta(hours=12), tz="Europe/Copenhagen") == 0
    jobs.missing_outcomes_job(engine, settings, None, now + timedelta(days=1))
    with Session(engine) as s:
        open_items = items.list_open(s, kind="attendance_missing")
        assert {i.details["appointment_id"] for i in open_items} == {world.klass.id, world.internship.id}
        assert all(i.assignee_id == world.consultant.id for i in open_items)
        assert jobs.open_missing_outcome_items(s, now=now + timedelta(days=1, hours=1), tz="Europe/Copenhagen") == 0
        attendance.mark_many(s, appointment_ids=[world.klass.id], outcome="attended", now=now + STARTED, staff_id=None)
        s.commit()
        assert [i.details["appointment_id"] for i in items.list_open(s, kind="attendance_missing")] == [
            world.internship.id]


def test_the_sick_notice_sweep_runs(engine, world, now, settings):
    sick_notice_jobs.sick_notice_sweep_job(engine, settings, None, now)
