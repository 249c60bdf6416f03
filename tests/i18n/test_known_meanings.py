"""What the catalog review settled stays settled: words a citizen could read the wrong way.

docs/translation-review/<lang>.md holds the message-by-message review these tests come from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.flows.intents import classify
from bot.i18n import LANGUAGES, render

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ANSWER_NUMBER = re.compile(r"(?<![\d{])\b([1-9])\b(?![\d}])")

PARAMS = {"reference": "R-1", "deadline": "D", "received": "X", "what": "W", "day": "Y", "time": "Z",
          "body": "B", "staff_name": "S", "from_day": "F", "to_day": "T", "when": "N", "start": "A",
          "references": "R-1", "reason": "Q", "company": "C", "name": "P"}

# The texts of a hearing: the SMS announcing the letter, the letter, and the line that signs a
# staff member's answer to the citizen.
HEARING_IDS = ["hearing.sms_letter_coming", "hearing.letter.reference", "hearing.letter.intro",
               "hearing.letter.no_answer", "hearing.letter.who_decides", "hearing.letter.override",
               "ticket.staff_reply"]


@pytest.mark.parametrize(("language", "lawsuit"), [
    ("ar", "القضية"), ("ar", "قضيتك"), ("ps", "قضیه"), ("ps", "قضیې"), ("ku", "doz "), ("ku", "doza"),
])
def test_the_municipalitys_case_is_a_file_not_a_lawsuit(language: str, lawsuit: str) -> None:
    for msgid in HEARING_IDS:
        assert lawsuit not in render(msgid, language, PARAMS), msgid


# Afbud is the citizen's notice that they will not come; the appointment itself is not cancelled.
AFBUD_IDS = ["absence.cancellation_receipt", "absence.cancellation_noted", "absence.cancellation_unlinked",
             "absence.reason_added", "hearing.letter.notices_title", "hearing.letter.notices_intro",
             "hearing.letter.notices_none", "hearing.letter.doc_cancellation",
             "hearing.letter.doc_cancellation_late", "hearing.letter.doc_cancellation_unsettled"]


@pytest.mark.parametrize(("language", "cancel"), [
    ("fa", "لغو"), ("uk", "Скасуван"), ("uk", "скасуван"), ("ku", "etalkirin"), ("so", "aajin"),
    ("ti", "ምስራዝ"),
])
def test_a_notice_of_not_coming_is_never_called_a_cancellation(language: str, cancel: str) -> None:
    for msgid in AFBUD_IDS:
        assert cancel not in render(msgid, language, PARAMS), msgid


@pytest.mark.parametrize(("language", "cancelled"), [
    ("fa", "لغو"), ("uk", "скасовано"), ("ku", "betalkirin"), ("so", "baajiyay"), ("ti", "ተሰሪዙ"),
])
def test_what_the_municipality_cancels_is_still_called_cancelled(language: str, cancelled: str) -> None:
    assert cancelled in render("reminder.cancelled", language, PARAMS)


@pytest.mark.parametrize(("language", "before"), [
    ("uk", "до X,"), ("uk", "до X."), ("ar", "قبل X"), ("ti", "ቅድሚ X"), ("fa", "قبل از X"),
])
def test_the_deadline_to_answer_includes_the_day_itself(language: str, before: str) -> None:
    # "Senest {deadline}": an answer on the day counts; "before" would cut a day off.
    for msgid in ("hearing.sms_letter_coming", "hearing.letter.answer", "hearing.letter.no_answer"):
        assert before not in render(msgid, language, {**PARAMS, "deadline": "X"}), msgid


def test_a_reported_sickness_is_not_called_doctors_sick_leave_in_ukrainian() -> None:
    assert "лікарнян" not in render("absence.check_in", "uk", PARAMS)


def test_tigrinya_asks_the_reader_to_write_not_says_they_wrote() -> None:
    # ጽሓፉ is "write!"; ጸሓፉ is "they wrote".
    text = render("household.stopped_one", "ti", PARAMS)
    assert "ጽሓፉ" in text and "ጸሓፉ" not in text


@pytest.mark.parametrize("msgid", ["absence.no_show_check", "absence.no_show_ok"])
def test_tigrinya_addresses_the_reader_politely_like_every_other_text(msgid: str) -> None:
    text = render(msgid, "ti", PARAMS)
    assert "ክትመጹ" in text and "ክትመጽእ" not in text


@pytest.mark.parametrize("msgid", ["reply.help", "hearing.sms_letter_coming", "hearing.letter.intro",
                                   "hearing.letter.answer", "ticket.staff_reply", "legal.draft_note"])
def test_dari_readers_get_dari_words_for_municipality_file_and_sms(msgid: str) -> None:
    text = render(msgid, "fa", PARAMS)
    for iranian in ("شهرداری", "پرونده", "پیامک"):
        assert iranian not in text


@pytest.mark.parametrize(("language", "appeal"), [
    ("ar", "الاعتراض"), ("so", "racfaan"), ("ku", "îtîraz"), ("ps", "اعتراض"), ("uk", "оскаржити"),
])
def test_the_letter_says_how_to_appeal_not_how_to_complain(language: str, appeal: str) -> None:
    assert appeal in render("hearing.letter.who_decides", language, PARAMS)


# The words the help text tells a citizen to write, and what the assistant must read them as.
HELP_KEYWORDS = {
    "da": {"SYG": "sick", "NÆSTE": "next_appointment", "PERSON": "person"},
    "en": {"SICK": "sick", "NEXT": "next_appointment", "PERSON": "person"},
    "ar": {"مريض": "sick", "موعدي": "next_appointment", "شخص": "person"},
    "fa": {"مریضم": "sick", "وقت بعدی": "next_appointment", "کارمند": "person"},
    "uk": {"ХВОРІЮ": "sick", "ЗУСТРІЧ": "next_appointment", "ЛЮДИНА": "person"},
    "ti": {"ሓሚመ": "sick", "ቆጸራ": "next_appointment", "ሰብ": "person"},
    "so": {"BUKA": "sick", "BALLAN": "next_appointment", "QOF": "person"},
    "ku": {"NEXWEŞ": "sick", "RANDEVÛ": "next_appointment", "KES": "person"},
    "ps": {"ناروغ یم": "sick", "بله ملاقات": "next_appointment", "کس": "person"},
}
BETTER_KEYWORD = {"da": "RASK", "en": "BETTER", "ar": "أنا بخير", "fa": "خوبم", "uk": "МЕНІ КРАЩЕ",
                  "ti": "ሓውየ", "so": "FIICAN", "ku": "BAŞ IM", "ps": "ښه یم"}


@pytest.mark.parametrize("language", sorted(HELP_KEYWORDS))
def test_every_word_the_help_asks_for_is_understood(language: str) -> None:
    help_text = render("reply.help", language)
    for word, intent in HELP_KEYWORDS[language].items():
        assert word in help_text
        assert classify(word).intent == intent, word


@pytest.mark.parametrize("language", sorted(BETTER_KEYWORD))
def test_the_word_for_well_again_in_the_sick_receipt_is_understood(language: str) -> None:
    word = BETTER_KEYWORD[language]
    assert word in render("absence.receipt", language, {"received": "X", "reference": "R", "covers": "C"})
    assert classify(word).intent == "better"


def _catalog(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=language)


def _last_form(string: str | tuple[str, ...]) -> str:
    return string if isinstance(string, str) else string[-1]


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "da"])
def test_every_translation_keeps_the_danish_placeholders_and_numbered_answers(language: str) -> None:
    # A lost {deadline} or a "1" that became "2" changes what the citizen is told to do.
    danish, translated = _catalog("da"), _catalog(language)
    for message in danish:
        other = translated.get(message.id) if message.id else None
        if other is None or not _last_form(other.string):
            continue
        source, text = _last_form(message.string), _last_form(other.string)
        assert set(PLACEHOLDER.findall(source)) - {"n"} == set(PLACEHOLDER.findall(text)) - {"n"}, message.id
        if message.id != "reply.language_menu":
            numbers = sorted(ANSWER_NUMBER.findall(PLACEHOLDER.sub("", source)))
            assert numbers == sorted(ANSWER_NUMBER.findall(PLACEHOLDER.sub("", text))), message.id
