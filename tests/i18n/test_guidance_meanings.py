"""What the review of the guidance templates settled stays settled.

The guidance on absence and the reduction of the benefit is a file per language, outside the
catalogs; docs/translation-review/templates-<lang>.md holds the sentence-by-sentence review.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.flows.intents import classify
from bot.hearings import guidance
from bot.hearings.drafts import SOURCE_LANGUAGES
from bot.i18n import render

FILES = guidance.GUIDANCE_DIR
TRANSLATIONS = sorted(lang for lang in guidance.available_languages() if lang != guidance.SOURCE)


class _Reader(HTMLParser):
    """The text a citizen reads, and the outline (tags in order) it is laid out in."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.outline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.outline.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(language: str) -> _Reader:
    reader = _Reader()
    reader.feed((FILES / f"{language}.html").read_text(encoding="utf-8"))
    return reader


def _text(language: str) -> str:
    return " ".join(" ".join(_read(language).text).split())


@pytest.mark.parametrize("word", ["استماع", "جلسة", "القضية", "قضيتك", "شكوى", "المساعدة المالية"])
def test_the_arabic_guidance_has_no_court_hearing_lawsuit_or_complaint(word: str) -> None:
    assert word not in _text("ar")


def test_the_arabic_guidance_says_what_partshoering_is() -> None:
    text = _text("ar")
    assert "تُبدي رأيك قبل اتخاذ القرار" in text and "partshøring" in text
    assert "ملفك" in text and "الاعتراض" in text
    # the same word for the benefit as the hearing letter
    assert "إعانتك" in text and "إعانتك" in render("hearing.letter.intro", "ar")


def test_the_english_guidance_never_calls_partshoering_a_hearing() -> None:
    text = _text("en")
    assert "hearing" not in text.lower()
    assert "the right to comment before a decision is made (in Danish: partshøring)" in text


def test_the_english_guidance_says_appeal_not_complain() -> None:
    text = _text("en")
    assert "how to appeal against it" in text and "complain" not in text


@pytest.mark.parametrize(("language", "sick", "better"), [
    ("da", "syg", "rask"), ("en", "sick", "better"), ("ar", "مريض", "أنا بخير"),
])
def test_the_words_the_guidance_tells_a_citizen_to_write_are_understood(language: str, sick: str,
                                                                         better: str) -> None:
    quoted = re.findall(r'"([^"]+)"|«([^»]+)»', _text(language))
    assert [a or b for a, b in quoted] == [sick, better]
    assert classify(sick).intent == "sick" and classify(better).intent == "better"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_translation_keeps_the_danish_outline_and_the_placeholders(language: str) -> None:
    # Same headings, list items and placeholders in the same order: nothing left out or added.
    assert _read(language).outline == _read(guidance.SOURCE).outline


@pytest.mark.parametrize("language", [lang for lang in TRANSLATIONS if lang not in SOURCE_LANGUAGES])
def test_an_unapproved_guidance_goes_out_only_as_a_draft_beside_the_danish(language: str) -> None:
    text = guidance.guidance_text(language)
    assert text.draft
    assert text.html.count('class="draft-note"') == 1
    assert render("legal.draft_note", language) in text.html
    assert (FILES / "da.html").read_text(encoding="utf-8") in text.html
    assert guidance.version_for(language).language == guidance.FALLBACK


def test_a_guidance_file_without_a_marker_is_a_draft_until_it_names_its_approver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("da", "en"):
        (tmp_path / f"{name}.html").write_text((FILES / f"{name}.html").read_text(encoding="utf-8"))
    monkeypatch.setattr(guidance, "GUIDANCE_DIR", tmp_path)
    (tmp_path / "fa.html").write_text('<section lang="fa" dir="rtl"><p>راهنما</p></section>', encoding="utf-8")
    assert guidance.guidance_text("fa").draft
    assert guidance.version_for("fa").language == "en"
    (tmp_path / "fa.html").write_text(
        '<section lang="fa" dir="rtl" data-approved-by="Translator, 2026-12-01"><p>راهنما</p></section>',
        encoding="utf-8")
    assert not guidance.guidance_text("fa").draft
    assert guidance.version_for("fa").language == "fa"
    assert not guidance.guidance_text("da").draft and not guidance.guidance_text("en").draft
