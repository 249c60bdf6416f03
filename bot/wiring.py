"""Registers responders and effect handlers; called by the app factory and the CLI.

Each domain adds one line here; nothing else in the code base registers itself.
"""

from __future__ import annotations

_wired = False


def wire() -> None:
    global _wired
    if _wired:
        return
    _wired = True
    from bot.conversations.registry import register_responder
    from bot.conversations.responder import respond_citizen

    register_responder("citizen", respond_citizen)
    from bot.conversations.responder import register_effects as register_conversation_effects

    register_conversation_effects()
    from bot.escalations.conversation import respond as respond_employer

    register_responder("employer_contact", respond_employer)
    from bot.escalations.handlers import register as register_employer_effects

    register_employer_effects()
    from bot.absences.handlers import register as register_absence_effects

    register_absence_effects()
    from bot.reminders.replies import register as register_reminder_effects

    register_reminder_effects()
    from bot.demo import DEMO_SEEDERS
    from bot.reminders.demo import seed_demo_appointments

    DEMO_SEEDERS.append(seed_demo_appointments)
    from bot.demo import DEMO_SEEDERS as TICKET_DEMO_SEEDERS
    from bot.escalations.demo import seed_demo_tickets

    TICKET_DEMO_SEEDERS.append(seed_demo_tickets)
    check_effect_handlers()


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
        raise ConfigError(f"no handler for the flow effects {names}: register them in bot/wiring.py")
