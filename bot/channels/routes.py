"""Twilio's webhooks: inbound messages and delivery status. Thin: checks, then services.

Both are signed with X-Twilio-Signature over ``BOT_PUBLIC_URL`` + path + query: behind a
reverse proxy the URL this process sees differs from the one Twilio signed.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from bot import clock
from bot.channels import metrics, service
from bot.channels.dispatcher import dispatch
from bot.channels.models import Message, SignatureVerdict
from bot.channels.ratelimit import bucket_for, prepaid
from bot.config import Settings
from bot.conversations.pipeline import process_inbound, store_inbound
from bot.db import claim_clause

log = logging.getLogger("bot.channels.webhooks")

router = APIRouter(tags=["webhooks"], include_in_schema=False)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Twilio caps a message at 1,600 characters; far more than that is not Twilio talking.
MAX_FIELD_CHARS = 20_000
SINGLE_FIELDS = ("MessageSid", "SmsSid", "From", "To", "Body", "MessageStatus", "SmsStatus", "ErrorCode")


class BadRequest(Exception):
    def __init__(self, text: str, status: int = 400) -> None:
        super().__init__(text)
        self.text = text
        self.status = status


def _refuse(text: str, status: int = 400) -> PlainTextResponse:
    return PlainTextResponse(text + "\n", status_code=status)


def _twiml() -> Response:
    return Response(EMPTY_TWIML, media_type="application/xml")


async def _form(request: Request) -> FormData:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise BadRequest("expected a form post (application/x-www-form-urlencoded)", 415)
    try:
        return await request.form(max_fields=200)
    except Exception as exc:
        raise BadRequest(f"the form could not be read: {exc}") from exc


def _check_fields(form: FormData) -> None:
    """Refuse what Twilio never sends: a field given twice, or a value far beyond its limits."""
    for name in SINGLE_FIELDS:
        values = form.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"field {name} was given more than once")
    for name, value in form.multi_items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise BadRequest(f"field {name} is longer than {MAX_FIELD_CHARS} characters", 413)


def signed_url(settings: Settings, request: Request) -> str:
    url = settings.public_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


def _signature_ok(request: Request, form: FormData, endpoint: str) -> bool:
    settings: Settings = request.app.state.settings
    signature = request.headers.get("X-Twilio-Signature", "")
    valid = bool(signature and settings.twilio_auth_token) and RequestValidator(
        settings.twilio_auth_token
    ).validate(signed_url(settings, request), form, signature)
    if not valid:
        metrics.REJECTED_SIGNATURES.labels(endpoint=endpoint).inc()
        request.app.state.rejected_signatures = getattr(request.app.state, "rejected_signatures", 0) + 1
        log.warning(
            "webhook signature rejected",
            extra={"endpoint": endpoint, "has_signature": bool(signature), "sid": form.get("MessageSid")},
        )
    return valid


def _required(form: FormData, *names: str) -> str:
    for name in names:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    raise BadRequest(f"missing field {names[0]}")


def _payload(form: FormData) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for name in form:
        values = [value for value in form.getlist(name) if isinstance(value, str)]
        payload[name] = values[0] if len(values) == 1 else values
    return payload


def send_soon(engine: Engine, settings: Settings, transport: Any, reply_ids: list[int]) -> None:
    """Send the replies of one inbound message right away, if the send rate allows it now.

    Never waits for the rate: a waiting send would hold a worker thread and the keep-alive
    connection, and stall the next webhook behind it. Under a burst the replies stay queued
    and the dispatcher job sends them within one interval.
    """
    bucket = bucket_for(transport, settings.sms_max_per_second)
    if not bucket.try_acquire(len(reply_ids)):
        return
    try:
        dispatch(engine, settings, transport, clock.utcnow(), only_ids=reply_ids, bucket=prepaid())
    except Exception:
        log.exception("immediate dispatch failed; the dispatcher job will retry", extra={"ids": reply_ids})


@router.post("/sms/inbound")
async def inbound(request: Request, background: BackgroundTasks) -> Response:
    try:
        form = await _form(request)
        if not _signature_ok(request, form, "inbound"):
            return _refuse("invalid or missing X-Twilio-Signature", 403)
        _check_fields(form)
        sid = _required(form, "MessageSid", "SmsSid")
        sender = _required(form, "From")
    except BadRequest as exc:
        return _refuse(exc.text, exc.status)
    body = form.get("Body")
    settings: Settings = request.app.state.settings
    engine: Engine = request.app.state.engine
    now = clock.utcnow()

    def store() -> Any:
        with Session(engine, expire_on_commit=False) as session:
            return store_inbound(
                session,
                provider_sid=sid,
                from_address=sender,
                body=body if isinstance(body, str) else "",
                raw_payload=_payload(form),
                signature=SignatureVerdict.valid,
                now=now,
                region=settings.default_region,
            )

    try:
        stored = await run_in_threadpool(store)
    except SQLAlchemyError:
        # Not stored: a non-2xx makes Twilio try again later.
        log.exception("inbound not stored", extra={"sid": sid})
        return _refuse("temporarily unavailable, try again", 503)
    if stored.duplicate:
        metrics.INBOUND_DUPLICATES.inc()
        log.info("inbound duplicate", extra={"message_id": stored.message_id, "sid": sid})
    if stored.status == "received":
        try:
            reply_ids = await run_in_threadpool(
                process_inbound, engine, stored.message_id, settings=settings, now=now
            )
        except Exception:
            # Stored, so the sweep will process it; Twilio must not send it again.
            log.exception("inbound processing deferred", extra={"message_id": stored.message_id})
            reply_ids = []
        if reply_ids:
            background.add_task(send_soon, engine, settings, request.app.state.transport, reply_ids)
    return _twiml()


@router.post("/sms/status")
async def status_callback(request: Request) -> Response:
    try:
        form = await _form(request)
        if not _signature_ok(request, form, "status"):
            return _refuse("invalid or missing X-Twilio-Signature", 403)
        _check_fields(form)
        sid = _required(form, "MessageSid", "SmsSid")
        reported = _required(form, "MessageStatus", "SmsStatus")
    except BadRequest as exc:
        return _refuse(exc.text, exc.status)
    error_code = form.get("ErrorCode")
    error_code = error_code.strip() if isinstance(error_code, str) and error_code.strip() else None
    status = service.provider_status(reported)
    if status is None:
        log.info("status callback ignored", extra={"sid": sid, "status": reported})
        return PlainTextResponse("")
    engine: Engine = request.app.state.engine
    now = clock.utcnow()

    def update() -> bool:
        with Session(engine, expire_on_commit=False) as session:
            message = session.exec(
                select(Message).where(Message.provider_sid == sid).with_for_update(**claim_clause(session))
            ).first()
            if message is None:
                return False
            service.apply_status(session, message, status, now=now, error_code=error_code)
            session.commit()
            return True

    try:
        known = await run_in_threadpool(update)
    except SQLAlchemyError:
        log.exception("status not stored", extra={"sid": sid})
        return _refuse("temporarily unavailable, try again", 503)
    if not known:
        log.info("status for unknown message", extra={"sid": sid, "status": reported})
    return PlainTextResponse("")
