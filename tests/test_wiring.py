"""The roots build every registry from the composed domains; start-up refuses an unhandled effect."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot import wiring
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.composition import all_domains, delivery_peers
from bot.config import ConfigError
from bot.conversations import registry
from bot.domain import CompositionError, Domain, compose
from bot.jobs import JobContext


def test_every_effect_a_flow_names_has_a_handler_once_wired() -> None:
    wiring.wire()
    wiring.check_effect_handlers()


def test_a_missing_handler_stops_the_start_and_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    wiring.wire()
    monkeypatch.delitem(registry._effects, "sick_check_in")
    with pytest.raises(ConfigError, match="sick_check_in"):
        wiring.check_effect_handlers()


def test_an_app_without_the_sick_notices_domain_refuses_to_start_naming_its_effects(engine, settings) -> None:
    without = [domain for domain in all_domains() if domain.name != "sick_notices"]
    with pytest.raises(ConfigError, match="record_sick_notice"):
        create_app(settings, engine=engine, transport=SimulatorTransport(), domains=without)
    wiring.wire()  # the other tests run with every domain


def test_two_domains_claiming_one_effect_are_refused_by_name() -> None:
    def handler(**_: object) -> list[registry.Reply]:
        return []

    one = Domain(name="one", effect_handlers={"open_ticket": handler})
    two = Domain(name="two", effect_handlers={"open_ticket": handler})
    with pytest.raises(CompositionError, match=r"open_ticket.*one and two"):
        compose([one, two])


def test_each_domain_is_listed_once_and_every_kind_has_one_owner() -> None:
    domains = all_domains()
    assert len({domain.name for domain in domains}) == len(domains)
    composition = compose(domains)
    assert set(composition.responders) == {"citizen", "employer_contact"}
    jobs = composition.jobs(JobContext(settings=_settings(), peers=delivery_peers()))
    assert len({job.name for job in jobs}) == len(jobs)


def test_wiring_twice_leaves_the_same_handlers() -> None:
    wiring.wire()
    first = dict(registry._effects)
    wiring.wire()
    assert registry._effects == first


def test_the_app_is_built_from_the_list_it_is_given(engine, settings) -> None:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    assert [domain.name for domain in app.state.domains] == [domain.name for domain in all_domains()]
    assert "/api/v1/escalations" in app.openapi()["paths"]
    with TestClient(app) as client:
        # a domain's public route, its admin page (asks for a login) and its API route (a token)
        assert client.get("/calendar/unknown.ics").status_code == 404
        assert client.get("/admin/tickets", follow_redirects=False).status_code == 303
        assert client.get("/admin/appointments/new", follow_redirects=False).status_code == 303
        assert client.get("/api/v1/escalations").status_code == 401

    bare = create_app(settings, engine=engine, transport=SimulatorTransport(),
                      domains=[d for d in all_domains() if d.name not in {"reminders"}]
                      + [Domain(name="reminder-answers", effect_handlers=_reminder_effects())])
    with TestClient(bare) as client:
        assert client.get("/api/v1/appointments").status_code == 404
        assert client.get("/admin/appointments/new", follow_redirects=False).status_code == 404
    wiring.wire()


def _reminder_effects():  # type: ignore[no-untyped-def]
    from bot.reminders.replies import EFFECTS

    return EFFECTS


def _settings():  # type: ignore[no-untyped-def]
    from bot.config import Settings

    return Settings(_env_file=None, demo=True)  # type: ignore[call-arg]
