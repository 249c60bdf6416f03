"""A Babel extractor for flow definitions: every message id a flow step can send."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

MESSAGE_KEYS = ("message", "reprompt", "ack")


def extract_flow_yaml(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield ``(line, None, msgid, comments)`` for each message id in a flow YAML file."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    data = yaml.safe_load(text) or {}
    for step_id, step in (data.get("steps") or {}).items():
        if not isinstance(step, dict):
            continue
        for key in MESSAGE_KEYS:
            msgid = step.get(key)
            if not isinstance(msgid, str):
                continue
            lineno = next((i + 1 for i, line in enumerate(lines) if msgid in line), 0)
            yield lineno, None, msgid, [f"flow {data.get('name')}, step {step_id}"]
