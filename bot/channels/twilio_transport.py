"""Twilio (SMS and WhatsApp) through the official client, pointed at ``BOT_TWILIO_API_URL``.

Pointing the client's API domain at another base URL lets a Twilio-compatible endpoint or a
local fake of the REST API stand in for api.twilio.com, with the real client code in between.
"""

from __future__ import annotations

import logging

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.channels.transport import SendResult, TransportError

log = logging.getLogger("bot.channels.twilio")

# Twilio answers these when it is busy or broken, not because of the message: try again later.
RETRYABLE_HTTP = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class TwilioTransport:
    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        api_url: str = "https://api.twilio.com",
        from_number: str = "",
        messaging_service_sid: str = "",
        whatsapp_from: str = "",
        timeout_seconds: float = 10.0,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("a from number or a messaging service SID is required")
        # No retries inside the client: a retry is a decision of the outbox, with back-off.
        http_client = TwilioHttpClient(timeout=timeout_seconds)
        self._client = Client(account_sid, auth_token, http_client=http_client)
        self._client.api.base_url = api_url.rstrip("/")
        self._from_number = from_number
        self._messaging_service_sid = messaging_service_sid
        self._whatsapp_from = whatsapp_from or from_number
        # Without a WhatsApp-enabled sender, the dispatcher sends WhatsApp replies as SMS.
        self.supports_whatsapp = bool(self._whatsapp_from)

    def _sender(self, channel: str) -> dict[str, str]:
        if channel == "whatsapp":
            sender = self._whatsapp_from
            if not sender.startswith("whatsapp:"):
                sender = "whatsapp:" + sender
            return {"from_": sender}
        if self._messaging_service_sid:
            return {"messaging_service_sid": self._messaging_service_sid}
        return {"from_": self._from_number}

    def send(self, *, to: str, body: str, channel: str, status_callback: str | None) -> SendResult:
        address = f"whatsapp:{to}" if channel == "whatsapp" else to
        extra: dict[str, str] = self._sender(channel)
        if status_callback:
            extra["status_callback"] = status_callback
        try:
            created = self._client.messages.create(to=address, body=body, **extra)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _rest_error(exc) from exc
        except requests.RequestException as exc:
            # Timeouts and broken connections: Twilio may or may not have the message.
            raise TransportError("network", type(exc).__name__, retryable=True) from exc
        except TwilioException as exc:
            raise TransportError("twilio", str(exc), retryable=True) from exc
        error = created.error_code
        return SendResult(
            provider_sid=str(created.sid),
            status=str(created.status or "queued"),
            error_code=None if error is None else str(error),
        )

    def fetch_status(self, provider_sid: str) -> SendResult:
        try:
            fetched = self._client.messages(provider_sid).fetch()
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _rest_error(exc) from exc
        except requests.RequestException as exc:
            raise TransportError("network", type(exc).__name__, retryable=True) from exc
        error = fetched.error_code
        return SendResult(
            provider_sid=provider_sid,
            status=str(fetched.status),
            error_code=None if error is None else str(error),
        )


def _rest_error(exc: TwilioRestException | TwilioServiceException) -> TransportError:
    status = int(exc.status)
    code = str(exc.code) if exc.code is not None else str(status)
    text = exc.msg if isinstance(exc, TwilioRestException) else exc.title
    return TransportError(code, text or f"HTTP {status}", retryable=status in RETRYABLE_HTTP)
