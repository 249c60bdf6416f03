"""The seam between the outbox and a messaging provider (Twilio, or the simulator)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SendResult:
    """What the provider said about a message: its id and status (Twilio's vocabulary)."""

    provider_sid: str
    status: str
    error_code: str | None = None


class TransportError(Exception):
    """The provider did not take the message.

    ``retryable`` is true for throttling, server errors and timeouts (try again later) and
    false for a refusal of this message (an invalid or unsubscribed number): never retry those.
    """

    def __init__(self, code: str | None, message: str, *, retryable: bool) -> None:
        super().__init__(f"{code or 'error'}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable


class Transport(Protocol):
    name: str
    supports_whatsapp: bool

    def send(self, *, to: str, body: str, channel: str, status_callback: str | None) -> SendResult:
        """Hand one message to the provider; ``to`` is E.164, ``channel`` sms or whatsapp."""
        ...

    def fetch_status(self, provider_sid: str) -> SendResult:
        """Ask the provider what became of a message it accepted earlier."""
        ...
