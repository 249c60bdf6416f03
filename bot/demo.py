"""Demo data for `bot demo` / `make run`: a small municipality team with a caseload.

Loaded once, into an empty database. Other domains add their own demo rows (appointments,
tickets, sick notices) through the ``demo_seeders`` of their ``DOMAIN``; the CLI passes them in,
and each seeder receives the people made here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, select

from bot.config import Settings
from bot.contacts import service
from bot.contacts.models import Role, Staff

log = logging.getLogger(__name__)

DEMO_ADMIN_EMAIL = "admin@demo.kommune.dk"
DEMO_PASSWORD = "demo-kommune"  # noqa: S105 - printed for the demo login, never used outside demo mode
# One login per role, all with DEMO_PASSWORD (listed in the README).
DEMO_LOGINS: dict[Role, str] = {
    Role.admin: DEMO_ADMIN_EMAIL,
    Role.team_lead: "birgitte.holm@demo.kommune.dk",
    Role.consultant: "mette.jensen@demo.kommune.dk",
    Role.caseworker: "pernille.larsen@demo.kommune.dk",
    Role.benefits: "karen.berg@demo.kommune.dk",
    Role.translator: "yusuf.ali@demo.kommune.dk",
}


@dataclass
class DemoData:
    """Ids of everything the base demo made, for seeders that build on it."""

    admin_id: int
    team_lead_id: int
    consultant_id: int
    company_consultant_id: int
    caseworker_id: int
    citizen_ids: dict[str, int] = field(default_factory=dict)  # by language code
    employer_id: int = 0
    employer_contact_id: int = 0
    benefits_id: int = 0
    translator_id: int = 0


class DemoSeeder(Protocol):
    def __call__(self, *, session: Session, demo: DemoData, settings: Settings, now: datetime) -> None: ...

# (language, name, phone): real-looking Danish mobile numbers.
DEMO_CITIZENS: tuple[tuple[str, str, str], ...] = (
    ("da", "Sofie Nielsen", "+4522334455"),
    ("ar", "Amal Hassan", "+4520123456"),
    ("so", "Hodan Mohamed Ali", "+4526781234"),
    ("ti", "Yonas Tesfay", "+4528904512"),
    ("fa", "Mariam Ahmadi", "+4530415263"),
    ("uk", "Olena Kovalenko", "+4531526374"),
    ("ps", "Ahmad Karimi", "+4540637485"),
)


def database_is_empty(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Staff)).one() == 0


def _staff(
    session: Session,
    now: datetime,
    *,
    name: str,
    email: str,
    role: Role,
    languages: list[str],
    phone: str | None = None,
) -> int:
    staff = service.create_staff(
        session=session,
        name=name,
        email=email,
        role=role,
        phone=phone,
        languages=languages,
        password=DEMO_PASSWORD,
        now=now,
    )
    assert staff.id is not None
    return staff.id


def load_demo(
    session: Session, *, settings: Settings, now: datetime, seeders: Sequence[DemoSeeder] = ()
) -> DemoData:
    """Make the demo team, caseload and company, then run ``seeders`` in order."""
    demo = DemoData(
        admin_id=_staff(
            session, now, name="Demo Admin", email=DEMO_ADMIN_EMAIL, role=Role.admin, languages=["da", "en"]
        ),
        team_lead_id=_staff(
            session,
            now,
            name="Birgitte Holm",
            email="birgitte.holm@demo.kommune.dk",
            role=Role.team_lead,
            phone="+4561112233",
            languages=["da", "en"],
        ),
        consultant_id=_staff(
            session,
            now,
            name="Mette Jensen",
            email="mette.jensen@demo.kommune.dk",
            role=Role.consultant,
            phone="+4561223344",
            languages=["da", "en", "ar"],
        ),
        company_consultant_id=_staff(
            session,
            now,
            name="Jonas Madsen",
            email="jonas.madsen@demo.kommune.dk",
            role=Role.consultant,
            phone="+4561334455",
            languages=["da", "en"],
        ),
        caseworker_id=_staff(
            session,
            now,
            name="Pernille Larsen",
            email="pernille.larsen@demo.kommune.dk",
            role=Role.caseworker,
            languages=["da"],
        ),
    )
    # Every role has a demo login (DEMO_LOGINS), so each can be tried in the panel.
    demo.benefits_id = _staff(
        session, now, name="Karen Berg", email="karen.berg@demo.kommune.dk", role=Role.benefits,
        languages=["da"],
    )
    demo.translator_id = _staff(
        session, now, name="Yusuf Ali", email="yusuf.ali@demo.kommune.dk", role=Role.translator,
        languages=["da", "ar", "fa"],
    )
    for language, name, phone in DEMO_CITIZENS:
        citizen = service.create_citizen(
            session=session,
            name=name,
            phone=phone,
            language=language,
            consultant_id=demo.consultant_id,
            region=settings.default_region,
            now=now,
        )
        assert citizen.id is not None
        demo.citizen_ids[language] = citizen.id
    employer = service.create_employer(
        session=session,
        name="Hansen Byg ApS",
        cvr="31415926",
        consultant_id=demo.company_consultant_id,
        address="Industrivej 12, 3000 Helsingør",
        now=now,
    )
    assert employer.id is not None
    demo.employer_id = employer.id
    contact = service.create_employer_contact(
        session=session,
        employer_id=employer.id,
        name="Lars Hansen",
        phone="+4540506070",
        language="da",
        region=settings.default_region,
        now=now,
    )
    assert contact.id is not None
    demo.employer_contact_id = contact.id
    for seeder in seeders:
        seeder(session=session, demo=demo, settings=settings, now=now)
    log.info("demo data loaded", extra={"citizens": len(demo.citizen_ids), "seeders": len(seeders)})
    return demo


def load_demo_if_empty(
    session: Session, *, settings: Settings, now: datetime, seeders: Sequence[DemoSeeder] = ()
) -> DemoData | None:
    """Load the demo once: a database that has any staff is left as it is."""
    if not database_is_empty(session):
        return None
    return load_demo(session, settings=settings, now=now, seeders=seeders)
