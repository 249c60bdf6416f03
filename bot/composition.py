"""The list of domains the app and the CLI are composed of: add a domain here, nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import Domain

if TYPE_CHECKING:
    from bot.channels.peers import DeliveryPeers


def all_domains(*, peers: DeliveryPeers | None = None) -> list[Domain]:
    """Every domain; the channels' jobs tell ``peers`` (default: ``delivery_peers()``)."""
    # Imported here, not at module level: a domain pulls in its services, routes and models,
    # which only the roots (and tests that compose the whole app) need.
    from bot.attendance.domain import DOMAIN as attendance
    from bot.channels.domain import make as channels_domain
    from bot.contacts.domain import DOMAIN as contacts
    from bot.conversations.domain import DOMAIN as conversations
    from bot.escalations.domain import DOMAIN as escalations
    from bot.hearings.domain import DOMAIN as hearings
    from bot.inbox.domain import DOMAIN as inbox
    from bot.items.domain import DOMAIN as items
    from bot.privacy.domain import DOMAIN as privacy
    from bot.reminders.domain import DOMAIN as reminders
    from bot.sick_notices.domain import DOMAIN as sick_notices

    channels = channels_domain(peers if peers is not None else delivery_peers())
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
