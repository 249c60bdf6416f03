"""The employer contact's responder: global commands, then the employer flow.

Order of reading a message: global commands (STOP, START, LANGUAGE; HELP and PERSON get an
employer's version), then the message is read against the company (its interns today, the
FAQ) and handed to the YAML flow ``employer`` on the one conversation engine; what the flow
waits for ("did that help?", "which intern?") is kept by ``bot.conversations``.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.channels.models import Message
from bot.config import Settings
from bot.contacts.lookup import ContactRef
from bot.contacts.models import Employer, EmployerContact, Staff
from bot.conversations.flow_state import end_flow
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply
from bot.conversations.responder import handle_global_command, run_flow
from bot.escalations import reading
from bot.escalations.intake import EmployerContext, help_reply, open_or_join
from bot.escalations.models import TicketKind
from bot.flows.intents import classify as classify_command
from bot.flows.intents import is_command
from bot.i18n import N_

EMPLOYER_FLOW = "employer"


def respond(
    *,
    session: Session,
    contact: ContactRef,
    conversation: Conversation,
    message: Message,
    settings: Settings,
    now: datetime,
) -> list[Reply]:
    """What the assistant answers an employer contact's message."""
    text = (message.body or "").strip()
    # Held while the message is handled: the effects find them (and the consultant) in the
    # session's identity map instead of reading them again.
    holder, employer, _consultant = _with_company(session, contact.id)
    command = classify_command(text)
    own_command = is_command(command) and command.intent in ("help", "person") and not contact.opted_out
    if holder is None or employer is None or not own_command:
        handled = handle_global_command(
            session=session, contact=contact, conversation=conversation, message=message,
            settings=settings, now=now,
        )
        if handled is not None:
            return handled
    if holder is None or employer is None:
        return [Reply(N_("reply.help"))]
    if own_command:
        end_flow(conversation, now)
        ctx = EmployerContext(session, holder, employer)
        if command.intent == "help":
            return [help_reply(ctx)]
        return open_or_join(ctx, TicketKind.question, text, now=now, settings=settings,
                            message_id=message.id, new_topic=False)
    read = reading.read(
        session, employer_id=employer.id or 0, text=text, now=message.created_at or now,
        timezone=settings.timezone,
    )
    return run_flow(
        session=session, contact=contact, conversation=conversation, flow=EMPLOYER_FLOW, message=message,
        settings=settings, now=now, context=read.context, reading=read.match,
    )


def _with_company(
    session: Session, contact_id: int
) -> tuple[EmployerContact | None, Employer | None, Staff | None]:
    """The contact, their company and its consultant, in one read."""
    row = session.exec(
        select(EmployerContact, Employer, Staff)
        .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
        .outerjoin(Staff, col(Staff.id) == col(Employer.consultant_id))
        .where(EmployerContact.id == contact_id)
    ).first()
    if row is None:
        return session.get(EmployerContact, contact_id), None, None
    return row[0], row[1], row[2]
