"""Reminder policy settings from the environment (prefix ``BOT_REMINDER_``), with defaults.

Example: ``BOT_REMINDER_QUIET_START=22:00``, ``BOT_REMINDER_MEETING_HOURS=[48,2]``.
"""

from __future__ import annotations

from datetime import time, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlmodel import Session

from bot.config import Settings
from bot.i18n import N_
from bot.reminders.policy import DEFAULT_RULES, Policy, Rule


class ReminderSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOT_REMINDER_", env_file=".env", extra="ignore")

    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    quiet_margin_minutes: int = 10
    late_threshold_minutes: int = 60
    merge_window_minutes: int = 180
    meeting_hours: list[float] = [24.0, 2.0]
    class_evening_at: time = time(18, 0)
    internship_evening_at: time = time(18, 0)
    internship_morning_hours: float = 1.5
    follow_up_hours: float = 24.0


def _meeting_rules(hours: list[float]) -> tuple[Rule, ...]:
    rules = []
    for index, value in enumerate(sorted(hours, reverse=True)):
        first = index == 0
        rules.append(
            Rule(
                f"before_{value:g}h",
                N_("reminder.meeting") if first else N_("reminder.meeting_soon"),
                hours=value,
                asks_confirmation=first,
            )
        )
    return tuple(rules)


def build_policy(
    settings: Settings, reminder: ReminderSettings | None = None, *, session: Session | None = None
) -> Policy:
    """The policy for ``settings.timezone`` with the ``BOT_REMINDER_`` overrides applied, and with a
    ``session`` what staff changed in the panel (quiet hours, meeting reminders) on top."""
    cfg = reminder or ReminderSettings()
    if session is not None:
        from bot.preferences.operating import reminder_overrides

        cfg = cfg.model_copy(update=reminder_overrides(session))
    meeting = _meeting_rules(cfg.meeting_hours)
    classes = (
        Rule("class_week", N_("reminder.class_week"), timing="day_before_at", at=cfg.class_evening_at,
             applies="first_of_week"),
    )
    internship = (
        Rule("internship_eve", N_("reminder.internship_first_day"), timing="day_before_at",
             at=cfg.internship_evening_at, applies="first_day", asks_confirmation=True),
        Rule("internship_morning", N_("reminder.internship_morning"), hours=cfg.internship_morning_hours,
             applies="first_day"),
    )
    follow_up = (
        Rule("follow_up_citizen", N_("reminder.follow_up_citizen"), hours=cfg.follow_up_hours,
             asks_confirmation=True),
        Rule("follow_up_employer", N_("reminder.follow_up_employer"), hours=cfg.follow_up_hours,
             recipient="employer_contact"),
    )
    rules = dict(DEFAULT_RULES)
    rules.update(
        meeting=meeting, info_meeting=meeting, job_interview=meeting, mentor=meeting, health=meeting,
        group=meeting[:1], igu_school=classes, internship_day=internship, follow_up=follow_up,
    )
    rules["class"] = classes
    return Policy(
        rules=rules,
        zone=settings.timezone,
        quiet_start=cfg.quiet_start,
        quiet_end=cfg.quiet_end,
        quiet_margin=timedelta(minutes=cfg.quiet_margin_minutes),
        late_threshold=timedelta(minutes=cfg.late_threshold_minutes),
        merge_window=timedelta(minutes=cfg.merge_window_minutes),
    )
