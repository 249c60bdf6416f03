"""The messages with one phone, both ways, as staff read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from admin.i18n import T_
from bot.channels import history
from bot.channels.models import Direction, Message, MessageStatus
from bot.flows.engine import flow_intent
from bot.flows.intents import classify
from bot.i18n import render as render_text
from bot.language_detect import detect

# How staff read each delivery status (admin catalog ids).
STATUS_LABELS: dict[str, str] = {
    "received": T_("received"),
    "processed": T_("processed"),
    "process_failed": T_("could not be processed"),
    "queued": T_("queued"),
    "sending": T_("sending"),
    "sent": T_("sent"),
    "delivered": T_("delivered"),
    "undelivered": T_("not delivered"),
    "failed": T_("failed"),
    "cancelled": T_("not sent"),
}

# What the assistant understood an inbound message to say (admin catalog ids), by intent.
INTENT_LABELS: dict[str | None, str] = {
    "sick": T_("Reports being sick"),
    "better": T_("Reports being better"),
    "not_sick": T_("Says they are not sick"),
    "other_sick": T_("Reports someone else sick"),
    "yes": T_("Yes"),
    "no": T_("No"),
    "help": T_("Asks for help"),
    "person": T_("Asks to talk to a person"),
    "language": T_("Chooses a language"),
    "next_appointment": T_("Asks about the next appointment"),
    "stop": T_("Asks to stop the messages"),
    "start": T_("Asks to start the messages again"),
    None: T_("Not understood"),
}
# A bare number answers the question before it ("2" is "today and tomorrow" to "how long?", not
# "no"): its meaning is in the reply shown beside it.
NUMBER_CHOSEN = T_("A number chosen from the question")
LANGUAGE_LABELS: dict[str, str] = {
    "en": T_("English"),
    "ar": T_("Arabic"),
    "fa": T_("Farsi/Dari"),
    "ps": T_("Pashto"),
    "ti": T_("Tigrinya"),
    "so": T_("Somali"),
    "uk": T_("Ukrainian"),
    "ku": T_("Kurdish"),
}

PROBLEM_STATUSES = frozenset(
    {MessageStatus.failed, MessageStatus.undelivered, MessageStatus.process_failed, MessageStatus.cancelled}
)


@dataclass(frozen=True)
class Meaning:
    """An inbound message in another language, as the assistant understood and answered it."""

    language: str  # admin catalog id of the language's name
    intent: str  # admin catalog id of what it was read to say
    replies: tuple[str, ...]  # what was sent back, rendered in Danish from its message id


@dataclass(frozen=True)
class TimelineMessage:
    id: int
    inbound: bool
    text: str
    status: str
    status_label: str
    problem: bool
    at: datetime | None
    channel: str
    error: str | None
    meaning: Meaning | None = None
    danish: str | None = None  # an outbound text in another language, as it reads in Danish


def text_of(message: Message) -> str:
    """What was (or will be) sent: the stored body, else the message id rendered as it will be."""
    if message.body is not None:
        return message.body
    if message.template:
        return render_text(message.template, message.locale or "da", message.params)
    return ""


def timeline(session: Session, phone: str, *, limit: int = 200) -> list[TimelineMessage]:
    """The newest ``limit`` messages with ``phone``, oldest first (the way a chat reads)."""
    rows = history.newest_with(session, phone, limit=limit)
    replies: dict[int, list[Message]] = {}
    for m in rows:
        if m.direction == Direction.outbound and m.in_reply_to_id is not None and m.template:
            replies.setdefault(m.in_reply_to_id, []).append(m)
    meanings = {m.id or 0: meaning_of(m, replies.get(m.id or 0, [])) for m in rows}
    # Replies already shown in Danish under the message they answer need it only once.
    explained = {r.id for i, found in replies.items() if meanings.get(i) for r in found}
    return [
        TimelineMessage(
            id=m.id or 0,
            inbound=m.direction == Direction.inbound,
            text=text_of(m),
            status=m.status.value,
            status_label=STATUS_LABELS.get(m.status.value, m.status.value),
            problem=m.status in PROBLEM_STATUSES,
            at=m.created_at,
            channel=(m.sent_channel or m.channel).value,  # how it went, after any fallback
            error=m.error_message or m.error_code,
            meaning=meanings[m.id or 0],
            danish=None if m.id in explained else danish_of(m),
        )
        for m in reversed(rows)
    ]


def danish_of(message: Message) -> str | None:
    """For staff who do not read the language: what an outbound text (a receipt, a reminder)
    says in Danish. Rendered from its message id; nothing when it was Danish or typed by staff."""
    if message.direction != Direction.outbound or not message.template:
        return None
    if (message.locale or "da") == "da":
        return None
    danish = render_text(message.template, "da", message.params)
    return None if danish == text_of(message) else danish


def meaning_of(message: Message, replies: list[Message]) -> Meaning | None:
    """For staff who do not read the language: the intent, and the Danish of each reply.

    The language is the one the assistant answered in (the reply's locale), else the guess
    from the text; Danish messages need no help and get none.
    """
    if message.direction != Direction.inbound or not message.body:
        return None
    # The language the text is written in; the one it was answered in when the text is too
    # short to tell ("ok"). A citizen's phone is not always written on in their own language.
    language = detect(message.body) or next((r.locale for r in replies if r.locale), None)
    if language is None or language == "da":
        return None
    match = classify(message.body)
    read = flow_intent(match)  # as the flow read it: "I'm not sick" is a denial, not "not understood"
    intent = "other_sick" if match.other_person else (None if read == "unclear" else read)
    chose_number = message.body.strip().isdigit()
    texts = tuple(
        render_text(r.template, "da", r.params)
        for r in sorted(replies, key=lambda r: r.id or 0)
        if r.template
    )
    return Meaning(
        language=LANGUAGE_LABELS.get(language, T_("another language")),
        intent=NUMBER_CHOSEN if chose_number else INTENT_LABELS.get(intent, INTENT_LABELS[None]),
        replies=texts,
    )
