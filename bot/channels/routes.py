"""Twilio's webhooks: inbound messages and delivery status. Thin: checks, then services.

Both are signed with X-Twilio-Signature over ``BOT_PUBLIC_URL`` + path + query: behind a
reverse proxy the URL this process sees differs from the one Twilio signed.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl, urlparse

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator, add_port, compare, remove_port

from bot import clock
from bot.channels import metrics, service
from bot.channels.inbound_store import InboundPost
from bot.channels.models import MessageStatus, SignatureVerdict
from bot.channels.peers import DeliveryPeers
from bot.config import Settings

log = logging.getLogger("bot.channels.webhooks")

router = APIRouter(tags=["webhooks"], include_in_schema=False)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Twilio caps a message at 1,600 characters; far more than that is not Twilio talking.
MAX_FIELD_CHARS = 20_000
MAX_FIELDS = 200
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


class Fields(dict[str, list[str]]):
    """A posted form: each field's values in the order given. ``getall`` is what Twilio's
    RequestValidator reads, so the signature is computed without a scan of the form per field."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str) -> str | None:
        values = self.get(name)
        return values[0] if values else None


async def _form(request: Request) -> Fields:
    """The posted form, decoded exactly as Starlette's form parser decodes it.

    Read with ``parse_qsl`` rather than ``request.form()``: the same result (each field
    percent-decoded as UTF-8, bad bytes replaced) at a fraction of the cost, on the path every
    message takes.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise BadRequest("expected a form post (application/x-www-form-urlencoded)", 415)
    body = await request.body()
    try:
        pairs = parse_qsl(
            body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="replace"
        )
    except ValueError as exc:
        raise BadRequest(f"the form could not be read: {exc}") from exc
    fields = Fields()
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _check_fields(fields: Fields) -> None:
    """Refuse what Twilio never sends: a field given twice, or a value far beyond its limits."""
    for name in SINGLE_FIELDS:
        if len(fields.get(name, ())) > 1:
            raise BadRequest(f"field {name} was given more than once")
    for name, values in fields.items():
        if any(len(value) > MAX_FIELD_CHARS for value in values):
            raise BadRequest(f"field {name} is longer than {MAX_FIELD_CHARS} characters", 413)


def signed_url(settings: Settings, request: Request) -> str:
    url = settings.public_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    return url


def signature_matches(token: str, url: str, fields: Fields, signature: str) -> bool:
    """``RequestValidator.validate`` for a form post, stopping at the first form of the URL that
    matches: Twilio may sign the URL with or without its port, and ``validate`` computes both."""
    validator = RequestValidator(token)
    parsed = urlparse(url)
    return any(
        compare(validator.compute_signature(candidate, fields), signature)
        for candidate in (remove_port(parsed), add_port(parsed))
    )


def _signature_ok(request: Request, fields: Fields, endpoint: str) -> bool:
    settings: Settings = request.app.state.settings
    signature = request.headers.get("X-Twilio-Signature", "")
    valid = bool(signature and settings.twilio_auth_token) and signature_matches(
        settings.twilio_auth_token, signed_url(settings, request), fields, signature
    )
    if not valid:
        metrics.REJECTED_SIGNATURES.labels(endpoint=endpoint).inc()
        request.app.state.rejected_signatures = getattr(request.app.state, "rejected_signatures", 0) + 1
        log.warning(
            "webhook signature rejected",
            extra={"endpoint": endpoint, "has_signature": bool(signature), "sid": fields.first("MessageSid")},
        )
    return valid


def _required(fields: Fields, *names: str) -> str:
    for name in names:
        value = fields.first(name)
        if value and value.strip():
            return value.strip()
    raise BadRequest(f"missing field {names[0]}")


def _payload(fields: Fields) -> dict[str, Any]:
    return {name: values[0] if len(values) == 1 else list(values) for name, values in fields.items()}


@router.post("/sms/inbound")
async def inbound(request: Request) -> Response:
    """Store the message, then answer; the app's inbound worker interprets it and replies."""
    try:
        form = await _form(request)
        if not _signature_ok(request, form, "inbound"):
            return _refuse("invalid or missing X-Twilio-Signature", 403)
        _check_fields(form)
        sid = _required(form, "MessageSid", "SmsSid")
        sender = _required(form, "From")
    except BadRequest as exc:
        return _refuse(exc.text, exc.status)
    post = InboundPost(
        provider_sid=sid,
        from_address=sender,
        body=form.first("Body") or "",
        received_at=clock.utcnow(),
        raw_payload=_payload(form),
        signature=SignatureVerdict.valid,
    )
    try:
        stored = await request.app.state.inbound_writer.store(post)
    except SQLAlchemyError:
        # Not stored: a non-2xx makes Twilio try again later.
        log.exception("inbound not stored", extra={"sid": sid})
        return _refuse("temporarily unavailable, try again", 503)
    if stored.duplicate:
        metrics.INBOUND_DUPLICATES.inc()
        log.info("inbound duplicate", extra={"message_id": stored.message_id, "sid": sid})
    if stored.status == MessageStatus.received:
        request.app.state.inbound_worker.wake()
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
    error_code = (form.first("ErrorCode") or "").strip() or None
    status = service.provider_status(reported)
    if status is None:
        log.info("status callback ignored", extra={"sid": sid, "status": reported})
        return PlainTextResponse("")
    engine: Engine = request.app.state.engine
    peers: DeliveryPeers = request.app.state.delivery_peers
    now = clock.utcnow()

    try:
        known = await run_in_threadpool(
            service.apply_callback, engine, sid, status, now=now, peers=peers, error_code=error_code
        )
    except SQLAlchemyError:
        log.exception("status not stored", extra={"sid": sid})
        return _refuse("temporarily unavailable, try again", 503)
    if not known:
        log.info("status for a message not recorded yet", extra={"sid": sid, "status": reported})
    return PlainTextResponse("")
