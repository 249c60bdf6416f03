"""Registries that let each domain add its part to the shared pages with one registration.

A domain adds a home section (entries on the open-items page) and a citizen section (a block
on the citizen page); the pages themselves never import the domains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
from fastapi import Request
from sqlmodel import Session

from admin.i18n import Translator
from admin.visibility import Viewer
from bot.config import Settings
from bot.contacts.models import Citizen, Employer


@dataclass(frozen=True)
class Entry:
    """One line on the open-items page: what, about whom, by when, and where to handle it."""

    label: str
    summary: str
    href: str | None
    due_at: datetime | None = None
    created_at: datetime | None = None
    item_id: int | None = None  # an open item that can be resolved from the list
    urgent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# (session, viewer, now, translator, limit) -> (the most urgent ``limit`` entries, how many in all).
# ``limit`` None: every entry (the section's own page).
HomeFetch = Callable[[Session, Viewer, datetime, Translator, "int | None"], tuple[list[Entry], int]]


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str  # an English message id of the admin catalog
    order: int
    visible: Callable[[Viewer], bool]
    fetch: HomeFetch


CitizenContext = Callable[[Session, Viewer, Citizen, datetime], dict[str, Any]]


@dataclass(frozen=True)
class CitizenSection:
    key: str
    title: str
    order: int
    visible: Callable[[Viewer], bool]
    template: str  # rendered with the returned context, plus the page's own
    context: CitizenContext


CompanyContext = Callable[[Session, Viewer, Employer, datetime], dict[str, Any]]


@dataclass(frozen=True)
class CompanySection:
    key: str
    title: str
    order: int
    visible: Callable[[Viewer], bool]
    template: str
    context: CompanyContext


@dataclass(frozen=True)
class Territory:
    """A country by its name in the reader's language ("Danmark"), never its code."""

    code: str

    def render(self, tr: Translator) -> str:
        return str(Locale.parse(tr.language).territories.get(self.code.upper(), self.code))


@dataclass(frozen=True)
class Number:
    """A number written the reader's way ("8,5" in Danish)."""

    value: float

    def render(self, tr: Translator) -> str:
        return str(format_decimal(self.value, locale=tr.language))


@dataclass(frozen=True)
class Text:
    """Staff-facing text built in code: an admin-catalog message id and its parameters, rendered
    in the reader's language when the page is (``{{ value.render(_) }}``)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, tr: Translator) -> str:
        values = {key: value.render(tr) if isinstance(value, Text | Territory | Number) else value
                  for key, value in self.params.items()}
        return tr(self.msgid, **values)


@dataclass(frozen=True)
class PolicySection:
    """A block on the settings page: a domain's policy as (name, value) rows, no secrets; a name or
    value that is words is a ``Text``."""

    key: str
    title: str
    # With the request's session: what staff changed in the panel, not only the installation's values.
    rows: Callable[[Settings, Session], Sequence[tuple[Any, Any]]]


Section = HomeSection | CitizenSection | CompanySection | PolicySection


@dataclass(frozen=True)
class Sections:
    """The panel's sections of the composed domains, built once per app (``collect``) and read
    through the request (``of``): adding a domain adds its sections, nothing registers itself."""

    home: tuple[HomeSection, ...] = ()
    citizen: tuple[CitizenSection, ...] = ()
    company: tuple[CompanySection, ...] = ()
    policy: tuple[PolicySection, ...] = ()

    def home_for(self, viewer: Viewer) -> list[HomeSection]:
        return sorted((s for s in self.home if s.visible(viewer)), key=lambda s: (s.order, s.key))

    def citizen_for(self, viewer: Viewer) -> list[CitizenSection]:
        return sorted((s for s in self.citizen if s.visible(viewer)), key=lambda s: (s.order, s.key))

    def company_for(self, viewer: Viewer) -> list[CompanySection]:
        return sorted((s for s in self.company if s.visible(viewer)), key=lambda s: (s.order, s.key))

    def policies(self) -> list[PolicySection]:
        return sorted(self.policy, key=lambda s: s.key)


def collect(parts: Iterable[Section]) -> Sections:
    """One registry from the ``SECTIONS`` of the composed domains' panel modules; a key used twice
    in one place is refused, naming it (two domains would show one block)."""
    found: dict[type, dict[str, Any]] = {kind: {} for kind in (HomeSection, CitizenSection, CompanySection,
                                                               PolicySection)}
    for part in parts:
        same = found[type(part)]
        if part.key in same:
            raise ValueError(f"two panel sections named {part.key!r} ({type(part).__name__})")
        same[part.key] = part
    return Sections(
        home=tuple(found[HomeSection].values()),
        citizen=tuple(found[CitizenSection].values()),
        company=tuple(found[CompanySection].values()),
        policy=tuple(found[PolicySection].values()),
    )


def of(request: Request) -> Sections:
    """The sections of the app serving ``request``."""
    sections: Sections = getattr(request.app.state, "admin_sections", Sections())
    return sections
