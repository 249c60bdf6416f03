"""A transport that sends nothing: it keeps what would have gone out, for the simulator page."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from bot.channels.transport import SendResult, TransportError


@dataclass(frozen=True)
class SimulatedSend:
    provider_sid: str
    to: str
    body: str
    channel: str


class SimulatorTransport:
    name = "simulator"
    supports_whatsapp = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent: list[SimulatedSend] = []

    def send(self, *, to: str, body: str, channel: str, status_callback: str | None) -> SendResult:
        sid = "SMsim" + uuid.uuid4().hex[:29]
        with self._lock:
            self.sent.append(SimulatedSend(sid, to, body, channel))
        # Nothing travels, so the message is as delivered as it will ever be.
        return SendResult(provider_sid=sid, status="delivered")

    def fetch_status(self, provider_sid: str) -> SendResult:
        with self._lock:
            known = any(item.provider_sid == provider_sid for item in self.sent)
        if not known:
            raise TransportError("20404", f"no simulated message {provider_sid}", retryable=False)
        return SendResult(provider_sid=provider_sid, status="delivered")
