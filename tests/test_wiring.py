"""Start-up refuses a flow effect that no domain handles, naming it."""

from __future__ import annotations

import pytest

from bot import wiring
from bot.config import ConfigError
from bot.conversations import registry


def test_every_effect_a_flow_names_has_a_handler_once_wired() -> None:
    wiring.wire()
    wiring.check_effect_handlers()


def test_a_missing_handler_stops_the_start_and_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    wiring.wire()
    monkeypatch.delitem(registry._effects, "sick_check_in")
    with pytest.raises(ConfigError, match="sick_check_in"):
        wiring.check_effect_handlers()
