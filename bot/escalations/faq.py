"""The employer FAQ: seed it, let staff edit it, and find the entry that answers a text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.escalations import session_cache
from bot.escalations.faq_seed import PLACEHOLDER_MARK, SEED
from bot.escalations.models import FaqEntry
from bot.flows.normalize import normalise
from bot.i18n import normalise_language
from bot.sms_segments import count_segments

MATCH_THRESHOLD = 82.0
MAX_SMS_PARTS = 3
_PLACEHOLDER = re.compile(r"\[KOMMUNEN UDFYLDER:[^\]]*\]")
_ANSWER_FIELDS = ("consultant_name", "consultant_phone", "consultant_email", "company")


class FaqInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float
    variant: str


def score(text: str, variant: str) -> float:
    """How well ``text`` asks the question ``variant`` (0-100), word order and extra words forgiven."""
    a, b = normalise(text), normalise(variant)
    if not a or not b:
        return 0.0
    # token_set_ratio alone rewards any shared word; averaging with the plain ratio keeps a
    # one-word overlap ("intern") from looking like an answer.
    return (fuzz.token_set_ratio(a, b) * 2 + fuzz.WRatio(a, b)) / 3


def best_match(text: str, entries: Iterable[FaqEntry], threshold: float = MATCH_THRESHOLD) -> FaqMatch | None:
    best: FaqMatch | None = None
    for entry in entries:
        for variants in entry.questions.values():
            for variant in variants:
                value = score(text, variant)
                if best is None or value > best.score:
                    best = FaqMatch(entry, value, variant)
    if best is None or best.score < threshold:
        return None
    return best


def answer_text(entry: FaqEntry, language: str, facts: Mapping[str, str]) -> str:
    """The answer in ``language`` (else Danish, else English) with the company's facts filled in."""
    language = normalise_language(language)
    template = entry.answers.get(language) or entry.answers.get("da") or entry.answers.get("en") or ""
    filled = template
    for name in _ANSWER_FIELDS:
        filled = filled.replace("{" + name + "}", facts.get(name, "") or "")
    return filled


def placeholders(entry: FaqEntry) -> list[str]:
    """The marked gaps the municipality still has to fill, in every language."""
    found: list[str] = []
    for answer in entry.answers.values():
        found.extend(_PLACEHOLDER.findall(answer))
    return found


def seed(session: Session, *, now: datetime) -> int:
    """Add the starting entries that are not there yet (by slug); staff edits are never overwritten."""
    existing = set(session.exec(select(FaqEntry.slug)).all())
    added = 0
    for row in SEED:
        if row["slug"] in existing:
            continue
        session.add(
            FaqEntry(
                slug=row["slug"],
                topic=row.get("topic", ""),
                questions={k: list(v) for k, v in row["questions"].items()},
                answers=dict(row["answers"]),
                created_at=now,
                updated_at=now,
            )
        )
        added += 1
    session.flush()
    return added


def active_entries(session: Session) -> list[FaqEntry]:
    """The entries in use, read once per session (``session_cache``)."""
    def load() -> list[FaqEntry]:
        query = select(FaqEntry).where(col(FaqEntry.active).is_(True)).order_by(FaqEntry.slug)
        return list(session.exec(query).all())

    return list(session_cache.cached(session, "faq.active", load, (FaqEntry,)))


session_cache.watch(FaqEntry)


def all_entries(session: Session) -> list[FaqEntry]:
    """Every entry, switched off ones included (for staff editing them)."""
    return list(session.exec(select(FaqEntry).order_by(FaqEntry.slug)).all())


def find(session: Session, text: str) -> FaqMatch | None:
    return best_match(text, active_entries(session))


def _clean_questions(questions: Mapping[str, Any]) -> dict[str, list[str]]:
    cleaned: dict[str, list[str]] = {}
    for language, variants in questions.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise FaqInputError("questions", f"'{language}' must be a list of question texts")
        kept = [v.strip() for v in variants if v.strip()]
        if kept:
            cleaned[normalise_language(language)] = kept
    if not cleaned:
        raise FaqInputError("questions", "give at least one question variant")
    return cleaned


def _clean_answers(answers: Mapping[str, Any]) -> dict[str, str]:
    cleaned = {normalise_language(k): str(v).strip() for k, v in answers.items() if str(v).strip()}
    if not cleaned:
        raise FaqInputError("answers", "give an answer in at least one language")
    for language, answer in cleaned.items():
        # Filled with long-ish names, as a real company's facts would be.
        sample = answer
        for name in _ANSWER_FIELDS:
            sample = sample.replace("{" + name + "}", "x" * 24)
        parts = count_segments(sample).count
        if parts > MAX_SMS_PARTS:
            raise FaqInputError(
                "answers", f"the '{language}' answer would be {parts} SMS; shorten it to {MAX_SMS_PARTS}"
            )
    return cleaned


def save(
    session: Session,
    *,
    slug: str,
    questions: Mapping[str, Any],
    answers: Mapping[str, Any],
    now: datetime,
    staff_id: int | None = None,
    topic: str = "",
    active: bool = True,
    address: str | None = None,
) -> FaqEntry:
    """Create or change the entry ``slug``; what staff write replaces what was there. A change
    by a staff member is audited."""
    slug = slug.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,60}", slug):
        raise FaqInputError("slug", "use 2-61 lower-case letters, digits and dashes")
    entry = get(session, slug)
    if entry is None:
        entry = FaqEntry(slug=slug, created_at=now)
    entry.questions = _clean_questions(questions)
    entry.answers = _clean_answers(answers)
    entry.topic = topic
    entry.active = active
    entry.updated_at = now
    entry.updated_by_id = staff_id
    session.add(entry)
    session.flush()
    if staff_id is not None:
        audit.record(session, staff_id=staff_id, action="faq_saved", subject=f"faq:{entry.slug}",
                     details={"active": entry.active, "placeholders": len(placeholders(entry))},
                     address=address, now=now)
    return entry


def get(session: Session, slug: str) -> FaqEntry | None:
    return session.exec(select(FaqEntry).where(FaqEntry.slug == slug.strip().lower())).first()


__all__ = [
    "MATCH_THRESHOLD",
    "PLACEHOLDER_MARK",
    "FaqInputError",
    "FaqMatch",
    "active_entries",
    "answer_text",
    "best_match",
    "find",
    "get",
    "placeholders",
    "save",
    "score",
]
