"""Builds the transport named by ``BOT_SMS_TRANSPORT`` (the composition roots call this)."""

from __future__ import annotations

from bot.channels.simulator import SimulatorTransport
from bot.channels.transport import Transport
from bot.channels.twilio_transport import TwilioTransport
from bot.config import Settings


def make_transport(settings: Settings) -> Transport:
    if settings.sms_transport == "twilio":
        return TwilioTransport(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            api_url=settings.twilio_api_url,
            from_number=settings.twilio_from_number,
            messaging_service_sid=settings.twilio_messaging_service_sid,
            whatsapp_from=settings.twilio_whatsapp_from,
        )
    return SimulatorTransport()


def status_callback_url(settings: Settings) -> str | None:
    """Where Twilio reports delivery; only a public https address can receive it."""
    if settings.sms_transport != "twilio":
        return None
    return settings.public_url.rstrip("/") + "/sms/status"
