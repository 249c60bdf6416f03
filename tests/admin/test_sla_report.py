"""The team lead's SLA report: per consultant, the share answered in time and the median first
answer, the same figures the metrics endpoint publishes."""

from __future__ import annotations

from datetime import timedelta

from bot.escalations import report
from bot.escalations.models import Ticket, TicketKind


def _tickets(db, world, now) -> None:  # type: ignore[no-untyped-def]
    """Anna: in time (1 h), late (30 h), overdue unanswered, and one not yet due. Bo: in time (2 h)."""
    day = timedelta(hours=24)
    rows = [
        ("anna", now - 3 * day, timedelta(hours=1)),
        ("anna", now - 3 * day, timedelta(hours=30)),
        ("anna", now - 2 * day, None),
        ("anna", now - timedelta(hours=1), None),
        ("bo", now - 4 * day, timedelta(hours=2)),
    ]
    for n, (who, opened, answer) in enumerate(rows):
        db.add(Ticket(reference=f"V-2026-{n:06d}", employer_id=world["bakery"].id, kind=TicketKind.question,
                      assignee_id=world[who].id, created_at=opened, response_due_at=opened + day,
                      first_response_at=opened + answer if answer else None))
    db.commit()


def test_the_team_lead_reads_each_consultants_share_and_median(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _tickets(db, world, now)
    page = login(world["lead"]).get("/admin/sla")
    assert page.status_code == 200
    html = page.text
    anna = html[html.index("Anna Consultant"):html.index("</tr>", html.index("Anna Consultant"))]
    assert "<strong>33 %</strong>" in anna  # 1 of the 3 whose outcome is known
    assert "15 t. 30 min." in anna  # the median of 1 h and 30 h
    assert 'data-label="Frist ikke nået">1</td>' in anna
    bo = html[html.index("Bo Consultant"):html.index("</tr>", html.index("Bo Consultant"))]
    assert "<strong>100 %</strong>" in bo and "2 t." in bo
    assert "november 2026" in html
    figures = report.monthly(db, month="2026-11", timezone="Europe/Copenhagen", now=now)
    assert [round((r.share_in_time or 0) * 100) for r in figures.rows] == [33, 100]  # what the metrics say


def test_an_earlier_month_and_a_month_that_is_not_one(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _tickets(db, world, now)
    lead = login(world["lead"])
    october = lead.get("/admin/sla?month=2026-10").text
    assert "Ingen virksomheder henvendte sig i denne måned." in october
    wrong = lead.get("/admin/sla?month=nonsense")
    assert wrong.status_code == 422 and "Vælg en måned på listen." in wrong.text


def test_consultants_do_not_see_the_report(world, login) -> None:  # type: ignore[no-untyped-def]
    assert login(world["anna"]).get("/admin/sla").status_code == 404
