"""What contacts bring: the panel's pages for citizens, companies and their contacts."""

from __future__ import annotations

from bot.domain import Domain

DOMAIN = Domain(
    name="contacts",
    admin_sections=("admin.domains.records_citizens", "admin.domains.records_companies"),
)
