"""The channels ask and tell the rest of the app through ``DeliveryPeers``, handed in by the
composition: the composed app hands in the contacts' opt-outs and the items' follow-up, and the
dispatcher's batch check follows the registry's one opt-out rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.app import create_app
from bot.channels.dispatcher import dispatch
from bot.channels.models import Message, MessageStatus
from bot.channels.peers import Addressee, DeliveryPeers
from bot.channels.simulator import SimulatorTransport
from bot.composition import all_domains, delivery_peers
from bot.config import Settings
from bot.contacts.centre_models import CentreContact, LanguageCentre
from bot.contacts.delivery import RegistryOptOuts
from bot.contacts.models import Citizen
from bot.domain import compose
from bot.items.delivery import ItemFollowUp
from bot.jobs import JobContext, all_jobs
from tests.channels.helpers import add_citizen, citizen, get_message, open_items, queue
from tests.channels.webhook_helpers import post_signed

PEERS = delivery_peers()
SID = "SM" + "7" * 32


class _Told:
    """A follow-up that only remembers what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int | None]] = []

    def not_delivered(self, session: Session, message: Message, *, now: datetime) -> None:
        self.calls.append(("not_delivered", message.id))

    def maybe_not_sent(self, session: Session, message: Message, *, now: datetime) -> None:
        self.calls.append(("maybe_not_sent", message.id))

    def resent(self, session: Session, original: Message, copy: Message, *,
               now: datetime, staff_id: int | None, address: str | None) -> None:
        self.calls.append(("resent", original.id))


class _NobodyOptedOut:
    def opted_out(self, session: Session, addressees: Collection[Addressee]) -> set[Addressee]:
        return set()

    def opt_out(self, session: Session, phone: str, *, now: datetime) -> bool:
        return False


def _left_sending(engine: Engine, now: datetime) -> int:
    """A message whose dispatcher stopped while sending it, with no SID."""
    message_id = queue(engine, now, contact_id=add_citizen(engine))
    with Session(engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        message.status, message.claimed_at = MessageStatus.sending, now
        session.commit()
    return message_id


def test_the_composed_app_hands_the_channels_the_contacts_and_the_items(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    peers = app.state.delivery_peers
    assert isinstance(peers.opt_outs, RegistryOptOuts) and isinstance(peers.follow_up, ItemFollowUp)

    citizen_id = add_citizen(engine)
    message_id = queue(engine, now, contact_id=citizen_id)
    with Session(engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        message.status, message.provider_sid = MessageStatus.sent, SID
        session.commit()
    with TestClient(app) as client:
        answer = post_signed(client, "/sms/status", {
            "MessageSid": SID, "MessageStatus": "undelivered", "ErrorCode": "30003", "AccountSid": "AC" + "0" * 32,
        })
    assert answer.status_code == 200

    [item] = open_items(engine, "delivery_failed")
    assert item.dedupe_key == f"delivery_failed:{message_id}"
    assert item.citizen_id == citizen_id and item.assignee_id == citizen(engine, citizen_id).consultant_id


def test_the_composed_jobs_tell_the_peers_the_app_was_given(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    told = _Told()
    peers = DeliveryPeers(opt_outs=_NobodyOptedOut(), follow_up=told)
    jobs = {job.name: job for job in compose(all_domains()).jobs(JobContext(settings=settings, peers=peers))}
    message_id = _left_sending(engine, now)

    jobs["channels.reconcile_sending"].run(engine, settings, SimulatorTransport(), now + timedelta(hours=1))

    assert told.calls == [("maybe_not_sent", message_id)]
    assert open_items(engine) == []


def test_by_default_the_composed_jobs_open_the_item(engine: Engine, settings: Settings, now: datetime) -> None:
    jobs = {job.name: job for job in all_jobs(settings)}
    message_id = _left_sending(engine, now)

    jobs["channels.reconcile_sending"].run(engine, settings, SimulatorTransport(), now + timedelta(hours=1))

    [item] = open_items(engine, "maybe_not_sent")
    assert item.dedupe_key == f"maybe_not_sent:{message_id}"


def test_a_language_centre_contact_who_opted_out_is_not_texted(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    with Session(engine) as session:
        centre = LanguageCentre(name="Sprogcenter Nord")
        session.add(centre)
        session.flush()
        assert centre.id is not None
        contact = CentreContact(centre_id=centre.id, name="Hanne", phone="+4540404040", opted_out=True)
        session.add(contact)
        session.commit()
        contact_id = contact.id
    message_id = queue(engine, now, phone="+4540404040", contact_kind="centre_contact", contact_id=contact_id)

    report = dispatch(engine, settings, SimulatorTransport(), now, peers=PEERS)

    assert report.cancelled == 1 and report.sent == 0
    assert get_message(engine, message_id).status == MessageStatus.cancelled


def test_on_a_shared_phone_one_persons_stop_holds_back_only_their_messages(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    phone = "+4520505050"
    amal = add_citizen(engine, phone=phone, name="Amal")
    with Session(engine) as session:
        stopped = Citizen(name="Omar", phone=phone, language="da", opted_out=True)
        session.add(stopped)
        session.commit()
        omar = stopped.id
    for_amal = queue(engine, now, phone=phone, contact_id=amal)
    for_omar = queue(engine, now, phone=phone, contact_id=omar)
    for_nobody = queue(engine, now, phone=phone, contact_kind="unknown", contact_id=None)
    transport = SimulatorTransport()

    report = dispatch(engine, settings, transport, now, peers=PEERS)

    assert report.sent == 1 and report.cancelled == 2
    assert get_message(engine, for_amal).status in (MessageStatus.sent, MessageStatus.delivered)
    assert get_message(engine, for_omar).status == MessageStatus.cancelled
    assert get_message(engine, for_nobody).status == MessageStatus.cancelled


def test_the_channels_ask_only_the_peers_they_are_handed(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    citizen_id = add_citizen(engine)
    with Session(engine) as session:
        stopped = session.get(Citizen, citizen_id)
        assert stopped is not None
        stopped.opted_out = True
        session.commit()
    message_id = queue(engine, now, contact_id=citizen_id)
    peers = DeliveryPeers(opt_outs=_NobodyOptedOut(), follow_up=_Told())

    assert dispatch(engine, settings, SimulatorTransport(), now, peers=peers).sent == 1
    assert get_message(engine, message_id).status != MessageStatus.cancelled
