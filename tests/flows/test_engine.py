"""The pure engine: conversations as a citizen has them, without a database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.flows.definition import Flow, load_flow
from bot.flows.engine import Inbound, Result, advance, start

MONDAY_9 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Copenhagen


@pytest.fixture()
def flow() -> Flow:
    return load_flow("citizen")


def say(flow: Flow, state: dict, text: str, now: datetime = MONDAY_9) -> Result:
    # Every state goes through JSON, as it does when stored on the conversation row.
    return advance(flow, json.loads(json.dumps(state)), Inbound(text), now)


def kinds(result: Result) -> list[str]:
    return [e["kind"] for e in result.effects]


def test_a_sick_notice_with_its_length_is_recorded_at_once(flow: Flow) -> None:
    result = say(flow, {}, "jeg er syg i dag og i morgen")
    assert kinds(result) == ["record_sick_notice"]
    effect = result.effects[0]
    assert (effect["starts_on"], effect["ends_on"]) == ("2026-11-23", "2026-11-24")
    assert effect["text"] == "jeg er syg i dag og i morgen"
    assert result.state == {}


def test_a_bare_sick_word_is_recorded_at_once_and_the_length_only_refines_it(flow: Flow) -> None:
    first = say(flow, {}, "ana mareed")
    # Recorded before any question: the receipt (the effect's ack) carries the length question.
    assert kinds(first) == ["record_sick_notice"]
    assert first.effects[0]["ends_on"] is None
    assert first.effects[0]["asks_length"] is True
    assert first.effects[0]["ack"] == "flow.sick.ask_length"
    assert first.replies == []
    second = say(flow, first.state, "٢")
    assert kinds(second) == ["set_sick_notice_length"]
    assert second.effects[0]["days"] == 2


def test_dont_know_yet_leaves_the_end_open(flow: Flow) -> None:
    first = say(flow, {}, "waan bukaa")
    second = say(flow, first.state, "۳")
    assert kinds(second) == ["set_sick_notice_length"]
    assert second.effects[0]["days"] is None
    assert second.effects[0]["ends_on"] is None


def test_the_length_question_also_takes_words(flow: Flow) -> None:
    first = say(flow, {}, "syg")
    second = say(flow, first.state, "until friday")
    assert second.effects[0]["ends_on"] == "2026-11-27"


def test_better_ends_the_notice(flow: Flow) -> None:
    assert kinds(say(flow, {}, "أنا بخير")) == ["end_sick_notice"]


def test_next_appointments(flow: Flow) -> None:
    assert kinds(say(flow, {}, "коли наступна зустріч")) == ["next_appointments"]


def test_a_reminder_answer_yes_confirms_that_appointment(flow: Flow) -> None:
    waiting = start(flow, "attendance", {"appointment_id": 7}, MONDAY_9, Inbound())
    assert waiting.replies == []  # the reminder itself asked
    result = say(flow, waiting.state, "1")
    assert result.effects[0]["kind"] == "confirm_appointment"
    assert result.effects[0]["appointment_id"] == 7


def test_no_records_a_cancellation_at_once_and_the_reason_is_added(flow: Flow) -> None:
    waiting = start(flow, "attendance", {"appointment_id": 7}, MONDAY_9, Inbound())
    asked = say(flow, waiting.state, "kan ikke komme")
    assert kinds(asked) == ["record_cancellation"]
    assert asked.effects[0]["appointment_id"] == 7
    assert asked.effects[0]["ack"] == "flow.decline.ask_reason"
    done = say(flow, asked.state, "my bus is not running")
    assert kinds(done) == ["add_cancellation_reason"]
    assert done.effects[0]["reason"] == "my bus is not running"


def test_no_because_sick_becomes_a_sick_notice_linked_to_the_appointment(flow: Flow) -> None:
    waiting = start(flow, "attendance", {"appointment_id": 7}, MONDAY_9, Inbound())
    asked = say(flow, waiting.state, "2")
    assert kinds(asked) == ["record_cancellation"]
    reason = say(flow, asked.state, "jeg er syg")
    assert kinds(reason) == ["add_cancellation_reason"]
    assert reason.effects[0]["sick"] is True
    done = say(flow, reason.state, "1")
    assert kinds(done) == ["set_sick_notice_length"]
    assert done.effects[0]["days"] == 1


def test_no_im_sick_at_once_is_a_sick_notice_for_the_appointment(flow: Flow) -> None:
    waiting = start(flow, "attendance", {"appointment_id": 7}, MONDAY_9, Inbound())
    result = say(flow, waiting.state, "nej, jeg er syg i dag")
    assert kinds(result) == ["record_sick_notice"]
    assert result.effects[0]["appointment_id"] == 7


def test_an_unclear_message_gets_a_numbered_question_and_no_effect(flow: Flow) -> None:
    result = say(flow, {}, "hvornår får jeg penge")
    assert [r[0] for r in result.replies] == ["flow.clarify"]
    assert result.effects == []
    chosen = say(flow, result.state, "1")
    assert kinds(chosen) == ["record_sick_notice"]


def test_a_fuzzy_guess_below_the_threshold_never_creates_a_notice(flow: Flow) -> None:
    result = say(flow, {}, "sygdom i familien")
    assert "record_sick_notice" not in kinds(result)
    assert "record_cancellation" not in kinds(result)


def test_repeated_nonsense_hands_over_to_a_person(flow: Flow) -> None:
    state = say(flow, {}, "hmm").state
    for _ in range(2):
        result = say(flow, state, "xyz")
        assert [r[0] for r in result.replies] == ["flow.not_understood", "flow.clarify"]
        state = result.state
    final = say(flow, state, "xyz")
    assert kinds(final) == ["handover"]
    assert final.state == {}


def test_something_else_while_waiting_starts_over(flow: Flow) -> None:
    asked = say(flow, {}, "syg")
    result = say(flow, asked.state, "næste aftale")
    assert kinds(result) == ["next_appointments"]


def test_an_unanswered_question_is_reprompted_once_then_expires_for_staff(flow: Flow) -> None:
    waiting = start(flow, "attendance", {"appointment_id": 7}, MONDAY_9, Inbound())
    due = datetime.fromisoformat(waiting.state["wait_until"])
    assert due > MONDAY_9
    reprompt = advance(flow, waiting.state, Inbound(kind="timeout"), due)
    assert [r[0] for r in reprompt.replies] == ["flow.attendance.reprompt"]
    assert reprompt.effects == []
    later = datetime.fromisoformat(reprompt.state["wait_until"])
    expired = advance(flow, reprompt.state, Inbound(kind="timeout"), later)
    assert expired.effects == [
        {"kind": "flow_expired", "flow": "citizen", "step": "attendance", "matters": True,
         "appointment_id": 7, "continued": False}
    ]
    assert expired.state == {}


def test_an_unanswered_length_question_is_not_asked_again_and_changes_nothing(flow: Flow) -> None:
    asked = say(flow, {}, "syg")
    assert kinds(asked) == ["record_sick_notice"]
    expired = advance(flow, asked.state, Inbound(kind="timeout"), MONDAY_9 + timedelta(hours=13))
    # The notice was made on arrival; no answer leaves it open-ended, with no second question.
    assert kinds(expired) == ["flow_expired"]
    assert expired.effects[0]["matters"] is False
    assert expired.replies == []
    assert expired.state == {}


def test_a_timeout_when_nothing_waits_does_nothing(flow: Flow) -> None:
    assert advance(flow, {}, Inbound(kind="timeout"), MONDAY_9).replies == []
