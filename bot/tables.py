"""Imports every table module so ``SQLModel.metadata`` is complete (Alembic, create_all)."""

from sqlmodel import SQLModel

from bot import references
from bot.attendance import models as attendance_models
from bot.audit import models as audit_models
from bot.auth import models as auth_models
from bot.channels import ledger as channel_ledger  # seals every stored message (session listener)
from bot.channels import media as channel_media
from bot.channels import models as channel_models
from bot.contacts import centre_models
from bot.contacts import models as contact_models
from bot.conversations import models as conversation_models
from bot.escalations import models as escalation_models
from bot.hearings import models as hearing_models
from bot.inbox import indexes as inbox_indexes  # the search's indexes on messages
from bot.inbox import models as inbox_models
from bot.items import models as item_models
from bot.preferences import models as preference_models
from bot.reminders import models as reminder_models
from bot.sick_notices import models as sick_notice_models

metadata = SQLModel.metadata

__all__ = [
    "attendance_models",
    "audit_models",
    "auth_models",
    "centre_models",
    "channel_ledger",
    "channel_media",
    "channel_models",
    "contact_models",
    "conversation_models",
    "escalation_models",
    "hearing_models",
    "inbox_indexes",
    "inbox_models",
    "item_models",
    "metadata",
    "preference_models",
    "references",
    "reminder_models",
    "sick_notice_models",
]
