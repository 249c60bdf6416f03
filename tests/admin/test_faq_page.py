"""The employer FAQ in the panel: every entry, the ones still to fill, an editor that keeps what
was typed when it refuses, and a saved entry with a placeholder that is still never sent."""

from __future__ import annotations

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.escalations import faq
from bot.escalations.models import FaqEntry
from tests.admin.conftest import csrf_of


def _seeded(db, now) -> None:  # type: ignore[no-untyped-def]
    faq.seed(db, now=now)
    db.commit()
    db.expunge_all()


def test_the_faq_lists_every_entry_and_what_is_left_to_fill(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _seeded(db, now)
    entries = faq.all_entries(db)
    gaps = [e for e in entries if faq.placeholders(e)]
    db.rollback()
    page = login(world["lead"]).get("/admin/faq")
    assert page.status_code == 200
    html = page.text
    assert 'href="/admin/faq"' in html  # in the menu
    to_fill = html[html.index('id="to-fill"'):html.index('id="all-h"')]
    assert to_fill.count('<li><a href="/admin/faq/') == len(gaps) > 0
    assert "[KOMMUNEN UDFYLDER: maksimal varighed]" in to_fill
    assert html.count("Sendes ikke, før det er udfyldt") == len(gaps)
    assert html.count('<tr') - 1 == len(entries)  # every entry, after the header row
    assert login(world["admin"]).get("/admin/faq").status_code == 200
    assert login(world["anna"]).get("/admin/faq").status_code == 404


def test_a_refused_entry_keeps_what_was_typed_and_says_why_beside_the_field(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    form = lead.get("/admin/faq/new")
    refused = lead.post("/admin/faq", data={
        "csrf_token": csrf_of(form.text), "is_new": "1", "slug": "Arbejdstøj!", "active": "on",
        "questions_da": "Skal praktikanten have arbejdstøj?", "answers_da": "Ja, det sørger I for.",
    })
    assert refused.status_code == 422
    html = refused.text
    assert 'value="Arbejdstøj!"' in html and "Skal praktikanten have arbejdstøj?" in html
    assert "Ja, det sørger I for." in html
    slug_field = html[html.index('id="faq-slug"'):html.index('id="faq-topic"')]
    assert 'aria-invalid="true"' in slug_field and "Brug 2 til 61 små bogstaver" in slug_field
    assert db.exec(select(FaqEntry)).all() == []


def test_an_edit_is_saved_audited_and_a_filled_entry_leaves_the_to_fill_list(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _seeded(db, now)
    lead = login(world["lead"])
    form = lead.get("/admin/faq/internship-length")
    assert "[KOMMUNEN UDFYLDER: maksimal varighed]" in form.text
    db.rollback()
    saved = lead.post("/admin/faq", data={
        "csrf_token": csrf_of(form.text), "slug": "internship-length", "active": "on",
        "questions_da": "Hvor længe kan en praktik vare?\nKan praktikken forlænges?",
        "questions_en": "How long can an internship last?",
        "answers_da": "Normalt op til 13 uger. Vil I forlænge, så skriv det her, så kontakter {consultant_name} jer.",
        "answers_en": "Usually up to 13 weeks. To extend, write it here and {consultant_name} will contact you.",
    })
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/faq?saved=internship-length"
    entry = db.exec(select(FaqEntry).where(FaqEntry.slug == "internship-length")).one()
    assert faq.placeholders(entry) == [] and entry.questions["da"][1] == "Kan praktikken forlænges?"
    assert entry.updated_by_id == world["lead"].id
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "faq_saved")).one().subject == (
        "faq:internship-length"
    )
    db.rollback()
    html = lead.get(saved.headers["location"]).text
    assert "Svaret er gemt." in html
    to_fill = html[html.index('id="to-fill"'):html.index('id="all-h"')]
    assert "/admin/faq/internship-length" not in to_fill


def test_an_entry_saved_with_a_placeholder_shows_as_not_sent_until_filled(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    form = lead.get("/admin/faq/new")
    saved = lead.post("/admin/faq", data={
        "csrf_token": csrf_of(form.text), "is_new": "1", "slug": "arbejdstoej", "active": "on",
        "questions_da": "Skal praktikanten have arbejdstøj?",
        "answers_da": "[KOMMUNEN UDFYLDER: hvem betaler arbejdstøj]",
    })
    assert saved.status_code == 303
    db.rollback()
    html = lead.get(saved.headers["location"]).text
    assert "Det sendes ikke, før alle pladsholdere er udfyldt." in html
    assert "[KOMMUNEN UDFYLDER: hvem betaler arbejdstøj]" in html
