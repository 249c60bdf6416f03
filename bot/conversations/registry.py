"""The seams between the inbound pipeline and the domains.

The pipeline stores and identifies a message, then asks a *responder* (chosen by the kind of
contact) what to answer. Flows produce *effects* as data; domains register handlers that
apply them. The app factory and the CLI install the handlers of the composed domains
(``bot.wiring.wire``); tests may register single handlers by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation


@dataclass(frozen=True)
class Reply:
    """An outbound message as a message id with parameters, rendered when it is sent.

    ``to_phone``/``language``/``contact`` default to the sender of the inbound message.
    """

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    purpose: str = "reply"
    to_phone: str | None = None
    language: str | None = None
    contact_kind: str | None = None
    contact_id: int | None = None


class Responder(Protocol):
    def __call__(
        self,
        *,
        session: Session,
        contact: ContactRef,
        conversation: Conversation,
        message: Message,
        settings: Settings,
        now: datetime,
    ) -> list[Reply]: ...


class EffectHandler(Protocol):
    def __call__(
        self,
        *,
        session: Session,
        contact: ContactRef,
        conversation: Conversation,
        effect: dict[str, Any],
        settings: Settings,
        now: datetime,
    ) -> list[Reply]: ...


_responders: dict[str, Responder] = {}
_effects: dict[str, EffectHandler] = {}


def register_responder(contact_kind: str, responder: Responder) -> None:
    _responders[contact_kind] = responder


def responder_for(contact_kind: str) -> Responder | None:
    return _responders.get(contact_kind)


def register_effect(kind: str, handler: EffectHandler) -> None:
    _effects[kind] = handler


def effect_handler(kind: str) -> EffectHandler | None:
    return _effects.get(kind)


# Effects the conversation machinery emits itself, beside those the flow definitions name.
ENGINE_EFFECTS = frozenset({"handover", "flow_expired"})


def missing_handlers(effect_kinds: Iterable[str]) -> list[str]:
    """The effect kinds among ``effect_kinds`` (and the engine's own) nobody handles."""
    return sorted({*effect_kinds, *ENGINE_EFFECTS} - set(_effects))


def install(*, responders: Mapping[str, Responder], effects: Mapping[str, EffectHandler]) -> None:
    """Replace every registration with the composed ones."""
    clear()
    _responders.update(responders)
    _effects.update(effects)


def clear() -> None:
    """Forget every registration (tests)."""
    _responders.clear()
    _effects.clear()

