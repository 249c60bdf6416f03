"""Staff see appointments that are about to start without an answer to "are you coming?"."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.contacts.models import Citizen
from bot.items import service as items
from bot.items.models import ItemKind
from bot.reminders import texts
from bot.reminders.models import Appointment, Confirmation, Reminder, ReminderStatus
from bot.reminders.scheduling import ACTIVE

WINDOW = timedelta(hours=3)


def item_key(appointment_id: int | None) -> str:
    return f"reminders.unconfirmed:appointment:{appointment_id}"


def flag_unconfirmed(engine: Engine, now: datetime, zone: str, *, window: timedelta = WINDOW) -> int:
    """Open one item per appointment starting within ``window`` whose asking reminder went
    unanswered; returns how many were opened."""
    asked = select(Reminder.appointment_id).where(
        Reminder.asks_confirmation == True,  # noqa: E712 - SQL expression
        col(Reminder.status).in_((ReminderStatus.enqueued, ReminderStatus.sent)),
    )
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(
            select(Appointment)
            .where(
                col(Appointment.status).in_(ACTIVE),
                Appointment.confirmation == Confirmation.none,
                col(Appointment.unconfirmed_flagged_at).is_(None),
                col(Appointment.starts_at) > now,
                col(Appointment.starts_at) <= now + window,
                col(Appointment.id).in_(asked),
            )
            .order_by(col(Appointment.starts_at))
            .limit(200)
        ).all()
        for appointment in rows:
            citizen = session.get(Citizen, appointment.citizen_id)
            day = texts.day(appointment.starts_at, "da", zone)
            when = f"{day} kl. {texts.time_of(appointment.starts_at, 'da', zone)}"
            name = citizen.name if citizen else f"borger {appointment.citizen_id}"
            items.open(
                session,
                kind=ItemKind.unconfirmed,
                summary=f"Intet svar fra {name} på påmindelsen om {texts.what(appointment, 'da')} {when}.",
                now=now,
                dedupe_key=item_key(appointment.id),
                citizen_id=appointment.citizen_id,
                assignee_id=citizen.consultant_id if citizen else None,
                details={"appointment_id": appointment.id},
                summary_id="unconfirmed",
                summary_params={"day_on": appointment.starts_at.astimezone(ZoneInfo(zone)).date().isoformat(),
                                "time": texts.time_of(appointment.starts_at, "da", zone)},
                due_at=appointment.starts_at,
            )
            appointment.unconfirmed_flagged_at = now
            session.add(appointment)
        session.commit()
        return len(rows)
