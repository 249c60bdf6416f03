"""A batch of reminders is queued without the ORM; each stored message is the one a single
queued message would be, column for column, and the ledger verifies."""

from sqlmodel import Session, col, select

from bot.channels import ledger
from bot.channels.models import Direction, Message, MessageStatus, SignatureVerdict
from bot.channels.outbox import compose, enqueue
from bot.reminders import service
from bot.reminders.dispatch import enqueue_due
from bot.reminders.models import AppointmentKind, Reminder, ReminderStatus
from bot.reminders.service import AppointmentInput

from .helpers import citizen, local, policy

NOW = local(2026, 11, 20, 12)
ZONE = "Europe/Copenhagen"
# Whatever the database fills in or the dispatcher changes later.
_NOT_COMPARED = {"id", "chain_hash"}


def _book(engine, people: list[tuple[str, str]]) -> None:
    with Session(engine) as s:
        for index, (name, language) in enumerate(people):
            person = citizen(s, name=name, phone=f"+452000010{index}", language=language)
            service.create_appointment(
                s, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting,
                                    starts_at=local(2026, 11, 26, 10 + index), location="Rådhuset"),
                policy=policy(), now=NOW,
            )
        s.commit()


def test_a_batch_stores_each_message_as_one_queued_alone_would_and_the_ledger_holds(engine):
    _book(engine, [("Amina", "ar"), ("Olena", "uk"), ("Jens", "da")])
    due = local(2026, 11, 25, 12, 5)
    with Session(engine) as s:
        # A message queued through the session first: the batch chains on behind it.
        enqueue(s, phone="+4520009999", template="reply.help", params={}, language="da",
                purpose="reply", contact_kind=None, contact_id=None, now=due)
        s.commit()

    report = enqueue_due(engine, due, ZONE)

    assert report.enqueued == 3
    with Session(engine) as s:
        reminders = s.exec(select(Reminder).where(Reminder.status == ReminderStatus.enqueued)).all()
        assert sorted(r.message_id for r in reminders) == sorted(report.message_ids)
        stored = s.exec(select(Message).where(col(Message.id).in_(report.message_ids))).all()
        assert len(stored) == 3
        for message in stored:
            alone = compose(phone=message.phone, template=message.template or "", params=message.params,
                            language=message.locale or "", purpose="reminder",
                            contact_kind=message.contact_kind, contact_id=message.contact_id, now=due)
            alone.body_sha256 = ledger.content_digest(alone)
            expected = alone.model_dump(exclude=_NOT_COMPARED)
            assert message.model_dump(exclude=_NOT_COMPARED) == expected
            assert message.params["reminder_id"] in {r.id for r in reminders}
        # Stored as the session stores them, so the database compares them alike (SQLite keeps
        # timestamps as text: another spelling of the same moment would not match).
        for column in (Message.due_at, Message.created_at, Message.status_at):
            assert len(s.exec(select(Message.id).where(col(column) == due)).all()) == 4
        assert len(s.exec(select(Message.id).where(
            Message.status == MessageStatus.queued, Message.direction == Direction.outbound,
            Message.signature == SignatureVerdict.not_applicable)).all()) == 4
        assert ledger.check(s).ok
        head = ledger.head(s)
        assert head is not None and head.last_id == max(report.message_ids) and head.count == 4
