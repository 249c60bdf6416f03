"""Flow definitions are checked before they run: a broken flow never reaches a citizen."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.flows.definition import DEFINITIONS_DIR, FlowError, load_flow, missing_messages, parse_flow

TEMPLATE = Path(__file__).resolve().parents[2] / "bot" / "locales" / "messages.pot"


def template_ids() -> set[str]:
    with TEMPLATE.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("path", sorted(DEFINITIONS_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_flow_loads_and_every_message_is_in_the_template(path: Path) -> None:
    flow = load_flow(path.stem)
    assert missing_messages(flow, template_ids()) == []


def minimal(**steps: dict) -> dict:
    return {"name": "t", "start": "a", "steps": steps}


def test_a_step_going_nowhere_is_refused() -> None:
    with pytest.raises(FlowError, match="missing step 'nowhere'"):
        parse_flow(minimal(a={"kind": "say", "message": "m", "next": "nowhere"}))


def test_an_unreachable_step_is_refused() -> None:
    raw = minimal(
        a={"kind": "end"},
        handover={"kind": "handover", "message": "flow.handover"},
        lost={"kind": "end"},
    )
    with pytest.raises(FlowError, match="unreachable steps"):
        parse_flow(raw)


def test_a_loop_without_an_end_is_a_dead_end() -> None:
    raw = minimal(
        a={"kind": "say", "message": "m", "next": "b"},
        b={"kind": "say", "message": "m", "next": "a"},
        handover={"kind": "handover", "message": "flow.handover"},
    )
    raw["entries"] = ["a", "handover"]
    with pytest.raises(FlowError, match="never finish"):
        parse_flow(raw)


def test_a_question_without_an_exit_is_refused() -> None:
    raw = minimal(
        a={"kind": "ask", "expect": "yes_no", "message": "m", "choices": {"yes": {"next": "end"}}},
        end={"kind": "end"},
        handover={"kind": "handover", "message": "flow.handover"},
    )
    with pytest.raises(FlowError, match="needs both yes and no"):
        parse_flow(raw)


def test_an_unknown_field_is_named() -> None:
    with pytest.raises(FlowError, match="unknown fields"):
        parse_flow(minimal(a={"kind": "end", "nxet": "b"}))
