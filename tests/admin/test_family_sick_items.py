"""A citizen who wrote that a family member is sick never asked for a person: the home page lists
the consultant's item under a section and label of its own, not under "asked to talk to a person"."""

from __future__ import annotations

import re

from bot.items import service as items


def _section(html: str, key: str) -> str:
    found = re.search(f'<section class="items"[^>]*data-section="{key}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def test_a_sick_family_member_is_not_a_request_for_a_person(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal, bashir = world["amal"], world["bashir"]
    items.open(db, kind="handover", summary="Amal skrev, at et familiemedlem er sygt", now=now,
               citizen_id=amal.id, summary_id="other_sick", details={"reason": "other_sick"},
               dedupe_key="other_sick:1:1")
    items.open(db, kind="handover", summary="Bashir vil tale med en medarbejder", now=now,
               citizen_id=bashir.id, summary_id="handover_asked", dedupe_key="handover:2")
    db.commit()
    lead = login(world["lead"])
    html = lead.get("/admin/").text
    family, person = _section(html, "family_sick"), _section(html, "handover")
    assert "Et familiemedlem er sygt" in family and "Familiemedlem syg" in family
    assert "hør, om det berører fremmødet" in family and "Amal" in family
    assert "Amal" not in person and "Bashir" in person
    assert re.search(r'id="section-handover">[^<]*<span class="count">1</span>', html)
    assert re.search(r'id="section-family_sick">[^<]*<span class="count">1</span>', html)
    # The section's own page lists the same one item, and so does the citizen page's label.
    whole = lead.get("/admin/items/section/family_sick").text
    assert "Amal" in whole and "Bashir" not in whole
    assert "Bashir" in lead.get("/admin/items/section/handover").text
    assert "Amal" not in lead.get("/admin/items/section/handover").text


def test_the_item_page_and_the_export_name_a_sick_family_member_too(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item = items.open(db, kind="handover", summary="Amal skrev, at et familiemedlem er sygt", now=now,
                      citizen_id=world["amal"].id, summary_id="other_sick", details={"reason": "other_sick"},
                      dedupe_key="other_sick:1:2")
    db.commit()
    lead = login(world["lead"])
    page = lead.get(f"/admin/items/{item.id}").text
    assert "Familiemedlem syg" in page and "Vil tale med en person" not in page
    exported = lead.get("/admin/items.csv").text
    assert "Familiemedlem syg" in exported
