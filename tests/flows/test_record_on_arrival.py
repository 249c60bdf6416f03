"""The rule every flow is held to: a statement is recorded when it arrives.

"I'm sick" and "I can't come" are the citizen's word, and count from the moment the message is
stored. A follow-up question ("how long?", "why?", "which appointment?") may refine the record;
it must never stand between the statement and the effect that records it. This walks every path
a statement can take through every flow definition, and fails when one reaches a question (or
the end) before the recording effect.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.flows.definition import DEFINITIONS_DIR, Flow, load_flow

# The intents that are statements, and the effects that record them. Answering "still sick?",
# "yes" keeps the notice (sick_check_in) and "no" ends it (end_sick_notice): recorded all the same.
STATEMENTS = {
    "sick": {"record_sick_notice", "sick_check_in"},
    "no": {"record_cancellation", "end_sick_notice"},
}
RECORDING = set().union(*STATEMENTS.values())
# Every flow that takes a citizen's statement (the employer's flow records no sick notices or
# cancellations: an employer's "she did not come" is recorded by its own effect at once).
FLOWS = sorted(
    p.stem for p in DEFINITIONS_DIR.glob("*.yaml")
    if RECORDING & {step.effect for step in load_flow(p.stem).steps.values()}
)


def paths(flow: Flow, step_id: str, intent: str, seen: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every run of steps from ``step_id`` up to the first question or end, for a message whose
    intent is ``intent`` (branches on anything else may go either way)."""
    if step_id in seen:
        return
    walked = (*seen, step_id)
    step = flow.step(step_id)
    if step.kind in ("ask", "end", "handover"):
        yield walked
        return
    if step.kind in ("say", "effect"):
        yield from paths(flow, str(step.next), intent, walked)
        return
    # branch
    if step.on == "intent":
        yield from paths(flow, step.cases.get(intent, str(step.default)), intent, walked)
        return
    for target in {*step.cases.values(), str(step.default)}:
        yield from paths(flow, target, intent, walked)


def statement_starts(flow: Flow, intent: str) -> Iterator[str]:
    """Where a message with ``intent`` enters: the start, or any question's choice for it."""
    yield flow.start
    for step in flow.steps.values():
        if step.kind != "ask":
            continue
        for key, choice in step.choices.items():
            if key == intent or choice.intent == intent:
                yield choice.next


@pytest.mark.parametrize("name", FLOWS)
@pytest.mark.parametrize("intent", sorted(STATEMENTS))
def test_no_question_stands_before_the_record(name: str, intent: str) -> None:
    flow = load_flow(name)
    effects = STATEMENTS[intent]
    for entry in statement_starts(flow, intent):
        for path in paths(flow, entry, intent):
            kinds = [flow.step(s).effect for s in path if flow.step(s).kind == "effect"]
            last = flow.step(path[-1])
            if last.kind == "handover" or (last.kind == "ask" and last.id == "clarify"):
                continue  # not understood as the statement: a person or a numbered question
            assert effects & set(kinds), f"{name}: '{intent}' reaches {last.id} via {path} unrecorded"


def test_the_walker_catches_a_flow_that_asks_first() -> None:
    flow = load_flow("citizen")
    deferred = Flow(flow.name, flow.start, {**flow.steps, "sick_length_known": flow.step("ask_length")},
                    flow.entries)
    with pytest.raises(AssertionError):
        for path in paths(deferred, deferred.start, "sick"):
            assert "record_sick_notice" in [deferred.step(s).effect for s in path]
