import logging
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import ConfigError, Settings
from bot.db import make_engine
from bot.jobs import Job
from bot.logging_setup import JsonFormatter, KeyValueFormatter
from bot.scheduler import make_scheduler, run_job


def test_healthz_is_ok_when_the_database_answers(engine, settings):
    with TestClient(create_app(settings, engine=engine, transport=SimulatorTransport())) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(settings, tmp_path):
    broken = make_engine(f"sqlite:///{tmp_path}")  # a directory is no database file
    with TestClient(create_app(settings, engine=broken, transport=SimulatorTransport())) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_the_api_is_documented(engine, settings):
    with TestClient(create_app(settings, engine=engine, transport=SimulatorTransport())) as client:
        assert client.get("/docs").status_code == 200
        schema = client.get("/openapi.json").json()
    for path in ("/api/v1/citizens", "/api/v1/staff", "/api/v1/employers",
                 "/api/v1/employers/{employer_id}/contacts", "/api/v1/messages"):
        assert path in schema["paths"]
    assert "StaffToken" in schema["components"]["securitySchemes"]


def test_twilio_without_a_token_refuses_to_start_naming_the_variable():
    settings = Settings(_env_file=None, sms_transport="twilio", twilio_account_sid="AC" + "1" * 32,
                        twilio_from_number="+4570000000", secret_key="s3cret")
    with pytest.raises(ConfigError) as refused:
        create_app(settings, engine=make_engine("sqlite://"))
    assert "BOT_TWILIO_AUTH_TOKEN" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_default_secret_outside_demo_is_refused():
    with pytest.raises(ConfigError, match="BOT_SECRET_KEY"):
        create_app(Settings(_env_file=None), engine=make_engine("sqlite://"))


def test_a_failing_job_is_logged_and_the_others_still_run(engine, settings, caplog):
    ran: list[datetime] = []

    def broken(engine, settings, transport, now):
        raise RuntimeError("boom")

    def healthy(engine, settings, transport, now):
        ran.append(now)

    jobs = [Job("broken", broken, 5), Job("healthy", healthy, 5)]
    with caplog.at_level(logging.ERROR):
        results = [run_job(job, engine, settings, None) for job in jobs]
    assert results == [False, True]
    assert ran and ran[0].tzinfo is not None
    assert any(getattr(r, "job", None) == "broken" for r in caplog.records)


def test_every_job_is_scheduled_once_at_its_interval_without_overlap(engine, settings):
    jobs = [Job("dispatch", lambda *a: None, 5), Job("sweep", lambda *a: None, 60)]
    scheduler = make_scheduler(engine, settings, None, jobs)
    scheduled = {job.id: job for job in scheduler.get_jobs()}
    assert set(scheduled) == {"dispatch", "sweep"}
    for job in scheduled.values():
        assert job.max_instances == 1 and job.coalesce is True
    assert scheduled["sweep"].trigger.interval.total_seconds() == 60


def test_log_lines_are_one_line_key_value_or_json():
    record = logging.makeLogRecord({"msg": "outbound sent", "levelname": "INFO", "name": "bot.channels",
                                    "sid": "SM123", "status": "sent", "note": "two words"})
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert 'event="outbound sent"' in line and "sid=SM123" in line and 'note="two words"' in line
    assert '"sid": "SM123"' in JsonFormatter().format(record)


def test_a_body_passed_to_an_info_log_is_reduced_to_its_length():
    record = logging.makeLogRecord({"msg": "inbound stored", "levelname": "INFO", "levelno": logging.INFO,
                                    "sid": "SM1", "body": "Jeg er syg"})
    line = KeyValueFormatter().format(record)
    assert "syg" not in line and "body_chars=10" in line
    debug = logging.makeLogRecord({"msg": "x", "levelname": "DEBUG", "levelno": logging.DEBUG, "body": "Jeg er syg"})
    assert "syg" in KeyValueFormatter().format(debug)


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [f"BOT_{name.upper()}" for name in Settings.model_fields if f"`BOT_{name.upper()}`" not in readme]
    assert missing == [], f"add these settings to the README table: {missing}"


def test_a_number_the_database_cannot_hold_is_a_422_not_a_crash(engine, settings):
    from bot.contacts.models import Citizen
    from bot.deps import SessionDep

    app = create_app(settings, engine=engine, transport=SimulatorTransport())

    @app.get("/unbounded/{citizen_id}")
    def unbounded(citizen_id: int, session: SessionDep) -> dict:
        session.get(Citizen, citizen_id)
        return {}

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(f"/unbounded/{2**63}")
    assert response.status_code == 422
    assert "64 bits" in response.json()["detail"][0]["message"]


def test_a_date_the_database_layer_cannot_convert_is_a_422(engine, settings):
    from datetime import timedelta, timezone

    from sqlmodel import select

    from bot.contacts.models import Citizen
    from bot.deps import SessionDep

    app = create_app(settings, engine=engine, transport=SimulatorTransport())

    @app.get("/edge-of-time")
    def edge_of_time(session: SessionDep) -> dict:
        earliest = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
        session.exec(select(Citizen).where(Citizen.created_at >= earliest)).all()
        return {}

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/edge-of-time").status_code == 422


def test_the_scheduler_runs_with_the_app_only_when_enabled(engine, settings):
    from bot.jobs import all_jobs

    enabled = create_app(settings.model_copy(update={"scheduler_enabled": True}), engine=engine,
                         transport=SimulatorTransport())
    with TestClient(enabled):
        scheduler = enabled.state.scheduler
        assert scheduler.running
        assert {job.id for job in scheduler.get_jobs()} == {job.name for job in all_jobs(settings)}
    assert not scheduler.running

    disabled = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(disabled):
        assert disabled.state.scheduler is None
