"""The FAQ knowledge base: seeded in Danish and English, never inventing figures, matched by meaning."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlmodel import Session

from bot.escalations import faq
from bot.escalations.faq_seed import PLACEHOLDER_MARK, SEED
from bot.escalations.models import FaqEntry

GSM_EXTENDED = set("^{}\\[~]|€")
FACTS = {
    "consultant_name": "Mette Hansen",
    "consultant_phone": "+4520000001",
    "consultant_email": "mette.hansen@kommune.dk",
    "company": "Fynsk Bageri ApS",
}
ENTRIES = [FaqEntry(slug=row["slug"], questions=row["questions"], answers=row["answers"]) for row in SEED]


def _gsm_length(text: str) -> int:
    return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)


def test_at_least_fifteen_entries_in_danish_and_english() -> None:
    assert len(SEED) >= 15
    topics = {row["topic"] for row in SEED}
    assert {"internship", "wage_subsidy", "igu", "absence", "placement", "contact", "insurance"} <= topics
    for row in SEED:
        assert set(row["questions"]) >= {"da", "en"}, row["slug"]
        assert set(row["answers"]) >= {"da", "en"}, row["slug"]


@pytest.mark.parametrize("row", SEED, ids=[row["slug"] for row in SEED])
def test_answers_fit_three_sms_and_invent_no_figures(row: dict) -> None:
    for language, answer in row["answers"].items():
        text = faq.answer_text(ENTRIES[SEED.index(row)], language, FACTS)
        assert _gsm_length(text) <= 3 * 153, (row["slug"], language)
        # Amounts and limits are the municipality's to fill; the only figure is the 24-hour promise.
        assert set(re.findall(r"\d+", answer)) <= {"24"}, (row["slug"], language)
        assert "{" not in text


def test_rules_are_marked_for_the_municipality() -> None:
    marked = [row["slug"] for row in SEED if PLACEHOLDER_MARK in row["answers"]["da"]]
    assert {"wage-subsidy-amount", "igu-what", "insurance", "internship-pay"} <= set(marked)
    entry = next(e for e in ENTRIES if e.slug == "wage-subsidy-amount")
    assert faq.placeholders(entry)[0].startswith("[KOMMUNEN UDFYLDER:")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hvad er løntilskud?", "wage-subsidy-what"),
        ("hvor meget er løntilskuddet", "wage-subsidy-amount"),
        ("Hvem er vores konsulent", "who-is-consultant"),
        ("who is our consultant?", "who-is-consultant"),
        ("er praktikanten forsikret?", "insurance"),
        ("Is the intern insured", "insurance"),
        ("hvordan melder jeg fravær", "report-absence"),
        ("Can we pause the internship?", "pause-placement"),
        ("hvad er IGU", "igu-what"),
        ("kan praktikken forlænges?", "internship-length"),
        ("How long can an internship last", "internship-length"),
    ],
)
def test_questions_find_their_answer(text: str, slug: str) -> None:
    found = faq.best_match(text, ENTRIES, 75)
    assert found is not None and found.entry.slug == slug


@pytest.mark.parametrize(
    "text", ["Kan I sende papirerne igen til kontoret i Odense", "hej", "vores kaffemaskine er i stykker"]
)
def test_unrelated_text_finds_nothing(text: str) -> None:
    assert faq.best_match(text, ENTRIES) is None


def test_seed_is_idempotent_and_keeps_staff_edits(session: Session, now: datetime) -> None:
    assert faq.seed(session, now=now) == len(SEED)
    faq.save(
        session,
        slug="insurance",
        questions={"da": ["Er praktikanten forsikret?"]},
        answers={"da": "Kommunens arbejdsskadeforsikring dækker."},
        now=now,
    )
    assert faq.seed(session, now=now) == 0
    session.commit()
    insurance = next(e for e in faq.active_entries(session) if e.slug == "insurance")
    assert insurance.answers == {"da": "Kommunens arbejdsskadeforsikring dækker."}
    assert faq.answer_text(insurance, "en", FACTS) == "Kommunens arbejdsskadeforsikring dækker."


def test_saving_refuses_empty_answers(session: Session, now: datetime) -> None:
    with pytest.raises(faq.FaqInputError) as err:
        faq.save(session, slug="ok-slug", questions={"da": ["Hvad?"]}, answers={"da": "  "}, now=now)
    assert err.value.field == "answers"


def test_saving_refuses_an_answer_longer_than_three_sms(session: Session, now: datetime) -> None:
    with pytest.raises(faq.FaqInputError, match="would be 4 SMS") as err:
        faq.save(
            session,
            slug="long-one",
            questions={"da": ["Hvad?"]},
            answers={"da": "Lang tekst. " * 45},
            now=now,
        )
    assert err.value.field == "answers"
