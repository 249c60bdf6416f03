"""`bot ledger verify` and `bot import attendance`, run as a person would."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session
from typer.testing import CliRunner

from bot.attendance.models import Attendance
from bot.channels.models import Direction, Message, MessageStatus
from bot.cli import app as cli
from bot.contacts.models import Citizen
from bot.reminders.models import Appointment, AppointmentKind
from tests.test_cli import cli_engine  # noqa: F401 - the fixture

runner = CliRunner()
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def test_ledger_verify_reports_intact_then_names_the_broken_message(cli_engine):  # noqa: F811
    with Session(cli_engine) as s:
        for body in ("syg", "rask"):
            s.add(Message(direction=Direction.inbound, phone="+4520123456", body=body,
                          status=MessageStatus.received, created_at=NOW))
            s.flush()
        s.commit()
    result = runner.invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "ledger intact: 2 messages checked" in result.output
    with Session(cli_engine) as s:
        first = s.exec(text("SELECT min(id) FROM message")).one()[0]
        s.execute(text("UPDATE message SET body = 'not sick' WHERE id = :id"), {"id": first})
        s.commit()
    result = runner.invoke(cli, ["ledger", "verify"])
    assert result.exit_code == 1
    assert f"ledger broken at message {first}" in result.output


def test_import_attendance_dry_run_then_for_real(cli_engine, tmp_path):  # noqa: F811
    with Session(cli_engine) as s:
        citizen = Citizen(name="Amal", phone="+4520123456")
        s.add(citizen)
        s.flush()
        appointment = Appointment(citizen_id=citizen.id, kind=AppointmentKind.class_, starts_at=NOW)
        s.add(appointment)
        s.commit()
        appointment_id = appointment.id
    good = tmp_path / "centre.csv"
    good.write_text(f"appointment_id,outcome\n{appointment_id},attended\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"appointment_id,outcome\n{appointment_id},attended\n999,attended\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", "attendance", str(bad), "--dry-run"])
    assert result.exit_code == 1 and "bad.csv:3: appointment_id: no appointment with id 999" in result.output
    result = runner.invoke(cli, ["import", "attendance", str(good), "--dry-run"])
    assert result.exit_code == 0 and "dry run: 1 row(s) are fine" in result.output
    with Session(cli_engine) as s:
        assert s.get(Attendance, appointment_id) is None
    result = runner.invoke(cli, ["import", "attendance", str(good)])
    assert result.exit_code == 0 and "imported 1 outcome(s)" in result.output
    with Session(cli_engine) as s:
        assert s.get(Attendance, appointment_id).outcome.value == "attended"
