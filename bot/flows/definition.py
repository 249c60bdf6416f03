"""Flows as data: load a YAML definition into typed steps and check it before it is used.

Checked when loaded (and in a test): every step reachable from an entry, every target
exists, every question has an exit, and every step can reach an end (no dead ends).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.flows.yaml_loader import load_yaml

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
STEP_KINDS = frozenset({"say", "ask", "branch", "effect", "handover", "end"})
EXPECTS = frozenset({"choice", "yes_no", "days", "text"})
TERMINAL = frozenset({"end", "handover"})


class FlowError(ValueError):
    """A flow definition that cannot run; the message names the flow and the step."""


@dataclass(frozen=True)
class Choice:
    next: str
    intent: str | None = None
    set: dict[str, Any] = field(default_factory=dict)
    # Set only when the answer is the bare number: then it makes the message before it clear,
    # while an answer in words ("jeg er syg") says it all by itself.
    by_number: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    id: str
    kind: str
    message: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    next: str | None = None
    # ask
    expect: str | None = None
    choices: dict[str, Choice] = field(default_factory=dict)
    store: str | None = None
    silent: bool = False
    reprompt: str | None = None
    # False: an unanswered question is not asked again; it expires after ``reprompt_minutes``.
    # For questions that only refine a record already made (how long, still sick?).
    reprompts: bool = True
    accept_dates: str | None = None
    on_expire: str | None = None
    on_fail: str | None = None
    matters: bool = False
    reprompt_minutes: int | None = None
    expire_minutes: int | None = None
    # branch
    on: str | None = None
    cases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    # effect / handover
    effect: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ack: str | None = None
    reason: str | None = None

    def targets(self) -> list[str]:
        found = [self.next, self.default, self.accept_dates, self.on_expire, self.on_fail]
        found += list(self.cases.values()) + [c.next for c in self.choices.values()]
        return [t for t in found if t]

    def messages(self) -> list[str]:
        return [m for m in (self.message, self.reprompt, self.ack) if m]


@dataclass(frozen=True)
class Flow:
    name: str
    start: str
    steps: dict[str, Step]
    entries: tuple[str, ...]
    reprompt_minutes: int = 240
    expire_minutes: int = 720
    fail_step: str = "handover"
    # Intents that start the flow over while a question waits (None: the citizens' content
    # intents); an employer's new topic ("the intern did not come") is not an answer.
    restart_on: frozenset[str] | None = None

    def step(self, step_id: str) -> Step:
        try:
            return self.steps[step_id]
        except KeyError as exc:
            raise FlowError(f"flow {self.name}: no step {step_id!r}") from exc

    def message_ids(self) -> set[str]:
        return {m for step in self.steps.values() for m in step.messages()}


def _step(step_id: str, raw: dict[str, Any], flow: str) -> Step:
    if not isinstance(raw, dict):
        raise FlowError(f"flow {flow}, step {step_id}: must be a mapping")
    known = set(Step.__dataclass_fields__) - {"id"}
    unknown = set(raw) - known
    if unknown:
        raise FlowError(f"flow {flow}, step {step_id}: unknown fields {sorted(unknown)}")
    values = dict(raw)
    values["choices"] = {
        str(key): Choice(**choice) if isinstance(choice, dict) else Choice(next=str(choice))
        for key, choice in (raw.get("choices") or {}).items()
    }
    values["cases"] = {str(k).lower(): str(v) for k, v in (raw.get("cases") or {}).items()}
    values["data"] = dict(raw.get("data") or {})
    values["params"] = dict(raw.get("params") or {})
    return Step(id=step_id, **values)


def parse_flow(raw: dict[str, Any]) -> Flow:
    name = str(raw.get("name", "?"))
    steps = {str(k): _step(str(k), v, name) for k, v in (raw.get("steps") or {}).items()}
    start = str(raw.get("start", ""))
    flow = Flow(
        name=name,
        start=start,
        steps=steps,
        entries=tuple(str(e) for e in raw.get("entries") or [start]),
        reprompt_minutes=int(raw.get("reprompt_minutes", 240)),
        expire_minutes=int(raw.get("expire_minutes", 720)),
        fail_step=str(raw.get("fail_step", "handover")),
        restart_on=frozenset(str(i) for i in raw["restart_on"]) if "restart_on" in raw else None,
    )
    validate(flow)
    return flow


def _check_step(flow: Flow, step: Step) -> Iterable[str]:
    where = f"flow {flow.name}, step {step.id}"
    if step.kind not in STEP_KINDS:
        yield f"{where}: unknown kind {step.kind!r}"
    for target in step.targets():
        if target not in flow.steps:
            yield f"{where}: goes to missing step {target!r}"
    if step.kind == "ask":
        if step.expect not in EXPECTS:
            yield f"{where}: expect must be one of {sorted(EXPECTS)}"
        if not step.message:
            yield f"{where}: a question needs a message"
        if step.expect in ("choice", "yes_no") and not step.choices:
            yield f"{where}: a {step.expect} question needs choices"
        if step.expect in ("days", "text") and not step.next:
            yield f"{where}: a {step.expect} question needs next"
        if step.expect == "yes_no" and not {"yes", "no"} <= set(step.choices):
            yield f"{where}: a yes/no question needs both yes and no"
    elif step.kind == "branch":
        if not step.on or not step.default:
            yield f"{where}: a branch needs on and default"
    elif step.kind == "effect":
        if not step.effect or not step.next:
            yield f"{where}: an effect needs effect and next"
    elif step.kind == "say":
        if not step.message or not step.next:
            yield f"{where}: say needs message and next"
    elif step.kind == "handover" and not step.message:
        yield f"{where}: a handover tells the person what happens next"


def validate(flow: Flow) -> None:
    """Raise FlowError listing every problem in ``flow``."""
    problems: list[str] = []
    for entry in (flow.start, *flow.entries):
        if entry not in flow.steps:
            problems.append(f"flow {flow.name}: entry {entry!r} is not a step")
    if flow.fail_step not in flow.steps:
        problems.append(f"flow {flow.name}: fail_step {flow.fail_step!r} is not a step")
    for step in flow.steps.values():
        problems.extend(_check_step(flow, step))
    if problems:
        raise FlowError("; ".join(problems))
    # Reachable from an entry.
    seen: set[str] = set()
    todo = [flow.start, *flow.entries]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(flow.steps[current].targets())
        if flow.steps[current].kind == "ask":
            todo.append(flow.fail_step)
    unreachable = sorted(set(flow.steps) - seen)
    if unreachable:
        problems.append(f"flow {flow.name}: unreachable steps {unreachable}")
    # Every step reaches an end or a handover: nobody is left in a loop.
    finishing = {sid for sid, s in flow.steps.items() if s.kind in TERMINAL}
    changed = True
    while changed:
        changed = False
        for sid, step in flow.steps.items():
            if sid not in finishing and any(t in finishing for t in step.targets()):
                finishing.add(sid)
                changed = True
    dead = sorted(set(flow.steps) - finishing)
    if dead:
        problems.append(f"flow {flow.name}: steps that never finish {dead}")
    if problems:
        raise FlowError("; ".join(problems))


def missing_messages(flow: Flow, catalog_ids: set[str]) -> list[str]:
    return sorted(flow.message_ids() - catalog_ids)


@lru_cache(maxsize=8)
def load_flow(name: str) -> Flow:
    path = DEFINITIONS_DIR / f"{name}.yaml"
    if not path.exists():
        raise FlowError(f"no flow definition {path}")
    return parse_flow(load_yaml(path))
