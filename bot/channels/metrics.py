"""Counters for the webhooks, readable by tests and exported to Prometheus."""

from __future__ import annotations

from prometheus_client import Counter

REJECTED_SIGNATURES = Counter(
    "bot_webhook_rejected_signatures",
    "Webhook posts refused because X-Twilio-Signature was missing or wrong.",
    ["endpoint"],
)
INBOUND_STORED = Counter("bot_inbound_stored", "Inbound messages stored.", ["channel"])
INBOUND_DUPLICATES = Counter("bot_inbound_duplicates", "Provider retries of a stored message.")


def rejected_signatures(endpoint: str) -> float:
    return REJECTED_SIGNATURES.labels(endpoint=endpoint)._value.get()
