"""Messages as people really write them: dialect, transliteration, a sentence around the point.

Each case is a kind of message the assistant met or will meet; the readings that would make a
record (sick notice, cancellation, ended notice) or stop all messages are held exactly.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.flows.dates import parse_period
from bot.flows.intents import classify, is_command

MONDAY = date(2026, 11, 23)


def _reading(text: str) -> str | None:
    match = classify(text)
    return match.intent if match.confident else None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Levantine and Gulf Arabic, Arabizi with digits
        ("ma fini iji", "no"), ("3ayyan", "sick"), ("ra7 aji", "yes"), ("ana 3ayyan el yom w bukra", "sick"),
        ("ma ba2dar aji bukra", "no"), ("ana ta3ban shwi ma fini iji", "sick"),
        # Dari
        ("ناجورم", "sick"), ("آمده نمی‌توانم", "no"), ("من امروز ناجور هستم", "sick"),
        # Ukrainian as Russian speakers and Latin keyboards write it
        ("мені погано", "sick"), ("не зможу", "no"), ("ne zmozhu", "no"), ("я заболел", "sick"),
        ("ya khvora, ne pryidu", "sick"), ("у мене грип", "sick"),
        # Kurmanji future forms, Somali and Tigrinya variants
        ("ezê werim", "yes"), ("ez ê werim", "yes"), ("ez nikarim îro werim", "no"),
        ("waan xanuunsanahay ilaa jimcaha", "sick"), ("ሎሚ ሕሙም እየ ክመጽእ ኣይክእልን", "sick"),
        # Danish with words missing, clipped or around the point
        ("jeg syg i dag", "sick"), ("undskyld jeg kan ik komme", "no"), ("Hej, jeg er blevet rask 😊", "better"),
        ("jeg kan desværre ikke komme på torsdag", "no"),
    ],
)
def test_real_phrasings(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text",
    ["er det ok hvis jeg er syg?", "is it ok if i am sick?", "hvad skal jeg gøre hvis mit barn er syg?",
     "እንተ ሓሚመ እንታይ ክገብር?", "اذا صرت مريض شو لازم اعمل؟", "heke ez nexweş bim çi bikim?"],
)
def test_a_question_about_sickness_records_nothing_and_confirms_nothing(text: str) -> None:
    assert _reading(text) not in ("sick", "no", "better", "yes")


@pytest.mark.parametrize(
    "text",
    ["was sick yesterday but coming today", "jeg var syg i går men kommer i dag", "كنت مريض امبارح بس اليوم جاي",
     "دیروز مریض بودم ولی امروز میام", "вчора хворів, але сьогодні прийду", "har været syg men nu kommer jeg igen"],
)
def test_sick_yesterday_but_coming_today_is_a_confirmation(text: str) -> None:
    assert _reading(text) == "yes"


def test_getting_sick_yesterday_is_still_a_sick_notice() -> None:
    assert _reading("i got sick yesterday") == "sick"


@pytest.mark.parametrize(
    "text",
    ["not sick anymore", "er ikke syg mere", "ez êdî ne nexweş im", "вже не хворію", "ደጊም ሕሙም ኣይኮንኩን",
     "دیگه مریض نیستم"],
)
def test_no_longer_sick_is_better(text: str) -> None:
    assert _reading(text) == "better"


@pytest.mark.parametrize(
    "text",
    ["هنوز خوب نشدم", "ገና ኣይሓወኹን", "мені не краще", "мені ще не краще", "ez ne baş im", "لا ښه نه یم",
     "jeg er ikke blevet bedre", "still not feeling better", "لسا ما تحسنت"],
)
def test_a_negated_better_never_ends_a_notice_in_any_language(text: str) -> None:
    assert _reading(text) == "sick"


@pytest.mark.parametrize("text", ["بهتر نیستم", "i am not fine now"])
def test_a_typo_match_never_swallows_the_negation(text: str) -> None:
    assert _reading(text) != "better"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("my son is sick so I can't come", "other_sick"), ("min søn er syg så jeg kan ikke komme", "other_sick"),
     ("بچه ام مریض است نمیتوانم بیایم", "other_sick"), ("ጓለይ ሕምምቲ እያ ክመጽእ ኣይክእልን", "other_sick"),
     ("донька захворіла, не зможу прийти", "other_sick"), ("gabadhayda waa bukaa ma imaan karo", "other_sick")],
)
def test_someone_elses_illness_is_neither_a_sick_notice_nor_a_plain_cancellation(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text",
    ["I'm not sick, I'm coming", "jeg er ikke syg, jeg kommer", "ana mish mareed, ra7 aji", "مریض نیستم، میام",
     "ناروغ نه یم، راځم", "ez ne nexweş im, ez têm", "ma xanuunsani, waan imanayaa", "ሕሙም ኣይኮንኩን፣ ክመጽእ እየ",
     "я не хворію, прийду"],
)
def test_not_sick_and_coming_is_a_confirmation_in_every_language(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["i have no fever", "waxaan rabaa inaan la hadlo la taliyahayga", "i am fine now, i can come"])
def test_no_cancellation_is_read_into_a_sentence_that_does_not_cancel(text: str) -> None:
    assert _reading(text) != "no"


@pytest.mark.parametrize(
    "text",
    ["STOP", "Stop!", "Stop sms tak", "fariimaha jooji", "وقف", "وقفوا الرسائل", "دیگر پیام نفرستید",
     "نور پیغام مه لیږئ", "መልእኽቲ ኣይትስደዱለይ", "не надсилайте більше повідомлень", "êdî peyaman neşînin"],
)
def test_stop_in_every_language_is_the_command(text: str) -> None:
    assert is_command(classify(text)) and classify(text).intent == "stop"


@pytest.mark.parametrize(
    "text",
    ["please don't stop my messages", "لا توقف الرسائل", "I skal ikke stoppe mine beskeder", "ez hê baş nebûm",
     "stop, jeg er syg"],
)
def test_stop_is_never_invented(text: str) -> None:
    match = classify(text)
    assert not (match.intent == "stop" and is_command(match))


def test_thanks_is_not_a_confirmation() -> None:
    assert _reading("дякую") != "yes"


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("emroz o farda mariz hastam", date(2026, 11, 24)),
        ("nan aw saba naroogh yam", date(2026, 11, 24)),
        ("ez îro û sibê nexweş im", date(2026, 11, 24)),
        ("maanta iyo berri waan jiranahay", date(2026, 11, 24)),
        ("ሎሚን ጽባሕን ሕሙም እየ", date(2026, 11, 24)),
        ("ya khvoryi do piatnytsi", date(2026, 11, 27)),
        ("хворію до пятницы", date(2026, 11, 27)),
        ("ez heta roja înê nexweş im", date(2026, 11, 27)),
        ("waan xanuunsanahay ilaa jimcaha", date(2026, 11, 27)),
        ("تر جمعې ناروغ یم", date(2026, 11, 27)),
        ("ana 3ayyan lal khamis", date(2026, 11, 26)),
        ("ana mareed thalath ayam", date(2026, 11, 25)),
        ("se roz mariz", date(2026, 11, 25)),
        ("مریضم ۳ روز", date(2026, 11, 25)),
        ("ሕሙም እየ ፫ መዓልቲ", date(2026, 11, 25)),
    ],
)
def test_durations_in_transliteration_weekdays_and_numerals(text: str, ends: date) -> None:
    period = parse_period(text, MONDAY)
    assert (period.starts_on, period.ends_on) == (MONDAY, ends)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("صبح بخیر استاد، من امروز مریض هستم و آمده نمی‌توانم", "sick"),
     ("Good morning teacher. I am very sick today I can not come. Sorry 🙏", "sick"),
     ("rojbaş mamoste, ez îro nexweş im nikarim werim", "sick"),
     ("subax wanaagsan macalin, maanta waan xanuunsanahay ma imaan karo", "sick")],
)
def test_a_greeting_around_the_message_is_not_read(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize("text", ["roj baş", "صبح بخیر", "god morgen"])
def test_a_greeting_alone_ends_no_notice(text: str) -> None:
    assert _reading(text) != "better"


@pytest.mark.parametrize("text", ["jeg var syg sidste uge", "i was sick last week"])
def test_an_illness_that_was_is_no_sick_notice(text: str) -> None:
    assert _reading(text) != "sick"


@pytest.mark.parametrize(
    "text", ["carruurtaydu way xanuunsan yihiin", "اولادهایم مریض هستند", "اولادي مرضانين لازم ضل بالبيت"]
)
def test_someone_else_by_a_word_with_an_ending(text: str) -> None:
    assert _reading(text) not in ("sick", "no")


@pytest.mark.parametrize("text", ["no problem, i will come", "tak, budu"])
def test_everyday_confirmations(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["sure i'll be there", "I'll come tomorrow"])
def test_ill_in_i_will_is_no_illness(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["i don't feel better", "jeg er ikke blevet bedre"])
def test_a_typo_match_never_drops_a_word(text: str) -> None:
    assert _reading(text) == "sick"


def test_a_word_split_in_two_is_still_the_word() -> None:
    assert classify("xanuunsan ahay").intent == "sick"


@pytest.mark.parametrize("text", ["мама в лікарні, хворіє", "my son is at home. sick since monday"])
def test_someone_named_in_an_earlier_sentence_is_who_is_ill(text: str) -> None:
    assert _reading(text) not in ("sick", "no")


def test_the_writer_ill_too_after_naming_someone_else() -> None:
    assert _reading("min søn er hjemme, jeg er også syg") == "sick"


@pytest.mark.parametrize(
    "text", ["ana ba2dar aji", "mitonam biyam", "می‌توانم بیایم", "i can come", "ez dikarim werim"]
)
def test_i_can_come_is_never_a_cancellation(text: str) -> None:
    assert _reading(text) != "no"


@pytest.mark.parametrize(("text", "not_"), [("ez xweş im", "sick"), ("هنوز خوب نشدم", "better")])
def test_a_negating_start_of_a_word_is_never_typed_away(text: str, not_: str) -> None:
    assert _reading(text) != not_


@pytest.mark.parametrize(("text", "intent"), [("👍", "yes"), ("ok 👍", "yes"), ("jeg er syg 👍", "sick"), ("سأحضر", "yes")])
def test_a_thumbs_up_answers_as_ok_does(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text",
    ["jeg vil gerne stoppe med at få sms", "بليز وقفوا الرسائل", "будь ласка, зупиніть повідомлення",
     "please stop texting me"],
)
def test_stop_asked_politely_is_the_command(text: str) -> None:
    match = classify(text)
    assert match.intent == "stop" and is_command(match)


@pytest.mark.parametrize(
    "text", ["jeg kan godt komme", "i can make it", "ba2dar aji", "میتوانم بیایم", "я можу прийти", "ez dikarim bêm"]
)
def test_i_can_come_is_a_confirmation(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["نمی توانم بیایم", "я не зможу"])
def test_i_cannot_come_written_apart_is_not_a_confirmation(text: str) -> None:
    assert _reading(text) != "yes"


@pytest.mark.parametrize("text", ["مش مريض بس تعبان شوي، جاي", "not sick, just tired, coming"])
def test_who_says_they_are_not_sick_gives_no_sick_notice(text: str) -> None:
    assert _reading(text) != "sick"


@pytest.mark.parametrize("text", ["فيني بلغ عن مرض هون؟", "чи можна тут повідомити про хворобу?"])
def test_asking_whether_one_can_report_sick_reports_nothing(text: str) -> None:
    assert _reading(text) not in ("sick", "no")


@pytest.mark.parametrize(
    ("text", "intent"),
    [("I will not be able to come tomorrow", "no"), ("I will be able to come", "yes"),
     ("я не дуже добре себе почуваю", "sick"), ("jeg har det ikke så godt", "sick")],
)
def test_not_well_is_sick_and_not_able_is_a_refusal(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text", ["min dreng er syg", "my boy is sick", "خيي مريض", "xwişka min nexweş e", "ሓወይ ሕሙም እዩ", "мій брат хворіє"]
)
def test_kin_and_friends_are_someone_else(text: str) -> None:
    assert _reading(text) == "other_sick"


@pytest.mark.parametrize("text", ["stop sending me this", "stop the texts please"])
def test_stop_with_the_words_people_put_around_it(text: str) -> None:
    assert is_command(classify(text))


@pytest.mark.parametrize(
    ("text", "intent"),
    [("او مریض است", "other_sick"), ("هغه ناروغ دی", "other_sick"), ("iyadu way xanuunsan tahay", "other_sick"),
     ("she is sick", "other_sick")],
)
def test_someone_else_by_the_verb(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text", ["jeg har været syg men er rask nu", "i've been sick but i'm better now"]
)
def test_an_illness_that_has_passed_beside_a_recovery_is_the_recovery(text: str) -> None:
    assert _reading(text) == "better"


@pytest.mark.parametrize("text", ["فردا دکتر دارم", "عندي موعد عند الدكتور بكرة"])
def test_a_doctors_appointment_is_no_sick_notice(text: str) -> None:
    assert _reading(text) != "sick"


@pytest.mark.parametrize(
    ("text", "ends"),
    [("تر پنجشنبې ناروغ یم", date(2026, 11, 26)), ("ez heta pêncşemê nexweş im", date(2026, 11, 26))],
)
def test_weekday_names_with_their_endings(text: str, ends: date) -> None:
    assert parse_period(text, MONDAY).ends_on == ends


@pytest.mark.parametrize("text", ["er du syg?", "are you sick?", "انت مريض؟", "تو مریض هستی؟", "tu nexweş î?", "ти хворієш?"])
def test_asking_someone_whether_they_are_sick_reports_nothing(text: str) -> None:
    assert _reading(text) not in ("sick", "no")


@pytest.mark.parametrize(
    "text", ["jeg bliver nok syg i morgen", "i think i might get sick tomorrow", "شاید فردا مریض شوم",
             "dibe ku sibê nexweş bibim", "можливо завтра захворію"]
)
def test_a_sickness_that_may_come_is_no_sick_notice(text: str) -> None:
    assert _reading(text) != "sick"


@pytest.mark.parametrize("text", ["min kæreste er syg", "خطيبتي مريضة", "نامزدم مریض است"])
def test_a_partner_is_someone_else(text: str) -> None:
    assert _reading(text) == "other_sick"


@pytest.mark.parametrize("text", ["stop med at skrive til mig", "stop writing to me"])
def test_stop_writing_to_me_is_the_command(text: str) -> None:
    assert is_command(classify(text))


@pytest.mark.parametrize(("text", "intent"), [("ill be late but i will come", "yes"), ("feeling ill, be back monday", "sick")])
def test_ill_without_the_apostrophe_before_a_verb_is_i_will(text: str, intent: str) -> None:
    assert _reading(text) == intent


@pytest.mark.parametrize(
    "text", ["jeg er syg men kommer alligevel", "I'm sick but I'll come anyway", "مريض بس رح اجي", "مریض هستم ولی میام",
             "хворію, але прийду"]
)
def test_sick_but_coming_anyway_is_a_confirmation(text: str) -> None:
    assert _reading(text) == "yes"


@pytest.mark.parametrize("text", ["nej tak, jeg er ikke syg", "no thanks i'm fine"])
def test_no_thanks_i_am_not_sick_cancels_nothing(text: str) -> None:
    assert _reading(text) != "no"


@pytest.mark.parametrize("text", ["sick since yesterday", "مريض من امبارح", "از دیروز مریض هستم", "хворію з учора"])
def test_sick_since_yesterday_is_a_sick_notice(text: str) -> None:
    assert _reading(text) == "sick"


@pytest.mark.parametrize(
    "text",
    [
        "I am fine but I cant come", "im ok but i cant come today", "jeg har det fint men kan ikke komme",
        "ana mnih bas ma fini iji", "I feel better but cannot come tomorrow",
    ],
)
def test_well_but_not_coming_is_a_cancellation_not_a_recovery(text: str) -> None:
    """What follows the "but" is what they will do: nothing is confirmed and nothing ends."""
    assert _reading(text) == "no"
