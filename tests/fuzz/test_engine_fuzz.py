"""The flow engine always answers a message, whatever it says, and its state stays storable.

An answer is a reply, or an effect whose handler replies (a sick notice is answered by its
receipt); every effect the engine asks for has a registered handler.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import wiring
from bot.conversations import registry
from bot.flows.definition import load_flow
from bot.flows.engine import Inbound, advance
from bot.i18n import render
from tests.fuzz.strategies import bodies

FLOW = load_flow("citizen")
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
wiring.wire()


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(bodies, min_size=1, max_size=4), gaps=st.lists(st.integers(0, 3 * 24 * 60), min_size=4,
                                                                     max_size=4))
def test_every_message_gets_a_reply_and_the_state_round_trips_json(texts, gaps):
    state: dict = {}
    now = START
    for text, gap in zip(texts, gaps, strict=False):
        now += timedelta(minutes=gap)
        result = advance(FLOW, state, Inbound(text), now)
        assert result.replies or result.effects, f"no answer to {text!r} in state {state}"
        for effect in result.effects:
            assert effect["kind"] in _effect_kinds(), effect
        for template, params in result.replies:
            assert render(template, "ar", params).strip()
            assert render(template, "da", params).strip()
        state = json.loads(json.dumps(result.state))
        json.dumps(result.effects)


def _effect_kinds() -> set[str]:
    kinds = {str(step.effect) for step in FLOW.steps.values() if step.kind == "effect"}
    if any(step.kind == "handover" for step in FLOW.steps.values()):
        kinds.add("handover")
    return kinds


def test_every_effect_the_citizen_flow_can_ask_for_has_a_handler():
    unhandled = sorted(kind for kind in _effect_kinds() if registry.effect_handler(kind) is None)
    assert unhandled == []
