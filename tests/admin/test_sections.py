"""The panel's sections come from the composed domains, collected once per app."""

from __future__ import annotations

import pytest

from admin.sections import PolicySection, collect


def _rows(settings, session):  # type: ignore[no-untyped-def]
    return []


def test_two_domains_offering_one_key_are_refused_by_name() -> None:
    first = PolicySection(key="sla", title="A", rows=_rows)
    second = PolicySection(key="sla", title="B", rows=_rows)
    with pytest.raises(ValueError, match="'sla'"):
        collect([first, second])


def test_an_app_without_a_domain_has_none_of_its_sections(app) -> None:  # type: ignore[no-untyped-def]
    offered = app.state.admin_sections
    assert {s.key for s in offered.policies()} >= {"sla", "reminders"}
    assert {s.key for s in collect([]).policies()} == set()
