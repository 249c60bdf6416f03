"""What erasing a message means: which parts hold what the person wrote or was told.

Pure: no database. The ledger keeps ``body_sha256`` and the identifying fields (phone, time,
direction), so erasing content never breaks ``bot ledger verify``.
"""

from __future__ import annotations

from typing import Any

# Technical fields of Twilio's webhook payload that say nothing about the content. Everything
# else (Body, MediaUrl0.., ProfileName, Latitude, FromCity, button texts ...) is dropped.
KEPT_PAYLOAD_FIELDS = frozenset(
    {
        "AccountSid",
        "ApiVersion",
        "ChannelPrefix",
        "ErrorCode",
        "From",
        "MessageSid",
        "MessageStatus",
        "MessagingServiceSid",
        "NumMedia",
        "NumSegments",
        "SmsMessageSid",
        "SmsSid",
        "SmsStatus",
        "To",
    }
)


def scrub_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload with only technical fields left, and a note of what was removed."""
    if not payload:
        return {}
    kept = {key: value for key, value in payload.items() if key in KEPT_PAYLOAD_FIELDS}
    removed = sorted(key for key in payload if key not in KEPT_PAYLOAD_FIELDS)
    if removed:
        kept["_erased_fields"] = removed
    return kept


def erased_message_values(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Column values that erase a message's content.

    An outbound message queued as a template is rendered from template and params, so those go
    too: the ledger then checks the stored digest no more (content gone) but still the chain.
    """
    return {
        "body": None,
        "template": None,
        "params": {},
        "raw_payload": scrub_payload(payload),
    }
