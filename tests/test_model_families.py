"""Each table a person writes to has its family beside it: Create, Update (all optional), Public.

The API accepts the Create and Update models and answers with the Public one; the services check
the panel's input against the same models. A Public model never carries a password hash or a
token, whatever the table holds.
"""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime
from types import ModuleType

import pytest
from pydantic import BaseModel
from sqlmodel import Session, SQLModel

from bot.contacts import models as contacts
from bot.contacts import service as contact_service
from bot.contacts.models import Citizen, CitizenPublic, Role, Staff, StaffPublic
from bot.contacts.service import ContactInputError
from bot.escalations import models as escalations
from bot.inbox import models as inbox
from bot.items import models as items
from bot.reminders import csv_import
from bot.reminders import models as reminders
from bot.reminders import service as appointment_service
from bot.reminders.models import AppointmentKind
from bot.reminders.policy import Policy
from bot.reminders.service import AppointmentInput, AppointmentInputError

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
MODULES: tuple[ModuleType, ...] = (contacts, reminders, escalations, inbox, items)

# The tables staff or case systems create and change, each with its family in its own module.
FAMILIES = {
    contacts: ("Staff", "Citizen", "Employer", "EmployerContact"),
    reminders: ("Placement", "AppointmentSeries", "Appointment"),
    escalations: ("Ticket", "FaqEntry"),
    inbox: ("InboxThread", "InboxNote", "SavedReply"),
    items: ("OpenItem",),
}
# Tables only the assistant writes (tokens, reminders, a ticket's timeline, follow-up clocks, read
# markers); naming one here is a decision, not a default.
KEPT_BY_THE_ASSISTANT = {"ApiToken", "Reminder", "TicketEvent", "FollowUp", "FollowUpContact", "InboxRead"}
SECRET = re.compile(r"password|hash|token|secret|sha256", re.IGNORECASE)


def _tables(module: ModuleType) -> dict[str, type[SQLModel]]:
    return {
        name: cls for name, cls in vars(module).items()
        if inspect.isclass(cls) and issubclass(cls, SQLModel) and cls.__module__ == module.__name__
        and getattr(cls, "__table__", None) is not None and cls.model_config.get("table")
    }


def _publics() -> list[type[BaseModel]]:
    return [
        cls for module in MODULES for name, cls in vars(module).items()
        if inspect.isclass(cls) and issubclass(cls, BaseModel) and name.endswith("Public")
    ]


@pytest.mark.parametrize(
    ("module", "table"), [(m, t) for m, tables in FAMILIES.items() for t in tables],
    ids=lambda value: value if isinstance(value, str) else value.__name__.rsplit(".", 2)[-2],
)
def test_each_table_has_its_create_update_and_public_model_beside_it(module: ModuleType, table: str) -> None:
    model = getattr(module, table)
    create, update, public = (getattr(module, f"{table}{part}", None) for part in ("Create", "Update", "Public"))
    assert model.model_config.get("table"), table
    assert create is not None and update is not None and public is not None, table
    for member in (create, update, public):
        assert not member.model_config.get("table"), f"{member.__name__} must not be a table"
    # A request naming a field the model does not know is refused, not silently dropped.
    assert create.model_config.get("extra") == "forbid" and update.model_config.get("extra") == "forbid"
    required = [name for name, field in update.model_fields.items() if field.is_required()]
    assert required == [], f"{update.__name__} requires {required}; an update sends only what changes"
    # What the API returns is what the table holds: no Public field the table does not have
    # (``shared_with``, ``reminders``, ``is_red`` and ``placeholders`` are read from the row and its relations).
    derived = {"shared_with", "reminders", "is_red", "placeholders"}
    unknown = set(public.model_fields) - set(model.model_fields) - derived
    assert not unknown, f"{public.__name__} has {unknown}"


