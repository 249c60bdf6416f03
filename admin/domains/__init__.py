"""What each domain adds to the shared pages; ``load()`` registers every part that exists."""

from __future__ import annotations

import importlib
import importlib.util

from admin.templating import environment

# A domain's admin module is loaded only when the domain's own package has its models, so the
# panel works while the domains are still being built.
_PARTS: tuple[tuple[str, str], ...] = (
    ("admin.domains.items", "bot.items.models"),
    ("admin.domains.tickets", "bot.escalations.models"),
    ("admin.domains.ticket_actions", "bot.escalations.models"),
    ("admin.domains.faq", "bot.escalations.models"),
    ("admin.domains.absences", "bot.absences.models"),
    ("admin.domains.attendance", "bot.absences.models"),
    ("admin.domains.hearing_actions", "bot.absences.models"),
    ("admin.domains.notices", "bot.absences.models"),
    ("admin.domains.reminders", "bot.reminders.models"),
    ("admin.domains.delivery", "bot.channels.models"),
    ("admin.domains.inbox", "bot.inbox.models"),
    ("admin.domains.records_citizens", "bot.contacts.models"),
    ("admin.domains.records_companies", "bot.contacts.models"),
    ("admin.domains.records_appointments", "bot.reminders.models"),
    ("admin.domains.records_import", "bot.reminders.models"),
)

_loaded = False


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load() -> list[str]:
    """Import each domain part whose domain exists; returns the parts loaded."""
    global _loaded
    loaded = []
    for part, requires in _PARTS:
        if available(requires) and available(part):
            importlib.import_module(part)
            loaded.append(part)
            # Templates show a domain's navigation link only when its pages exist.
            environment.globals["domain_" + part.rsplit(".", 1)[1]] = True
    _loaded = True
    return loaded
