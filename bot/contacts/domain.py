"""What contacts bring: the API for language centres, and the panel's pages for citizens,
companies, language centres and their contacts."""

from __future__ import annotations

from bot.contacts import centre_routes
from bot.domain import Domain

DOMAIN = Domain(
    name="contacts",
    api_routers=(centre_routes.router,),
    admin_sections=(
        "admin.domains.records_citizens", "admin.domains.records_companies", "admin.domains.records_centres",
    ),
)
