"""Signed, timestamped cookie values (HMAC-SHA256 over a JSON payload); no server-side store."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, body: str) -> str:
    key = hashlib.sha256(b"admin-session:" + secret.encode()).digest()
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def sign(payload: dict[str, Any], *, secret: str, issued_at: float) -> str:
    body = _b64(json.dumps({"p": payload, "t": int(issued_at)}, separators=(",", ":")).encode())
    return body + "." + _mac(secret, body)


def unsign(value: str, *, secret: str, now: float, max_age: float) -> dict[str, Any] | None:
    """The payload, or None when the value is forged, damaged or older than ``max_age``."""
    body, _, mac = value.partition(".")
    if not body or not mac or not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    try:
        data = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), dict):
        return None
    issued = data.get("t")
    if not isinstance(issued, int) or now - issued > max_age or issued - now > 60:
        return None
    payload: dict[str, Any] = data["p"]
    return payload
