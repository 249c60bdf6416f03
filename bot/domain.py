"""What a domain brings to the app, as one value: the composition roots receive a list of these.

A domain package exports one ``DOMAIN`` (in its ``domain.py``); ``bot.composition.all_domains``
lists them, and the app factory and the CLI build every registry from that list. Nothing fills
a registry when a module is imported, so a test composes exactly the domains it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter

    from bot.conversations.registry import EffectHandler, Responder
    from bot.demo import DemoSeeder
    from bot.jobs import Job, JobContext


def _no_jobs(context: JobContext) -> Sequence[Job]:
    return ()


@dataclass(frozen=True)
class Domain:
    name: str
    # contact kind -> who answers that contact's messages
    responders: Mapping[str, Responder] = field(default_factory=dict)
    # effect kind -> what applies it
    effect_handlers: Mapping[str, EffectHandler] = field(default_factory=dict)
    # intervals may come from settings and some jobs tell the channels' peers, so the jobs are
    # made when the roots know both
    jobs: Callable[[JobContext], Sequence[Job]] = _no_jobs
    # routers under /api/v1
    api_routers: Sequence[APIRouter] = ()
    # routers outside the API (calendar feeds, metrics, public pages, webhooks)
    public_routers: Sequence[APIRouter] = ()
    # admin modules (dotted names, so the bot never imports the panel) adding pages and sections
    admin_sections: Sequence[str] = ()
    demo_seeders: Sequence[DemoSeeder] = ()


@dataclass(frozen=True)
class Composition:
    """The registries built from one list of domains."""

    domains: tuple[Domain, ...]
    responders: Mapping[str, Responder]
    effect_handlers: Mapping[str, EffectHandler]

    def jobs(self, context: JobContext) -> list[Job]:
        return [job for domain in self.domains for job in domain.jobs(context)]

    @property
    def api_routers(self) -> list[APIRouter]:
        return [router for domain in self.domains for router in domain.api_routers]

    @property
    def public_routers(self) -> list[APIRouter]:
        return [router for domain in self.domains for router in domain.public_routers]

    @property
    def admin_sections(self) -> list[str]:
        return [part for domain in self.domains for part in domain.admin_sections]

    @property
    def demo_seeders(self) -> list[DemoSeeder]:
        return [seeder for domain in self.domains for seeder in domain.demo_seeders]


class CompositionError(ValueError):
    """Two domains claim the same contact kind or effect kind."""


def compose(domains: Sequence[Domain]) -> Composition:
    """Merge the domains' registries; a kind claimed twice is refused, naming both domains."""
    responders: dict[str, Responder] = {}
    effects: dict[str, EffectHandler] = {}
    owners: dict[tuple[str, str], str] = {}
    for domain in domains:
        for table, what, entries in ((responders, "responder", domain.responders),
                                     (effects, "effect", domain.effect_handlers)):
            for kind, handler in entries.items():
                if kind in table:
                    raise CompositionError(
                        f"{what} {kind!r} is claimed by both {owners[(what, kind)]} and {domain.name}"
                    )
                table[kind] = handler  # type: ignore[assignment]
                owners[(what, kind)] = domain.name
    return Composition(domains=tuple(domains), responders=responders, effect_handlers=effects)
