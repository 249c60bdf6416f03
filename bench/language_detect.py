"""How well and how fast the first message's language is guessed, on the held-out corpus.

    python bench/language_detect.py            # accuracy per language and reader, then speed
    python bench/language_detect.py --errors   # also every held-out message guessed wrongly

Readers, all on the held-out third of ``tests/understanding/corpus`` (messages with at least one
letter; "1" or "?" carries no language):

- ``lingua alone``: lingua restricted to the six of the nine languages it knows (baseline);
- ``previous``: the detector before the n-gram models (script letters, then the keyword
  reader's language, then lingua for Danish, English and Somali) (baseline);
- ``n-gram, corpus only``: script rules and n-gram models trained here on the tune part only,
  the honest figure for unseen text;
- ``shipped``: ``bot.language_detect.detect`` (models trained on the tune part and the keyword
  lists, which may hold some held-out phrasings, so it reads a little optimistic).

"none" is no guess (the assistant then answers in Danish, English and Arabic); "wrong" answers a
person in a language they may not read, the costlier mistake.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report  # noqa: E402
from bot import language_detect as ld  # noqa: E402
from bot.flows import corpus  # noqa: E402

Reader = Callable[[str], str | None]
LANGUAGES = corpus.CITIZEN_LANGUAGES


@lru_cache(maxsize=1)
def _lingua_six() -> tuple[Any, dict[Any, str]]:
    from lingua import Language, LanguageDetectorBuilder

    codes = {
        Language.DANISH: "da", Language.ENGLISH: "en", Language.ARABIC: "ar",
        Language.PERSIAN: "fa", Language.SOMALI: "so", Language.UKRAINIAN: "uk",
    }
    return LanguageDetectorBuilder.from_languages(*codes).build(), codes


def lingua_alone(text: str) -> str | None:
    detector, codes = _lingua_six()
    found = detector.detect_language_of(text)
    return codes.get(found) if found is not None else None


def previous(text: str) -> str | None:
    """The detector as it was: script letters, the keyword reader's language, lingua."""
    from bot.flows.intents import classify

    kind = ld.script(text)
    if kind in ("ti", "uk"):
        return kind
    letters = set(text)
    by_script = None
    if kind == "arabic":
        if letters & set("ټډړښږځڅڼۍېګ"):
            return "ps"
        persian = letters & set("پچژگکی") and not letters & set("ةىيكأإؤ")
        by_script = "fa" if persian else "ar"
    match = classify(text)
    if match.language and by_script and match.language in ld.ARABIC_SCRIPT:
        return match.language
    if by_script:
        return by_script
    if match.language and match.confident:
        return match.language
    return ld.lingua_guess(text) or match.language


def corpus_only_reader() -> Reader:
    examples = corpus.load()
    models = ld.train([(e.text, e.language) for e in examples if not e.held_out])

    def read(text: str) -> str | None:
        kind = ld.script(text)
        if kind == "arabic":
            return ld.arabic_script(text, models["arabic"])
        if kind == "latin":
            return ld.latin(text, models["latin"])
        return kind

    return read


def shipped(text: str) -> str | None:
    return ld._detect.__wrapped__(text)


def accuracy(rows: list[corpus.Example], errors: bool, title: str = "held-out messages with letters") -> None:
    readers: dict[str, Reader] = {
        "lingua alone": lingua_alone, "previous": previous,
        "n-gram, corpus only": corpus_only_reader(), "shipped": shipped,
    }
    print(f"\n{title}: {len(rows)}")
    results: dict[str, dict[str, Counter[str]]] = {}
    wrong: list[tuple[str, str, str, str | None]] = []
    for name, reader in readers.items():
        by_language = results.setdefault(name, {lang: Counter() for lang in LANGUAGES})
        for row in rows:
            guess = reader(row.text)
            verdict = "right" if guess == row.language else "none" if guess is None else "wrong"
            by_language[row.language][verdict] += 1
            if name == "shipped" and verdict != "right":
                wrong.append((row.language, verdict, row.text, guess))
    print("\naccuracy per language (right / n), with no-guess and wrong-guess counts")
    print(f"{'language':<9}{'n':>4}" + "".join(f"{name:>24}" for name in readers))
    for language in LANGUAGES:
        n = sum(results["shipped"][language].values())
        cells = [
            f"{c['right'] / n:.3f} none {c['none']:>2} wr {c['wrong']:>2}"
            for c in (results[name][language] for name in readers)
        ]
        print(f"{language:<9}{n:>4}" + "".join(f"{cell:>24}" for cell in cells))
    print(f"{'all':<9}{len(rows):>4}", end="")
    for name in readers:
        total = Counter[str]()
        for counts in results[name].values():
            total.update(counts)
        cell = f"{total['right'] / len(rows):.3f} none {total['none']:>2} wr {total['wrong']:>2}"
        print(cell.rjust(24), end="")
    print()
    if errors:
        print("\nshipped, not right:")
        for line in wrong:
            print("  ", line)


def speed(rounds: int) -> None:
    texts = [row.text for row in corpus.load()] + [
        "Hej, jeg er desværre syg i dag og i morgen og kan ikke komme til sprogskolen, min søn er også syg",
        "salam ana mareed al yom ma b2dar eji, bukra kaman, iza fi shi 7kuli",
        "Good morning, I am writing because I cannot come to the meeting on Thursday, my child is ill",
        "سلام، من امروز مریض هستم و نمی‌توانم به کلاس بیایم، فردا هم شاید نتوانم",
    ]
    ld.load()
    ld.lingua_guess("warm up lingua's models here")
    lookups = {text.lower(): "x" for text in texts}
    calls: dict[str, Reader] = {
        "detect": shipped,
        "script only": ld.script,
        "dict baseline": lambda t: lookups.get(t.lower()),
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for text in texts:
            for name, call in calls.items():
                start = time.perf_counter_ns()
                call(text)
                timings[name].append((time.perf_counter_ns() - start) / 1000)
    report(timings, "detect", f"speed: {len(texts)} messages x {rounds} rounds, no cache")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not args.speed:
        accuracy([row for row in corpus.load() if row.held_out and ld.script(row.text)], args.errors)
        # The fresh set (tests/understanding/fresh), less texts written alike in several
        # languages ("stop", "ok"): they carry no language of their own.
        fresh = [row for row in corpus.fresh() if ld.script(row.text)]
        shared = Counter(row.text.casefold() for row in fresh)
        alone = [row for row in fresh if shared[row.text.casefold()] == 1]
        accuracy(alone, args.errors, "fresh set, texts of one language")
    speed(args.rounds)


if __name__ == "__main__":
    main()
