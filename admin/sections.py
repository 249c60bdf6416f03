"""Registries that let each domain add its part to the shared pages with one registration.

A domain adds a home section (entries on the open-items page) and a citizen section (a block
on the citizen page); the pages themselves never import the domains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
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


_policies: dict[str, PolicySection] = {}
_home: dict[str, HomeSection] = {}
_citizen: dict[str, CitizenSection] = {}
_company: dict[str, CompanySection] = {}


def register_home(section: HomeSection) -> None:
    _home[section.key] = section


def register_citizen(section: CitizenSection) -> None:
    _citizen[section.key] = section


def register_policy(section: PolicySection) -> None:
    _policies[section.key] = section


def policy_sections() -> list[PolicySection]:
    return sorted(_policies.values(), key=lambda s: s.key)


def register_company(section: CompanySection) -> None:
    _company[section.key] = section


def company_sections(viewer: Viewer) -> list[CompanySection]:
    return sorted((s for s in _company.values() if s.visible(viewer)), key=lambda s: (s.order, s.key))


def home_sections(viewer: Viewer) -> list[HomeSection]:
    return sorted((s for s in _home.values() if s.visible(viewer)), key=lambda s: (s.order, s.key))


def citizen_sections(viewer: Viewer) -> list[CitizenSection]:
    return sorted((s for s in _citizen.values() if s.visible(viewer)), key=lambda s: (s.order, s.key))
