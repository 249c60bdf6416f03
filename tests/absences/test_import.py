from sqlmodel import Session, select

from bot.attendance import importer
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from tests.absences.conftest import STARTED

TZ = "Europe/Copenhagen"


def _run(s, content, now, dry_run=False):
    # The language centre's file comes in after the day's classes have started.
    return importer.import_attendance(s, content=content, name="sprogcenter-uge48.csv", dry_run=dry_run,
                                      now=now + STARTED, tz=TZ)


def test_a_danish_spreadsheet_with_semicolons_imports(engine, world, now):
    content = ("\ufeffTelefon;Dato;Tid;Fremmøde;Bemærkning\n"
               "20 12 34 56;24-11-2026;09:00;udeblevet;\n"
               "20123456;24.11.2026;12:00;mødt;kom 10 min for sent\n").encode()
    with Session(engine) as s:
        dry = _run(s, content, now, dry_run=True)
        assert dry.ok and dry.imported == 0 and len(dry.rows) == 2
        assert s.exec(select(Attendance)).all() == []
        report = _run(s, content, now)
        s.commit()
        assert report.imported == 2
        klass = s.get(Attendance, world.klass.id)
        assert klass.outcome == Outcome.absent_without_notice and klass.source == OutcomeSource.import_file
        assert klass.import_name == "sprogcenter-uge48.csv"
        assert s.get(Attendance, world.internship.id).note == "kom 10 min for sent"


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(engine, world, now):
    content = (
        "appointment_id,phone,date,time,outcome\n"
        f"{world.klass.id},,,,attended\n"
        "999,,,,attended\n"
        ",+4599999999,2026-11-24,,attended\n"
        ",+4520123456,2026-11-24,,attended\n"
        ",+4520123456,2026-11-24,25:00,attended\n"
        f"{world.internship.id},,,,sleeping\n"
        f"{world.klass.id},,,,absent\n"
    )
    with Session(engine) as s:
        report = _run(s, content, now)
        assert report.imported == 0
        assert [(e.line, e.field) for e in report.errors] == [
            (3, "appointment_id"), (4, "phone"), (5, "date"), (6, "time"), (7, "outcome"), (8, "appointment_id")]
        assert "2 appointments (add the time)" in report.errors[2].message
        assert "line 2" in report.errors[5].message
        assert s.exec(select(Attendance)).all() == []


def test_a_file_without_an_outcome_column_is_refused(engine, world, now):
    with Session(engine) as s:
        report = _run(s, "phone,date\n+4520123456,2026-11-24\n", now)
        assert [e.field for e in report.errors] == ["outcome"]
        report = _run(s, b"\xff\xfe broken", now)
        assert report.errors[0].field == "file"


def test_a_row_for_an_appointment_that_has_not_started_is_refused_and_nothing_is_imported(engine, world, now):
    """A spreadsheet filled in ahead ("udeblevet" for tomorrow) must not record an absence that has not
    happened: it could be the ground of a hearing."""
    from datetime import timedelta

    content = (
        "appointment_id,outcome\n"
        f"{world.klass.id},absent\n"
        f"{world.internship.id},attended\n"
    )
    before_the_class = world.klass.starts_at - timedelta(minutes=5)
    with Session(engine) as s:
        report = importer.import_attendance(s, content=content, name="uge48.csv", dry_run=False,
                                            now=before_the_class, tz=TZ)
        assert report.imported == 0
        assert [(e.line, e.field) for e in report.errors if e.line == 2] == [(2, "date")]
        assert "once it has started" in report.errors[0].message
        assert s.exec(select(Attendance)).all() == []
