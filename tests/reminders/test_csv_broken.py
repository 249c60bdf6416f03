"""Broken CSV files get a row problem a person can act on, never a server error."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session

from bot.attendance.importer import import_attendance
from bot.reminders import csv_import
from bot.reminders.policy import Policy

BROKEN = ["\r0\r\n", "a,b\n\"unterminated\n", "x" * 200_000 + "\n1\n"]


@pytest.mark.parametrize("content", BROKEN)
def test_appointment_import_reports_broken_csv(session: Session, now: datetime, content: str) -> None:
    result = csv_import.import_appointments(session, content, policy=Policy(), now=now, dry_run=True)
    assert not result.ok
    assert result.problems and result.problems[0].line >= 1


@pytest.mark.parametrize("content", BROKEN)
def test_attendance_import_reports_broken_csv(session: Session, now: datetime, content: str) -> None:
    report = import_attendance(session, content=content, name="f.csv", dry_run=True, now=now,
                               tz="Europe/Copenhagen")
    assert report.errors
