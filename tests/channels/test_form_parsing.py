"""The webhook reads a form post exactly as Starlette's form parser reads it, whatever the bytes."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from bot.channels.routes import _form

FORM = [(b"content-type", b"application/x-www-form-urlencoded")]
# Bytes that make form parsing interesting: separators, escapes (good and broken), plus signs,
# bytes that are not UTF-8, and plain letters.
PIECES = st.sampled_from([b"a", b"B", b"=", b"&", b";", b"+", b"%", b"%2", b"%ZZ", b"%41", b"%C3%A6", b"%FF",
                          b"\xff", b"\xc3\xa6", b" ", b"%00", b"%D8%A7", b"%E2%80%AE"])


def _request(body: bytes) -> Request:
    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request({"type": "http", "method": "POST", "headers": FORM}, receive)


async def _both(body: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    ours = await _form(_request(body))
    starlette = await _request(body).form(max_fields=200)
    return [(name, value) for name, values in ours.items() for value in values], [
        (name, value) for name, value in starlette.multi_items() if isinstance(value, str)
    ]


@given(st.lists(PIECES, max_size=40).map(b"".join))
def test_fields_and_values_are_decoded_as_starlette_decodes_them(body: bytes) -> None:
    ours, starlette = asyncio.run(_both(body))
    # Grouped by name (first appearance), values in the order given.
    grouped: dict[str, list[str]] = {}
    for name, value in starlette:
        grouped.setdefault(name, []).append(value)
    assert ours == [(name, value) for name, values in grouped.items() for value in values]
