"""The SMS simulator: a page where a person texts as any number and reads the replies.

Mounted only with ``BOT_SMS_TRANSPORT=simulator``. Posts run the real inbound pipeline
(store, identify, respond, queue) and the real dispatcher, with the simulator transport.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from admin import i18n as panel_i18n
from bot import clock
from bot.channels import history
from bot.channels.dispatcher import dispatch
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Message, SignatureVerdict
from bot.config import Settings
from bot.i18n import render
from bot.phones import InvalidPhone, normalise

router = APIRouter(prefix="/simulator", tags=["simulator"])
# Staff try the assistant with this page, so its words are the panel's: its template lies with the
# panel's templates, where the panel's catalog finds them. Only the panel's catalog reader is
# imported (babel and starlette beneath it), so channels still lean on no domain.
_pages = Environment(
    loader=FileSystemLoader(Path(panel_i18n.__file__).parent / "templates"),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SimulatedText(BaseModel):
    phone: str = Field(min_length=1, max_length=40, description="The number the text comes from.")
    body: str = Field(default="", max_length=10_000)
    channel: Literal["sms", "whatsapp"] = "sms"

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        try:
            return normalise(value)
        except InvalidPhone as exc:
            raise ValueError(str(exc)) from exc


class SimulatedMessage(BaseModel):
    id: int
    direction: str
    channel: str
    phone: str
    body: str | None
    status: str
    provider_sid: str | None
    created_at: datetime | None


class Posted(BaseModel):
    message_id: int
    replies: list[SimulatedMessage]


def _text(message: Message) -> str | None:
    """What the message says: a reply still queued has no stored body yet, only its template."""
    if message.body is not None or not message.template:
        return message.body
    return render(message.template, message.locale or "da", message.params)


def _public(message: Message) -> SimulatedMessage:
    assert message.id is not None
    return SimulatedMessage(
        id=message.id,
        direction=message.direction.value,
        channel=(message.sent_channel or message.channel).value,
        phone=message.phone,
        body=_text(message),
        status=message.status.value,
        provider_sid=message.provider_sid,
        created_at=message.created_at,
    )


@router.get("", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> HTMLResponse:
    """The page, in the panel's language (the staff member's choice, else the browser's)."""
    api = request.app.url_path_for("simulator_messages")
    language = panel_i18n.pick_language(request)
    template = _pages.get_template("simulator.html")
    return HTMLResponse(template.render(_=panel_i18n.Translator(language), lang=language, api=api))


@router.post("/messages", response_model=Posted)
async def post_message(text: SimulatedText, request: Request) -> Posted:
    settings: Settings = request.app.state.settings
    engine = request.app.state.engine
    transport = request.app.state.transport
    peers = request.app.state.delivery_peers
    now = clock.utcnow()
    address = f"whatsapp:{text.phone}" if text.channel == "whatsapp" else text.phone
    sid = "SMsimin" + uuid.uuid4().hex[:27]

    def run() -> Posted:
        with Session(engine, expire_on_commit=False) as session:
            stored = store_inbound(
                session,
                provider_sid=sid,
                from_address=address,
                body=text.body,
                raw_payload={"From": address, "Body": text.body, "MessageSid": sid, "Source": "simulator"},
                signature=SignatureVerdict.not_applicable,
                now=now,
                region=settings.default_region,
            )
        # The pipeline, as the app composed it: channels interpret nothing themselves.
        reply_ids: list[int] = request.app.state.interpret(stored.message_id, now=now)
        if reply_ids:
            dispatch(engine, settings, transport, now, only_ids=reply_ids, peers=peers)
        with Session(engine) as session:
            replies = history.by_ids(session, reply_ids)
            return Posted(message_id=stored.message_id, replies=[_public(m) for m in replies])

    return await run_in_threadpool(run)


@router.get("/messages", response_model=list[SimulatedMessage], name="simulator_messages")
def list_messages(
    request: Request,
    phone: Annotated[str, Query(min_length=1, max_length=40)],
    after: Annotated[int, Query(ge=0)] = 0,
) -> list[SimulatedMessage]:
    try:
        number = normalise(phone)
    except InvalidPhone:
        number = phone.strip()
    with Session(request.app.state.engine) as session:
        return [_public(m) for m in history.after(session, number, after)]
