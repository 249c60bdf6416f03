# ruff: noqa: E501 - answer texts are kept whole so staff can read and edit them as sentences
"""The starting knowledge base for employer questions, in Danish and English.

Answers say what to do and whom to ask. Every legal amount, limit or rule is a marked
placeholder, ``[KOMMUNEN UDFYLDER: ...]``, for the municipality to fill in before going live:
nothing here invents a figure. ``{consultant_name}``, ``{consultant_phone}`` and ``{company}``
are filled from the asking company's data.
"""

from __future__ import annotations

from typing import Any

PLACEHOLDER_MARK = "[KOMMUNEN UDFYLDER:"

SEED: list[dict[str, Any]] = [
    {
        "slug": "internship-what",
        "topic": "internship",
        "questions": {
            "da": ["Hvad er virksomhedspraktik?", "Hvad er en praktik?", "Hvordan fungerer praktik?"],
            "en": ["What is an internship?", "How does an internship work?", "What is virksomhedspraktik?"],
        },
        "answers": {
            "da": "Virksomhedspraktik er et forløb hvor borgeren lærer sprog, arbejdspladskultur og faglige "
            "opgaver hos jer. Formålet aftales før start. {consultant_name} hjælper med aftalen.",
            "en": "An internship (virksomhedspraktik) lets the citizen learn language, workplace culture and "
            "tasks at your company. The purpose is agreed before the start. {consultant_name} helps set it up.",
        },
    },
    {
        "slug": "internship-length",
        "topic": "internship",
        "questions": {
            "da": [
                "Hvor længe kan en praktik vare?",
                "Kan praktikken forlænges?",
                "Hvor mange uger er praktik?",
            ],
            "en": ["How long can an internship last?", "Can the internship be extended?"],
        },
        "answers": {
            "da": "Længden aftales i praktikaftalen. Regel: [KOMMUNEN UDFYLDER: maksimal varighed]. "
            "Vil I forlænge, så skriv det her, så kontakter {consultant_name} jer.",
            "en": "The length is set in the internship agreement. Rule: [KOMMUNEN UDFYLDER: maximum length]. "
            "To extend, write it here and {consultant_name} will contact you.",
        },
    },
    {
        "slug": "internship-pay",
        "topic": "internship",
        "questions": {
            "da": ["Skal vi betale praktikanten løn?", "Får praktikanten løn?", "Hvad koster en praktikant?"],
            "en": ["Do we pay the intern?", "Does the intern get a salary?", "What does an intern cost?"],
        },
        "answers": {
            "da": "Betaling under praktik: [KOMMUNEN UDFYLDER: hvem betaler hvad under virksomhedspraktik]. "
            "Spørg {consultant_name}, hvis I er i tvivl.",
            "en": "Pay during an internship: [KOMMUNEN UDFYLDER: who pays what during an internship]. "
            "Ask {consultant_name} if in doubt.",
        },
    },
    {
        "slug": "wage-subsidy-what",
        "topic": "wage_subsidy",
        "questions": {
            "da": ["Hvad er løntilskud?", "Hvordan virker løntilskud?", "Kan vi få løntilskud?"],
            "en": [
                "What is a wage subsidy job?",
                "How does wage subsidy work?",
                "Can we get a wage subsidy?",
            ],
        },
        "answers": {
            "da": "Ved løntilskud ansætter I borgeren, og kommunen giver tilskud til lønnen. "
            "Betingelser: [KOMMUNEN UDFYLDER: betingelser for løntilskud]. {consultant_name} vurderer sagen med jer.",
            "en": "With a wage subsidy you employ the citizen and the municipality pays part of the wage. "
            "Conditions: [KOMMUNEN UDFYLDER: conditions]. {consultant_name} goes through it with you.",
        },
    },
    {
        "slug": "wage-subsidy-amount",
        "topic": "wage_subsidy",
        "questions": {
            "da": [
                "Hvor meget er løntilskuddet?",
                "Hvad er satsen for løntilskud?",
                "Hvor stort er tilskuddet?",
            ],
            "en": ["How much is the wage subsidy?", "What is the wage subsidy rate?"],
        },
        "answers": {
            "da": "Tilskuddet er [KOMMUNEN UDFYLDER: aktuel sats og varighed]. "
            "Det præcise beløb for jer får I af {consultant_name}.",
            "en": "The subsidy is [KOMMUNEN UDFYLDER: current rate and duration]. "
            "{consultant_name} gives you the exact amount for your case.",
        },
    },
    {
        "slug": "wage-subsidy-apply",
        "topic": "wage_subsidy",
        "questions": {
            "da": ["Hvordan søger vi løntilskud?", "Hvordan opretter vi et løntilskudsjob?"],
            "en": ["How do we apply for a wage subsidy?", "How do we set up a wage subsidy job?"],
        },
        "answers": {
            "da": "Skriv her, at I vil oprette et løntilskudsjob, så kontakter {consultant_name} jer og "
            "udfylder aftalen sammen med jer. Blanket: [KOMMUNEN UDFYLDER: blanket eller link].",
            "en": "Write here that you want to set up a wage subsidy job; {consultant_name} will contact you "
            "and fill in the agreement with you. Form: [KOMMUNEN UDFYLDER: form or link].",
        },
    },
    {
        "slug": "igu-what",
        "topic": "igu",
        "questions": {
            "da": ["Hvad er IGU?", "Hvad er integrationsgrunduddannelse?", "Hvordan virker IGU?"],
            "en": ["What is IGU?", "What is the integration basic education?", "How does IGU work?"],
        },
        "answers": {
            "da": "IGU er en toårig uddannelse med lønnet arbejde hos jer og skoleforløb ved siden af. "
            "Regler: [KOMMUNEN UDFYLDER: løn, skoleuger og bonus]. {consultant_name} hjælper med kontrakten.",
            "en": "IGU is a two-year programme: paid work at your company plus school periods. "
            "Rules: [KOMMUNEN UDFYLDER: wage, school weeks and bonus]. {consultant_name} helps with the contract.",
        },
    },
    {
        "slug": "report-absence",
        "topic": "absence",
        "questions": {
            "da": ["Hvordan melder jeg fravær?", "Hvad gør jeg hvis praktikanten ikke møder op?"],
            "en": ["How do I report an absence?", "What do I do if the intern does not show up?"],
        },
        "answers": {
            "da": 'Skriv til dette nummer samme dag, fx "Amal er ikke mødt i dag". Vi registrerer '
            "fraværet og giver {consultant_name} besked. Skriv gerne om I ønsker at blive ringet op.",
            "en": 'Text this number the same day, e.g. "Amal did not come today". We record the absence '
            "and tell {consultant_name}. Say if you would like a call back.",
        },
    },
    {
        "slug": "intern-sick",
        "topic": "absence",
        "questions": {
            "da": [
                "Praktikanten har meldt sig syg, hvad gør jeg?",
                "Skal praktikanten melde sig syg hos jer?",
            ],
            "en": ["The intern called in sick, what do I do?", "Who does the intern report sick to?"],
        },
        "answers": {
            "da": "Borgeren melder sig selv syg til kommunen på SMS og skal også give jer besked. "
            'I får kun at vide "fraværende, meldt syg", aldrig hvorfor. I skal ikke gøre mere.',
            "en": "The citizen reports sick to the municipality by SMS and should also tell you. "
            'You are told only "absent, reported sick", never why. You need do nothing more.',
        },
    },
    {
        "slug": "pause-placement",
        "topic": "placement",
        "questions": {
            "da": ["Kan vi holde pause med praktikken?", "Kan vi sætte praktikken på pause?"],
            "en": ["Can we pause the internship?", "Can we put the placement on hold?"],
        },
        "answers": {
            "da": "Ja. Skriv her hvorfor og fra hvilken dato, så aftaler {consultant_name} pausen med jer "
            "og borgeren. Vil I holde pause med nye praktikanter, så skriv det også.",
            "en": "Yes. Write why and from which date, and {consultant_name} agrees the pause with you and "
            "the citizen. If you want a break from new interns, say so too.",
        },
    },
    {
        "slug": "end-placement",
        "topic": "placement",
        "questions": {
            "da": [
                "Hvordan afslutter vi praktikken?",
                "Vi vil stoppe praktikken",
                "Kan vi afbryde forløbet?",
            ],
            "en": ["How do we end the internship?", "We want to stop the placement", "Can we end it early?"],
        },
        "answers": {
            "da": "Skriv her at det ikke fungerer. {consultant_name} kommer ud til jer inden for 24 timer. "
            "Kan problemet ikke løses, afsluttes praktikken med det samme.",
            "en": "Write here that it is not working. {consultant_name} will visit you within 24 hours. "
            "If the problem cannot be solved, the placement ends at once.",
        },
    },
    {
        "slug": "who-is-consultant",
        "topic": "contact",
        "questions": {
            "da": [
                "Hvem er vores konsulent?",
                "Hvem er min kontaktperson i kommunen?",
                "Hvem skal jeg ringe til?",
            ],
            "en": ["Who is our consultant?", "Who is my contact at the municipality?", "Who do I call?"],
        },
        "answers": {
            "da": "Jeres faste virksomhedskonsulent er {consultant_name}, tlf. {consultant_phone}. "
            "Skriv her, hvis I vil ringes op.",
            "en": "Your company consultant is {consultant_name}, phone {consultant_phone}. "
            "Write here if you want a call back.",
        },
    },
    {
        "slug": "working-hours",
        "topic": "internship",
        "questions": {
            "da": ["Hvor mange timer må praktikanten arbejde?", "Hvad er arbejdstiden i praktikken?"],
            "en": ["How many hours can the intern work?", "What are the working hours?"],
        },
        "answers": {
            "da": "Arbejdstiden står i praktikaftalen. Grænse: [KOMMUNEN UDFYLDER: timer pr. uge]. "
            "Vil I ændre tiderne, så skriv det her til {consultant_name}.",
            "en": "The hours are in the internship agreement. Limit: [KOMMUNEN UDFYLDER: hours per week]. "
            "To change them, write here to {consultant_name}.",
        },
    },
    {
        "slug": "insurance",
        "topic": "insurance",
        "questions": {
            "da": ["Er praktikanten forsikret?", "Hvem dækker hvis praktikanten kommer til skade?"],
            "en": ["Is the intern insured?", "Who covers an injury at work?", "What about insurance?"],
        },
        "answers": {
            "da": "Forsikring under praktik: [KOMMUNEN UDFYLDER: hvilken forsikring dækker og hvordan man "
            "anmelder]. Sker der en ulykke, så skriv her med det samme.",
            "en": "Insurance during an internship: [KOMMUNEN UDFYLDER: which insurance covers and how to "
            "report]. If there is an accident, write here at once.",
        },
    },
    {
        "slug": "follow-up-meetings",
        "topic": "placement",
        "questions": {
            "da": ["Hvor tit kommer konsulenten forbi?", "Hvornår er der opfølgning?"],
            "en": ["How often does the consultant visit?", "When is the follow-up meeting?"],
        },
        "answers": {
            "da": "{consultant_name} holder opfølgning hos jer [KOMMUNEN UDFYLDER: hvor ofte]. "
            "Datoen får I på SMS dagen før. I kan altid bede om et møde her.",
            "en": "{consultant_name} holds follow-up meetings at your company [KOMMUNEN UDFYLDER: how often]. "
            "You get the date by SMS the day before. You can always ask for a meeting here.",
        },
    },
    {
        "slug": "language-support",
        "topic": "placement",
        "questions": {
            "da": ["Praktikanten forstår ikke dansk", "Kan vi få en mentor?", "Kan vi få tolk?"],
            "en": [
                "The intern does not understand Danish",
                "Can we get a mentor?",
                "Can we get an interpreter?",
            ],
        },
        "answers": {
            "da": "Der kan være mulighed for mentor eller tolk: [KOMMUNEN UDFYLDER: ordninger]. "
            "Skriv kort hvad I har brug for, så vender {consultant_name} tilbage.",
            "en": "A mentor or interpreter may be possible: [KOMMUNEN UDFYLDER: schemes]. "
            "Write briefly what you need and {consultant_name} will get back to you.",
        },
    },
    {
        "slug": "pause-partnership",
        "topic": "partnership",
        "questions": {
            "da": [
                "Kan vi holde pause med at tage praktikanter?",
                "Vi vil ikke have flere praktikanter lige nu",
            ],
            "en": ["Can we take a break from interns?", "We do not want more interns right now"],
        },
        "answers": {
            "da": "Ja, aftalen er uforpligtende. Skriv her, så sætter {consultant_name} samarbejdet på pause, "
            "og I får ikke nye forslag før I siger til.",
            "en": "Yes, the agreement is non-binding. Write here and {consultant_name} pauses the partnership; "
            "you get no new proposals until you say so.",
        },
    },
    {
        "slug": "timesheet",
        "topic": "absence",
        "questions": {
            "da": ["Skal vi føre fremmøde?", "Skal vi registrere timer for praktikanten?"],
            "en": ["Do we need to keep attendance?", "Do we register the intern's hours?"],
        },
        "answers": {
            "da": "Giv besked her samme dag, hvis praktikanten ikke møder. Ellers: [KOMMUNEN UDFYLDER: "
            "krav til fremmøderegistrering].",
            "en": "Tell us here the same day if the intern does not come. Otherwise: [KOMMUNEN UDFYLDER: "
            "attendance record requirements].",
        },
    },
]