def test_every_table_in_these_modules_has_a_family_or_is_named_as_the_assistants_own() -> None:
    for module in MODULES:
        undecided = set(_tables(module)) - set(FAMILIES[module]) - KEPT_BY_THE_ASSISTANT
        assert not undecided, f"{module.__name__}: {undecided} need a family (or a reason to have none)"


def test_no_public_model_carries_a_password_hash_or_a_token() -> None:
    publics = _publics()
    assert StaffPublic in publics and CitizenPublic in publics
    for public in publics:
        leaks = [name for name in public.model_fields if SECRET.search(name)]
        assert leaks == [], f"{public.__name__} would return {leaks}"


def test_what_the_api_returns_for_a_staff_member_and_a_citizen_leaves_their_secrets_out() -> None:
    staff = Staff(id=3, name="Mette Jensen", email="mette@kommune.dk", role=Role.admin,
                  password_hash="$argon2id$v=19$secret", languages=["da"], created_at=NOW)
    citizen = Citizen(id=7, name="Amal Hassan", phone="+4520000001", calendar_token="cal-secret-123",
                      created_at=NOW)
    staff_json = StaffPublic.model_validate(staff).model_dump_json()
    citizen_json = CitizenPublic.model_validate(citizen).model_dump_json()
    assert "argon2" not in staff_json and "secret" not in staff_json
    assert "cal-secret-123" not in citizen_json and "calendar_token" not in citizen_json
    assert '"name":"Mette Jensen"' in staff_json and '"phone":"+4520000001"' in citizen_json


def test_the_panel_is_refused_what_the_api_refuses(session: Session) -> None:
    """The services check against the same Create and Update models the API validates with."""
    with pytest.raises(ContactInputError) as too_long:
        contact_service.create_citizen(session=session, name="A" * 201, phone=None, now=NOW)
    assert too_long.value.field == "name"
    citizen = contact_service.create_citizen(session=session, name="Amal Hassan", phone=None, now=NOW)
    with pytest.raises(ContactInputError) as unknown:
        contact_service.update_citizen(session=session, citizen=citizen, changes={"calendar_token": "x"}, now=NOW)
    assert unknown.value.field == "calendar_token"
    with pytest.raises(ContactInputError) as short:
        contact_service.create_staff(session=session, name="Mette", email="mette@kommune.dk",
                                     password="short", now=NOW)
    assert short.value.field == "password"
    with pytest.raises(ContactInputError) as row:
        contact_service.create_employer(session=session, name="Bageriet ApS", cvr=None,
                                        consultant_id=2**63, now=NOW)
    assert row.value.field == "consultant_id"


def test_an_appointment_from_the_panel_or_a_file_is_held_to_the_apis_rules(session: Session) -> None:
    """A year the API refuses (it would overflow the reminders' arithmetic) is a field error here too."""
    citizen = contact_service.create_citizen(session=session, name="Amal Hassan", phone=None, now=NOW)
    assert citizen.id is not None
    far = AppointmentInput(citizen_id=citizen.id, kind=AppointmentKind.meeting,
                           starts_at=datetime(2300, 1, 2, 9, 0, tzinfo=UTC))
    with pytest.raises(AppointmentInputError) as refused:
        appointment_service.create_appointment(session, far, policy=Policy(), now=NOW)
    assert refused.value.field == "starts_at"


def test_an_appointment_file_names_the_line_with_a_year_the_api_refuses(session: Session) -> None:
    citizen = contact_service.create_citizen(session=session, name="Amal Hassan", phone=None, now=NOW)
    content = (
        "citizen_id,kind,starts_at\n"
        f"{citizen.id},meeting,2026-12-01T09:00:00+01:00\n"
        f"{citizen.id},meeting,2300-12-01T09:00:00+01:00\n"
    )
    result = csv_import.import_appointments(session, content, policy=Policy(), now=NOW)
    assert not result.ok and result.created_ids == []
    assert [(p.line, p.column) for p in result.problems] == [(3, "starts_at")]
