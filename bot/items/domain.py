"""What open items bring: their sections on the panel's open-items page."""

from __future__ import annotations

from bot.domain import Domain

DOMAIN = Domain(name="items", admin_sections=("admin.domains.items",))
