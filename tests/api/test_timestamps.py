from datetime import UTC, datetime

from fastapi.testclient import TestClient
from pydantic import BaseModel

from bot.api.timestamps import ApiDatetime, use_local_zone
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport


class Appointment(BaseModel):
    at: ApiDatetime


def test_an_offset_is_taken_as_given():
    with use_local_zone("Europe/Copenhagen"):
        parsed = Appointment.model_validate({"at": "2026-11-24T09:00:00+00:00"})
    assert parsed.at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_no_offset_is_local_time_winter_and_summer():
    with use_local_zone("Europe/Copenhagen"):
        winter = Appointment.model_validate({"at": "2026-11-24T09:00:00"})
        summer = Appointment.model_validate({"at": "2026-06-24T09:00:00"})
    assert winter.at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert summer.at == datetime(2026, 6, 24, 7, 0, tzinfo=UTC)


def test_responses_carry_a_utc_offset():
    value = Appointment(at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert value.model_dump_json() == '{"at":"2026-11-24T09:00:00+00:00"}'


def test_the_app_reads_naive_times_in_bot_timezone(engine, settings):
    app = create_app(settings.model_copy(update={"timezone": "America/New_York"}), engine=engine,
                     transport=SimulatorTransport())

    @app.post("/echo")
    def echo(body: Appointment) -> Appointment:
        return body

    with TestClient(app) as client:
        naive = client.post("/echo", json={"at": "2026-11-24T09:00:00"}).json()
        aware = client.post("/echo", json={"at": "2026-11-24T09:00:00+01:00"}).json()
        bad = client.post("/echo", json={"at": "tomorrow at nine"})
    assert naive == {"at": "2026-11-24T14:00:00+00:00"}
    assert aware == {"at": "2026-11-24T08:00:00+00:00"}
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "at"


def test_a_year_outside_any_plan_is_refused_naming_the_field():
    import pytest
    from pydantic import ValidationError

    for text in ("0001-01-01T00:00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59"):
        with use_local_zone("Europe/Copenhagen"), pytest.raises(ValidationError) as refused:
            Appointment.model_validate({"at": text})
        assert "the year must be between 1900 and 2200" in str(refused.value)
