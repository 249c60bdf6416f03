"""``channels`` is a leaf: transports, webhooks, outbox, delivery status and the ledger import no
domain, so the provider's seam can change without touching a conversation, and no domain can
reach around the pipeline through it."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
CHANNELS = BOT / "channels"
# Channels lean on nothing but themselves and the floors every package shares (configuration,
# the database, the clock, i18n, phone numbers). Who opted out, the staff's follow-up of delivery
# trouble and the audit log are asked of and told to the ``DeliveryPeers`` handed in by the
# composition. Every package that brings a Domain record, the audit log (it reads staff), and the
# packages of the conversation and its rules, count as domains here.
BENEATH = {"channels"}
DOMAINS = sorted(
    {path.parent.name for path in BOT.glob("*/domain.py")} - BENEATH
    | {"absences", "api", "attendance", "audit", "contacts", "conversations", "escalations", "flows",
       "hearings", "inbox", "items", "media", "preferences", "privacy", "reminders", "sick_notices"}
)


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _is_domain(module: str) -> bool:
    return any(module == f"bot.{name}" or module.startswith(f"bot.{name}.") for name in DOMAINS)


def test_no_module_in_channels_imports_a_domain() -> None:
    offending = {
        f"{path.relative_to(CHANNELS.parent.parent)}: {module}"
        for path in sorted(CHANNELS.rglob("*.py"))
        for module in _imported(path)
        if _is_domain(module)
    }
    assert offending == set()


def test_the_check_sees_an_import_of_a_domain(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text("def later():\n    from bot.conversations.pipeline import process_inbound\n")
    assert any(_is_domain(name) for name in _imported(module))


def test_contacts_items_and_the_audit_log_count_as_domains() -> None:
    assert all(_is_domain(name) for name in ("bot.contacts.registry", "bot.items", "bot.audit.service"))
    assert not _is_domain("bot.phones")
