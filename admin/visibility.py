"""The panel's view of ``bot.access``, the one access policy the API and the panel share."""

from __future__ import annotations

from bot.access import (
    ABSENCE_ITEM_KINDS,
    BENEFITS_ITEM_KINDS,
    Viewer,
    citizen,
    citizen_filter,
    employer,
    employer_filter,
    item,
    item_filter,
    own_citizen_ids,
    own_employer_ids,
    phone_visible,
    reads_health_data,
)

__all__ = [
    "ABSENCE_ITEM_KINDS",
    "BENEFITS_ITEM_KINDS",
    "Viewer",
    "citizen",
    "citizen_filter",
    "employer",
    "employer_filter",
    "item",
    "item_filter",
    "own_citizen_ids",
    "own_employer_ids",
    "phone_visible",
    "reads_health_data",
]
