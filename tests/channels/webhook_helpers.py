"""Signing and posting Twilio-style webhooks in tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

PUBLIC_URL = "https://bot.example.dk"


def sign(token: str, url: str, params: dict[str, str]) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post_signed(
    client: TestClient,
    path: str,
    params: dict[str, str],
    *,
    token: str = "12345",
    public_url: str = PUBLIC_URL,
    signature: str | None = None,
) -> Any:
    headers = {"X-Twilio-Signature": signature if signature is not None else sign(token, public_url + path, params)}
    return client.post(path, data=params, headers=headers)


def inbound_params(sid: str, sender: str, body: str = "hej") -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+4570102030",
        "Body": body,
        "NumMedia": "0",
    }
