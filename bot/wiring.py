"""Hands the composed responders and effect handlers to the conversations, and checks them.

Called by the app factory and the CLI with the list from ``bot.composition.all_domains``; the
start-up refuses a flow effect that no domain in that list handles.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Composition, Domain, compose


def wire(domains: Sequence[Domain] | None = None) -> Composition:
    """Install ``domains`` (default: every domain) as the conversations' handlers and check them.

    Installing replaces whatever was there, so wiring twice leaves the same handlers.
    """
    from bot.composition import all_domains
    from bot.conversations import registry

    composition = compose(all_domains() if domains is None else domains)
    registry.install(responders=composition.responders, effects=composition.effect_handlers)
    check_effect_handlers()
    return composition


def check_effect_handlers() -> None:
    """Refuse to start when a flow names an effect no domain handles: it would be acknowledged
    and then silently do nothing (a sick notice that is never recorded)."""
    from bot.config import ConfigError
    from bot.conversations.registry import missing_handlers
    from bot.flows.definition import DEFINITIONS_DIR, load_flow

    named = {step.effect for path in DEFINITIONS_DIR.glob("*.yaml")
             for step in load_flow(path.stem).steps.values() if step.kind == "effect" and step.effect}
    missing = missing_handlers(named)
    if missing:
        names = ", ".join(missing)
        raise ConfigError(
            f"no handler for the flow effects {names}: add them to a domain's DOMAIN (bot/composition.py)"
        )
