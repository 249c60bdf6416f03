"""What the inbox brings: the panel's inbox page."""

from __future__ import annotations

from bot.domain import Domain

DOMAIN = Domain(name="inbox", admin_sections=("admin.domains.inbox",))
