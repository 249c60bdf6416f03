"""Changing a setting: validated by its owner, only by admins and team leads, audited once per change."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.attendance import attendance
from bot.attendance.bands import DEFAULT_COUNTS_AGAINST
from bot.attendance.models import Outcome
from bot.audit.models import AuditEntry
from bot.contacts.models import Role, Staff
from bot.preferences import service as preferences
from bot.preferences.models import Preference
from bot.preferences.service import PreferenceError

SETTING = attendance.COUNTS_AGAINST


def _staff(s: Session, role: Role) -> Staff:
    staff = Staff(name=role.value, email=f"{role.value}@kommune.dk", role=role)
    s.add(staff)
    s.flush()
    return staff


def _entries(s: Session) -> list[AuditEntry]:
    return list(s.exec(select(AuditEntry).where(AuditEntry.action == "preference_changed")).all())


def test_the_default_holds_until_someone_changes_it(engine):
    with Session(engine) as s:
        assert preferences.get_preference(s, SETTING) == DEFAULT_COUNTS_AGAINST
        assert preferences.last_change(s, SETTING) is None


def test_a_team_lead_changes_it_and_the_change_is_audited_with_both_values(engine, now):
    with Session(engine) as s:
        lead = _staff(s, Role.team_lead)
        value = preferences.set_preference(s, setting=SETTING, value=["absent_without_notice"],
                                           acting_staff=lead, now=now)
        assert value == {Outcome.absent_without_notice}
        row = s.get(Preference, "attendance.counts_against")
        assert (row.value, row.updated_at.replace(tzinfo=now.tzinfo), row.updated_by_id) == (
            ["absent_without_notice"], now, lead.id)
        [entry] = _entries(s)
        assert (entry.staff_id, entry.subject) == (lead.id, "preference:attendance.counts_against")
        assert entry.details == {
            "from": ["absent_with_notice", "absent_with_late_notice", "absent_without_notice"],
            "to": ["absent_without_notice"],
        }
        assert attendance.counting_policy(s)[Outcome.absent_with_notice].value == "not_counted"


def test_setting_the_value_in_effect_writes_nothing(engine, now):
    with Session(engine) as s:
        admin = _staff(s, Role.admin)
        preferences.set_preference(s, setting=SETTING, value=sorted(DEFAULT_COUNTS_AGAINST), acting_staff=admin,
                                   now=now)
        assert s.get(Preference, "attendance.counts_against") is None and _entries(s) == []
        preferences.set_preference(s, setting=SETTING, value=["excused_by_staff"], acting_staff=admin, now=now)
        # the same choice in another order and without the always-counted outcome: still no change
        preferences.set_preference(s, setting=SETTING, value=["absent_without_notice", "excused_by_staff"],
                                   acting_staff=admin, now=now + timedelta(minutes=5))
        assert len(_entries(s)) == 1
        assert s.get(Preference, "attendance.counts_against").updated_at.replace(tzinfo=now.tzinfo) == now


@pytest.mark.parametrize("role", [Role.consultant, Role.caseworker, Role.benefits])
def test_only_admins_and_team_leads_change_it(engine, now, role):
    with Session(engine) as s:
        staff = _staff(s, role)
        with pytest.raises(PreferenceError) as refused:
            preferences.set_preference(s, setting=SETTING, value=[], acting_staff=staff, now=now)
        assert refused.value.field == "role"
        assert s.get(Preference, "attendance.counts_against") is None and _entries(s) == []


def test_a_value_its_owner_cannot_read_is_refused_by_name(engine, now):
    with Session(engine) as s:
        lead = _staff(s, Role.team_lead)
        with pytest.raises(PreferenceError) as refused:
            preferences.set_preference(s, setting=SETTING, value=["cancelled_by_municipality"], acting_staff=lead,
                                       now=now)
        assert refused.value.field == "attendance.counts_against"
        assert "cancelled_by_municipality cannot count against attendance" in refused.value.message


def test_a_stored_value_that_no_longer_reads_falls_back_to_the_default(engine):
    with Session(engine) as s:
        s.add(Preference(key="attendance.counts_against", value=["renamed_outcome"]))
        s.flush()
        assert preferences.get_preference(s, SETTING) == DEFAULT_COUNTS_AGAINST
