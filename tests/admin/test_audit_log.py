"""The audit log for team leads: filters by person, action, subject and period, pages, and words
staff read instead of stored codes."""

from __future__ import annotations

from datetime import timedelta

from bot.audit import service as audit


def _entries(db, world, now) -> None:  # type: ignore[no-untyped-def]
    anna, bo = world["anna"].id, world["bo"].id
    audit.record(db, staff_id=anna, action="view", subject=f"citizen:{world['amal'].id}",
                 now=now - timedelta(days=3))
    audit.record(db, staff_id=bo, action="resolve", subject="open_item:7", details={"kind": "sick_notice"},
                 now=now - timedelta(days=1))
    audit.record(db, staff_id=anna, action="preference_changed", subject="preference:reminders.quiet_hours",
                 details={"from": None, "to": ["20:00", "07:00"]}, now=now)
    db.commit()


def test_lines_read_in_staff_words(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _entries(db, world, now)
    html = login(world["lead"]).get("/admin/audit").text
    assert "Markerede som klaret" in html and "Sygemelding" in html  # not "resolve", "sick_notice"
    assert "Ændrede en indstilling" in html and "Indstilling: Stille timer" in html and "Nu: 20:00–07:00" in html
    assert f'<a href="/admin/citizens/{world["amal"].id}">Borger: Amal Hassan</a>' in html
    for code in (">resolve<", "preference_changed", "reminders.quiet_hours", "sick_notice"):
        assert code not in html.replace('value="resolve"', "").replace('value="preference_changed"', "")


def test_filters_by_person_action_subject_and_period(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _entries(db, world, now)
    lead = login(world["lead"])
    by_bo = lead.get(f"/admin/audit?who={world['bo'].id}").text
    assert "1 poster" in by_bo and "Markerede som klaret" in by_bo
    viewed = lead.get("/admin/audit?action=view").text
    assert "1 poster" in viewed and "Så" in viewed
    citizen = lead.get(f"/admin/audit?kind=citizen&subject={world['amal'].id}").text
    assert "1 poster" in citizen
    day = (now - timedelta(days=1)).date().isoformat()
    period = lead.get(f"/admin/audit?since={day}&until={day}").text
    assert "1 poster" in period and 'value="' + day + '"' in period  # the filter keeps what was chosen


def test_pages_of_fifty(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    for n in range(60):
        audit.record(db, staff_id=world["anna"].id, action="view", subject=f"citizen:{n}",
                     now=now - timedelta(minutes=n))
    db.commit()
    lead = login(world["lead"])
    first = lead.get("/admin/audit?action=view").text
    assert "Side 1 af 2" in first and 'href="?action=view&amp;page=2"' in first
    second = lead.get("/admin/audit?action=view&page=2").text
    assert "Borger 59" in second and "Borger 0<" not in second


def test_consultants_do_not_see_the_log(world, login) -> None:  # type: ignore[no-untyped-def]
    assert login(world["anna"]).get("/admin/audit").status_code == 404


def test_a_look_at_the_absence_list_reads_as_words_with_its_period(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    audit.record(db, staff_id=world["anna"].id, action="view", subject="absences:without_notice",
                 details={"from": "2026-11-02", "to": "2026-12-02", "citizen_ids": []}, now=now)
    db.commit()
    html = login(world["lead"]).get("/admin/audit").text
    assert '<a href="/admin/absences">Fravær uden afbud, alle borgere</a>' in html
    assert "Periode 02.11.2026–02.12.2026" in html
    assert "without_notice" not in html
