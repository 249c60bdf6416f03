"""The pure flow engine: ``advance(definition, state, inbound, now)``.

It reads a message (or a timeout), walks the flow's steps and returns the new state, the
replies as message ids with parameters and the effects as data. It imports no database, no
transport and no web framework; the responder stores the state and applies the effects.

State is a JSON-friendly dict: ``{}`` when idle, otherwise
``{"flow", "step", "data", "wait_until", "reprompted", "misses"}`` with dates as ISO strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.flows.dates import parse_period
from bot.flows.definition import Flow, Step
from bot.flows.intents import CONTENT, Match, classify, numbers_in

MAX_STEPS = 50
QUESTIONS = frozenset({"next_appointment"})
MAX_MISSES = 2
Reply = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Inbound:
    """A message from the person, or a timeout tick from the clock."""

    text: str = ""
    kind: Literal["message", "timeout"] = "message"
    timezone: str = "Europe/Copenhagen"
    # Facts known before the conversation started, e.g. the appointment a reminder asked about.
    context: dict[str, Any] = field(default_factory=dict)
    # How the caller already read the message (an employer's text is read against the FAQ and
    # the company's interns, which the engine cannot see); None: the citizens' lexicon reads it.
    reading: Match | None = None


@dataclass
class Result:
    state: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    effects: list[dict[str, Any]] = field(default_factory=list)
    match: Match | None = None  # how the message was read, for the "other language" note

    @property
    def waiting(self) -> bool:
        return bool(self.state.get("step"))


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def wait_until(state: dict[str, Any]) -> datetime | None:
    raw = state.get("wait_until")
    return datetime.fromisoformat(raw) if raw else None


def flow_intent(match: Match) -> str:
    """The intent a flow routes on: the reading when sure; "not_sick" for a bare denial of one's
    own illness ("jeg er ikke syg", "ana mish mareed"), which no reading acts on by itself."""
    if match.confident and match.intent is not None:
        return match.intent
    if match.intent is None and match.denies_sick and not match.ambiguous:
        return "not_sick"
    return "unclear"


def message_data(text: str, today: date, match: Match | None = None) -> dict[str, Any]:
    """What a free message tells the flow: the intent (only when sure), the text, the dates."""
    match = match or classify(text)
    period = parse_period(text, today)
    return {
        "text": text,
        "intent": flow_intent(match),
        "confidence": round(match.confidence, 1),
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat() if period.ends_on else None,
        "ends_known": period.known,
    }


class _Run:
    def __init__(self, flow: Flow, data: dict[str, Any], now: datetime, inbound: Inbound) -> None:
        self.flow = flow
        self.data = data
        self.now = now
        self.today = local_today(now, inbound.timezone)
        self.replies: list[Reply] = []
        self.effects: list[dict[str, Any]] = []

    def value(self, raw: Any) -> Any:
        if isinstance(raw, str) and raw.startswith("$"):
            name = raw[1:]
            if name == "today":
                return self.today.isoformat()
            if name == "tomorrow":
                return (self.today + timedelta(days=1)).isoformat()
            return self.data.get(name)
        return raw

    def resolve(self, mapping: dict[str, Any]) -> dict[str, Any]:
        return {key: self.value(raw) for key, raw in mapping.items()}

    def wait(self, step: Step) -> dict[str, Any]:
        minutes = step.reprompt_minutes or self.flow.reprompt_minutes
        return {
            "flow": self.flow.name,
            "step": step.id,
            "data": self.data,
            "wait_until": (self.now + timedelta(minutes=minutes)).isoformat(),
            "reprompted": False,
            "misses": 0,
        }

    def go(self, step_id: str, *, entering_ask: bool = True) -> dict[str, Any]:
        """Run steps from ``step_id`` until a question waits or the flow ends."""
        for _ in range(MAX_STEPS):
            step = self.flow.step(step_id)
            if step.kind == "say":
                self.replies.append((str(step.message), self.resolve(step.params)))
                step_id = str(step.next)
            elif step.kind == "ask":
                if entering_ask and not step.silent:
                    self.replies.append((str(step.message), self.resolve(step.params)))
                return self.wait(step)
            elif step.kind == "branch":
                value = self.data.get(str(step.on))
                key = str(value).lower() if value is not None else ""
                step_id = step.cases.get(key, str(step.default))
            elif step.kind == "effect":
                effect = {"kind": step.effect, **self.resolve(step.data)}
                if step.ack:
                    effect["ack"] = step.ack
                self.effects.append(effect)
                step_id = str(step.next)
            elif step.kind == "handover":
                self.effects.append(
                    {"kind": "handover", "reason": step.reason, "text": self.data.get("text")}
                )
                self.replies.append((str(step.message), self.resolve(step.params)))
                return {}
            else:  # end
                return {}
        raise RuntimeError(f"flow {self.flow.name} ran {MAX_STEPS} steps without waiting")


def start(flow: Flow, entry: str, data: dict[str, Any], now: datetime, inbound: Inbound) -> Result:
    """Enter ``flow`` at ``entry`` with ``data`` (a reminder waiting for "are you coming?")."""
    run = _Run(flow, dict(data), now, inbound)
    state = run.go(entry)
    return Result(state, run.replies, run.effects)


def _choose(step: Step, text: str, match: Match, today: date) -> tuple[str, dict[str, Any]] | None:
    """The step an answer leads to and the data it sets, or None when it is no answer."""
    numbers = numbers_in(text)
    if step.expect == "choice":
        if numbers and str(numbers[0]) in step.choices and len(numbers) == 1:
            choice = step.choices[str(numbers[0])]
            return choice.next, {**choice.set, **choice.by_number}
        if match.confident:
            for choice in step.choices.values():
                if choice.intent == match.intent:
                    return choice.next, dict(choice.set)
        if step.accept_dates:
            period = parse_period(text, today)
            if period.known:
                return step.accept_dates, {
                    "starts_on": period.starts_on.isoformat(),
                    "ends_on": period.ends_on.isoformat() if period.ends_on else None,
                }
        return None
    if step.expect == "yes_no":
        if len(numbers) == 1 and match.intent in (None, "yes", "no"):
            key = {1: "yes", 2: "no"}.get(numbers[0])
            if key:
                return step.choices[key].next, dict(step.choices[key].set)
        if match.confident and match.intent in step.choices:
            chosen = step.choices[str(match.intent)]
            return chosen.next, dict(chosen.set)
        return None
    if step.expect == "days":
        period = parse_period(text, today)
        if not period.known:
            return None
        return str(step.next), {
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat() if period.ends_on else None,
        }
    # free text: anything that is not empty, except a clear question of its own ("when is my
    # next appointment?" asked instead of a reason starts over rather than becoming the reason)
    if not text.strip() or (match.confident and match.intent in QUESTIONS):
        return None
    key = step.store or "answer"
    return str(step.next), {key: text, f"{key}_intent": match.intent if match.confident else None}


def _answer(flow: Flow, state: dict[str, Any], inbound: Inbound, now: datetime) -> Result:
    step = flow.step(str(state["step"]))
    data = dict(state.get("data") or {})
    run = _Run(flow, data, now, inbound)
    match = inbound.reading or classify(inbound.text)
    chosen = _choose(step, inbound.text, match, run.today)
    if chosen is not None:
        target, updates = chosen
        # The answer may itself say how long ("no, I'm sick today"): keep what it tells.
        told = message_data(inbound.text, run.today, match)
        if told["ends_known"] or "starts_on" not in run.data:
            for key in ("starts_on", "ends_on", "ends_known"):
                run.data[key] = told[key]
        run.data.setdefault("text", inbound.text)
        run.data.update({k: run.value(v) for k, v in updates.items()})
        if step.expect != "text":
            run.data["answer_text"] = inbound.text
        new_state = run.go(target)
        return Result(new_state, run.replies, run.effects, match)
    # Something else entirely ("when is my next appointment?" while asked how long): start over.
    restart_on = CONTENT | {"not_sick"} if flow.restart_on is None else flow.restart_on
    if flow_intent(match) in restart_on:
        fresh = message_data(inbound.text, run.today, match)
        fresh["appointment_id"] = data.get("appointment_id")
        fresh.update(inbound.context)
        return _fresh(flow, fresh, now, inbound, match)
    misses = int(state.get("misses", 0)) + 1
    if misses > MAX_MISSES:
        # Every question has an exit: after repeated misunderstandings a person takes over.
        new_state = run.go(step.on_fail or flow.fail_step)
        return Result(new_state, run.replies, run.effects, match)
    replies: list[Reply] = [("flow.not_understood", {}), (str(step.message), run.resolve(step.params))]
    return Result({**state, "misses": misses}, replies, [], match)


def _fresh(flow: Flow, data: dict[str, Any], now: datetime, inbound: Inbound, match: Match) -> Result:
    run = _Run(flow, data, now, inbound)
    new_state = run.go(flow.start)
    return Result(new_state, run.replies, run.effects, match)


def _timeout(flow: Flow, state: dict[str, Any], inbound: Inbound, now: datetime) -> Result:
    step = flow.step(str(state["step"]))
    if step.reprompts and not state.get("reprompted"):
        minutes = step.expire_minutes or flow.expire_minutes
        new_state = {
            **state,
            "reprompted": True,
            "wait_until": (now + timedelta(minutes=minutes)).isoformat(),
        }
        run = _Run(flow, dict(state.get("data") or {}), now, inbound)
        message = step.reprompt or str(step.message)
        return Result(new_state, [(message, run.resolve(step.params))], [])
    data = dict(state.get("data") or {})
    data["expired"] = True
    run = _Run(flow, data, now, inbound)
    # The flow expires; where the answer mattered, staff get an open item from this effect.
    run.effects.append(
        {
            "kind": "flow_expired",
            "flow": flow.name,
            "step": step.id,
            "matters": step.matters,
            "appointment_id": data.get("appointment_id"),
            "continued": bool(step.on_expire),
        }
    )
    new_state = run.go(step.on_expire, entering_ask=False) if step.on_expire else {}
    return Result(new_state, run.replies, run.effects)


def advance(flow: Flow, state: dict[str, Any], inbound: Inbound, now: datetime) -> Result:
    """One step of the conversation: the new state, the replies and the effects."""
    waiting = bool(state.get("step")) and state.get("flow") == flow.name
    if inbound.kind == "timeout":
        if not waiting:
            return Result({})
        return _timeout(flow, state, inbound, now)
    if waiting:
        return _answer(flow, state, inbound, now)
    match = inbound.reading or classify(inbound.text)
    data = message_data(inbound.text, local_today(now, inbound.timezone), match)
    data.update(inbound.context)
    return _fresh(flow, data, now, inbound, match)
