"""How well and how fast citizens' messages are read, measured on the held-out corpus.

    python bench/classify.py              # accuracy, harmful readings, confusion tables, speed
    python bench/classify.py --speed      # speed only (p50/p99 with a baseline from the same run)
    python bench/classify.py --errors     # also list every held-out and fresh message read wrongly

Three readers are compared on the held-out part of ``tests/understanding/corpus`` (the part
neither the model nor the keyword lists were tuned on): the keyword lexicon with the scope rules
alone, the character n-gram model alone, and both together (what ``classify`` does). A reading
counts when its confidence reaches the threshold; below it the assistant asks. "Harmful" is a
sick notice, a cancellation or an ended notice that the message did not mean. The same tables
follow for ``tests/understanding/fresh``, written apart from the corpus; there a STOP missed or
invented (a whole-message command, as the pipeline acts on it) counts as harmful too.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report  # noqa: E402
from bot.flows import corpus, intents  # noqa: E402
from bot.flows.intents import CONFIDENT, classify, is_command, read_words_only  # noqa: E402
from bot.flows.ngram import model  # noqa: E402
from bot.flows.normalize import normalise  # noqa: E402

ACTS = ("sick", "no", "better")
Reader = Callable[[str], tuple[str | None, float]]


def expected(label: str) -> str | None:
    return None if label == "none" else label


def harmful(predicted: str | None, label: str) -> bool:
    """A record the message did not ask for: sick or cancellation mixed up is not counted."""
    if predicted not in ACTS or predicted == label:
        return False
    return not (predicted in ("sick", "no") and label in ("sick", "no"))


def combined(text: str) -> tuple[str | None, float]:
    match = classify.__wrapped__(text)  # type: ignore[attr-defined]
    return match.intent, match.confidence


def words_only(text: str) -> tuple[str | None, float]:
    match = read_words_only(text)
    return match.intent, match.confidence


def model_only(text: str) -> tuple[str | None, float]:
    trained = model()
    guess = trained.guess(normalise(text)) if trained else None
    if guess is None or guess.intent == "none":
        return None, 0.0
    return guess.intent, 100.0 * guess.probability


READERS: dict[str, Reader] = {"words+rules": words_only, "model": model_only, "combined": combined}


def readings(reader: Reader, rows: list[corpus.Example]) -> list[tuple[corpus.Example, str | None, float]]:
    return [(row, *reader(row.text)) for row in rows]


def score(found: list[tuple[corpus.Example, str | None, float]], threshold: float) -> tuple[float, int, int]:
    correct = wrong_harm = acted = 0
    for row, intent, confidence in found:
        predicted = intent if intent is not None and confidence >= threshold else None
        acted += predicted is not None
        correct += predicted == expected(row.label)
        wrong_harm += harmful(predicted, row.label)
    return correct / len(found), wrong_harm, acted


def compare(rows: list[corpus.Example]) -> None:
    print(f"held-out messages: {len(rows)} ({sum(r.trap for r in rows)} traps)")
    print("reader        threshold  accuracy  harmful  acted")
    for name, reader in READERS.items():
        found = readings(reader, rows)
        for threshold in (50, 70, 80, 90, CONFIDENT, 95, 99):
            accuracy, harm, acted = score(found, threshold)
            print(f"{name:<13} {threshold:>9.0f}  {accuracy:>8.3f}  {harm:>7}  {acted:>5}")


def stop_harm(text: str, label: str) -> bool:
    """STOP missed, or STOP invented: what the pipeline acts on is a whole-message command."""
    match = classify(text)
    return (label == "stop") != (match.intent == "stop" and is_command(match))


def tables(
    rows: list[corpus.Example], errors: bool, part: str = "held-out part", stops: bool = False
) -> None:
    found = readings(combined, rows)
    print(f"\ncombined reader at CONFIDENT = {CONFIDENT:.0f}, {part}")
    by_language: dict[str, Counter[str]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    for row, intent, confidence in found:
        predicted = intent if intent is not None and confidence >= CONFIDENT else None
        ok = predicted == expected(row.label)
        counts = by_language.setdefault(row.language, Counter())
        counts["n"] += 1
        counts["ok"] += ok
        harm = harmful(predicted, row.label) or (stops and stop_harm(row.text, row.label))
        counts["harm"] += harm
        confusion[(row.label, predicted or "none")] += 1
        if not ok or harm:
            wrong.append((row.language, row.text, row.label, predicted, round(confidence)))
    print("language   n  accuracy  harmful")
    for language, counts in by_language.items():
        print(f"{language:<8} {counts['n']:>3}  {counts['ok'] / counts['n']:>8.3f}  {counts['harm']:>7}")
    right = sum(c["ok"] for c in by_language.values())
    harm = sum(c["harm"] for c in by_language.values())
    print(f"{'all':<8} {len(rows):>3}  {right / len(rows):>8.3f}  {harm:>7}")
    labels = sorted({label for label, _ in confusion} | {p for _, p in confusion})
    print("\nconfusion (rows: label, columns: reading)")
    print(" " * 17 + "".join(f"{label[:8]:>9}" for label in labels))
    for label in labels:
        print(f"{label:<17}" + "".join(f"{confusion[(label, p)]:>9}" for p in labels))
    if errors:
        print(f"\nwrong readings ({part}):")
        for line in wrong:
            print("  ", line)


def employer(rows: list[corpus.Example], part: str = "held-out") -> None:
    from bot.escalations.intents import classify as employer_classify

    found = Counter()
    for row in rows:
        got = employer_classify(row.text)
        want = None if row.label == "question" else row.label
        found["ok"] += (got.value if got else None) == want
    print(f"\nemployer {part}: {found['ok']}/{len(rows)} right ({found['ok'] / len(rows):.3f})")


def speed(rounds: int) -> None:
    texts = [row.text for row in corpus.load()] + [
        "Hej, jeg er desværre syg i dag og i morgen og kan ikke komme til sprogskolen, min søn er også syg",
        "salam ana mareed al yom ma b2dar eji, bukra kaman, iza fi shi 7kuli",
        "Добрий день, я хворію і не прийду сьогодні, а може і завтра, вибачте",
    ]
    intents.lexicon()
    model()
    lookups = {text.lower(): "x" for text in texts}
    timings: dict[str, list[float]] = {"classify": [], "words+rules": [], "dict baseline": []}
    # CPU time of this thread as well: on a shared machine the wall clock also counts the time
    # spent waiting for a core, which no change to the reader can shorten.
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    for _ in range(rounds):
        for text in texts:
            for name, call in (
                ("classify", lambda t: classify.__wrapped__(t)),  # type: ignore[attr-defined]
                ("words+rules", read_words_only),
                ("dict baseline", lambda t: lookups.get(t.lower())),
            ):
                normalise.cache_clear()
                start_cpu = time.thread_time_ns()
                start = time.perf_counter_ns()
                call(text)
                timings[name].append((time.perf_counter_ns() - start) / 1000)
                cpu[name].append((time.thread_time_ns() - start_cpu) / 1000)
    heading = f"speed: {len(texts)} messages x {rounds} rounds, all nine languages loaded"
    report(timings, "classify", f"{heading}, wall clock")
    report(cpu, "classify", f"{heading}, CPU time of the thread")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not args.speed:
        held = [row for row in corpus.load() if row.held_out]
        compare(held)
        tables(held, args.errors)
        employer([row for row in corpus.load("employer") if row.held_out])
        fresh = corpus.fresh()
        tables(fresh, args.errors, "fresh set (never trained or tuned on)", stops=True)
        # Short everyday texts ("stop", "ok jeg kommer") are in the corpus too: the texts it has
        # never seen, apart, are the stricter estimate.
        seen = {row.text for row in corpus.load()}
        unseen = [row for row in fresh if row.text not in seen]
        tables(unseen, False, "fresh set, texts not in the corpus", stops=True)
        employer(corpus.fresh("employer"), "fresh set")
    speed(args.rounds)


if __name__ == "__main__":
    main()
