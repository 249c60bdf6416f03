"""The list of domains the app and the CLI are composed of: add a domain here, nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import Domain

if TYPE_CHECKING:
    from bot.channels.peers import DeliveryPeers


def all_domains() -> list[Domain]:
    """Every domain; their jobs are made with the peers the roots hand in (``bot.jobs.JobContext``)."""
    # Imported here, not at module level: a domain pulls in its services, routes and models,
    # which only the roots (and tests that compose the whole app) need.
    from bot.attendance.domain import DOMAIN as attendance
    from bot.channels.domain import DOMAIN as channels
    from bot.contacts.domain import DOMAIN as contacts
    from bot.conversations.domain import DOMAIN as conversations
    from bot.escalations.domain import DOMAIN as escalations
    from bot.hearings.domain import DOMAIN as hearings
    from bot.inbox.domain import DOMAIN as inbox
    from bot.items.domain import DOMAIN as items
    from bot.privacy.domain import DOMAIN as privacy
    from bot.reminders.domain import DOMAIN as reminders
    from bot.sick_notices.domain import DOMAIN as sick_notices

    # Order is meaningful only for routes (the channels' webhooks match first) and the panel's
    # navigation; kinds and jobs are keyed by name.
    return [
        channels, items, escalations, sick_notices, attendance, hearings, reminders, inbox, contacts,
        conversations, privacy,
    ]


def delivery_peers() -> DeliveryPeers:
    """What the channels ask and tell the rest of the app: who opted out (the contacts'
    registry) and the staff's follow-up of delivery trouble (open items)."""
    from bot.channels.peers import DeliveryPeers
    from bot.contacts.delivery import RegistryOptOuts
    from bot.items.delivery import ItemFollowUp

    return DeliveryPeers(opt_outs=RegistryOptOuts(), follow_up=ItemFollowUp())
