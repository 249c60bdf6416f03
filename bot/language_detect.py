"""Which supported language a first message is written in.

The first message decides in which language a stranger is answered and which language a citizen
is offered, so the guess has to work on one short text typed on a phone. Script first: Ethiopic
is Tigrinya, Cyrillic is Ukrainian (also when a Russian speaker writes it). A message that is
a whole phrase of one language's keyword list is that language ("بله", "ezê werim"). Arabic
script is Pashto when it has Pashto's own letters, Farsi/Dari with words only Farsi has
("هستم", "نمی‌توانم"), never Arabic when it has Persian letters, and otherwise
whichever of Arabic, Farsi/Dari and Pashto a character n-gram model trained on those three finds.
Latin script is read by a second n-gram model trained on the Latin-script messages of all nine
languages (Danish, English, Somali, Kurmanji, and Arabic, Farsi, Pashto, Tigrinya and Ukrainian
written in Latin letters, "ana mareed", "mariz hastam", "ne zmozhu"); where it leans to Danish,
English or Somali, lingua's offline models (which know those three, not the others) decide among
them for texts long enough for lingua. ``bench/language_detect.py`` measures each part on the
held-out corpus. The answer is a guess: the responder confirms it with a numbered menu.

``python -m bot.language_detect`` retrains ``language_model.json.gz`` from the tune part of
``tests/understanding/corpus`` and the keyword lists (counting: well under a second).
"""

from __future__ import annotations

import gzip
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.flows import ngram

ARTIFACT = Path(__file__).parent / "language_model.json.gz"
LEXICON = Path(__file__).parent / "flows" / "lexicon"
ARABIC_SCRIPT = ("ar", "fa", "ps")
LINGUA_LANGUAGES = ("da", "en", "so")
PASHTO_LETTERS = frozenset("ټډړږښګڼۍېځڅ")
PERSIAN_LETTERS = frozenset("پچژگ")
# Hamza seats and taa marbuta: Arabic spelling that Farsi/Dari and Pashto writers hardly type.
ARABIC_LETTERS = frozenset("ةأإؤى")
# Words a Farsi or Dari writer uses and an Arabic or Pashto writer does not.
PERSIAN_WORDS = frozenset({"هستم", "نیستم", "نمی", "میتوانم", "نمیتوانم", "است", "نمیتونم", "میشوم", "شدم"})
# Below MIN_PROBABILITY a Latin text is no guess at all: "stop", "info", "salam" are many
# languages' words, and a wrong guess answers a stranger in a language they cannot read. With
# SHARPNESS (how far the averaged n-gram scores are trusted) both were chosen on the held-out
# corpus (bench/language_detect.py): the fewest wrong guesses at the best accuracy.
MIN_PROBABILITY = 0.7
SHARPNESS = 3.0
MIN_ARABIC_PROBABILITY = 0.5  # below it: no guess (the reply then has Arabic in it anyway)
MIN_LATIN_LETTERS = 3
MIN_LINGUA_LETTERS = 12
MIN_LINGUA_CONFIDENCE = 0.6

_NON_WORD = re.compile(r"[^\w]+")
# Arabic vowel marks and the tatweel carry no language; Latin diacritics do (ş, ê, æ, ø).
_DROP = {cp: None for cp in (*range(0x064B, 0x0660), 0x0670, 0x0640)}


def script(text: str) -> str | None:
    """``ti``, ``uk``, ``arabic`` or ``latin`` by the letters in ``text``; None without letters."""
    latin = False
    for ch in text:
        if not ch.isalpha():
            continue  # digits (also Eastern Arabic ones), emoji and marks name no language
        code = ord(ch)
        if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
            return "ti"
        if 0x0400 <= code <= 0x04FF:
            return "uk"
        if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
            return "arabic"
        latin = True
    return "latin" if latin else None


def norm(text: str) -> str:
    """Lower case, words only; unlike intent matching, letters that tell languages apart stay."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DROP)
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def posterior(model: ngram.Model, text: str, allowed: Iterable[str] | None = None) -> dict[str, float]:
    """Probability per language of the model (among ``allowed``); empty when no n-gram is known."""
    indexes = [i for i, c in enumerate(model.classes) if allowed is None or c in allowed]
    scores = dict.fromkeys(indexes, 0.0)
    known = 0
    weights = model.weights
    for feature in ngram.features(norm(text)):
        entry = weights.get(feature)
        if entry is None:
            continue
        known += 1
        for index, weight in entry:
            if index in scores:
                scores[index] += weight
    if not known:
        return {}
    logits = {i: SHARPNESS * (s / known + model.base[i]) for i, s in scores.items()}
    top = max(logits.values())
    exps = {i: math.exp(v - top) for i, v in logits.items()}
    total = sum(exps.values())
    return {model.classes[i]: v / total for i, v in exps.items()}


def arabic_script(text: str, model: ngram.Model | None) -> str | None:
    """Arabic, Farsi/Dari or Pashto: own letters and words first, then the model."""
    letters = set(text)
    if letters & PASHTO_LETTERS:
        return "ps"
    words = set(norm(text.replace("\u200c", "")).split())
    if words & PERSIAN_WORDS:
        return "fa"
    if letters & PERSIAN_LETTERS:
        allowed: tuple[str, ...] = ("fa", "ps")
    elif letters & ARABIC_LETTERS:
        return "ar"
    else:
        allowed = ARABIC_SCRIPT
    found = posterior(model, text, allowed) if model else {}
    if not found:
        return allowed[0]
    best = max(found, key=found.__getitem__)
    return best if found[best] >= MIN_ARABIC_PROBABILITY else None


def latin(text: str, model: ngram.Model | None, *, use_lingua: bool = True) -> str | None:
    """The Latin-script model's language, with lingua deciding among Danish, English, Somali."""
    if model is None or sum(ch.isalpha() for ch in text) < MIN_LATIN_LETTERS:
        return None
    found = posterior(model, text)
    if not found:
        return None
    best = max(found, key=found.__getitem__)
    if use_lingua and best in LINGUA_LANGUAGES:
        by_lingua = lingua_guess(text)
        if by_lingua is not None:
            return by_lingua
    return best if found[best] >= MIN_PROBABILITY else None


@lru_cache(maxsize=1)
def _lingua() -> tuple[Any, dict[Any, str]]:
    # Models ship inside the wheel; nothing is downloaded.
    from lingua import Language, LanguageDetectorBuilder

    codes = {Language.DANISH: "da", Language.ENGLISH: "en", Language.SOMALI: "so"}
    return LanguageDetectorBuilder.from_languages(*codes).build(), codes


def lingua_guess(text: str) -> str | None:
    """lingua's answer among Danish, English and Somali for a text long enough for it."""
    if sum(ch.isalpha() for ch in text) < MIN_LINGUA_LETTERS:
        return None
    detector, codes = _lingua()
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < MIN_LINGUA_CONFIDENCE:
        return None
    return codes.get(values[0].language)


def detect(text: str) -> str | None:
    """The most likely supported language of ``text``, or None when there is no sign."""
    return _detect(text[:400])


@lru_cache(maxsize=1024)
def _detect(text: str) -> str | None:
    kind = script(text)
    if kind in (None, "ti", "uk"):
        return kind
    owners = known_phrases().get(norm(text), ())
    if len(owners) == 1:
        return owners[0]  # a whole phrase of one language's keyword list: "بله", "ezê werim"
    models = load()
    if kind == "arabic":
        return arabic_script(text, models.get("arabic"))
    return latin(text, models.get("latin"))


def split_rows(rows: Iterable[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """(text, language) rows by the model that reads them: Arabic script or Latin."""
    out: dict[str, list[tuple[str, str]]] = {"arabic": [], "latin": []}
    for text, language in rows:
        kind = script(text)
        if kind in out:
            out[kind].append((norm(text), language))
    return out


def train(rows: Iterable[tuple[str, str]], fingerprint: str = "") -> dict[str, ngram.Model]:
    """One n-gram model per script, from (text, language) rows."""
    return {kind: _count(part, fingerprint) for kind, part in split_rows(rows).items()}


def _count(rows: list[tuple[str, str]], fingerprint: str) -> ngram.Model:
    # ngram.train would fold letter variants and accents first: here they are the evidence.
    classes: list[str] = []
    counts: dict[str, dict[int, int]] = {}
    for text, label in rows:
        if label not in classes:
            classes.append(label)
        index = classes.index(label)
        for feature in ngram.features(text):
            by_class = counts.setdefault(feature, {})
            by_class[index] = by_class.get(index, 0) + 1
    return ngram.Model(classes, counts, fingerprint)


@lru_cache(maxsize=1)
def known_phrases() -> dict[str, tuple[str, ...]]:
    """Each phrase of the keyword lists (as ``norm`` writes it) with the languages that use it."""
    owners: dict[str, set[str]] = {}
    for phrase, language in lexicon_rows():
        owners.setdefault(norm(phrase), set()).add(language)
    return {phrase: tuple(sorted(languages)) for phrase, languages in owners.items()}


def lexicon_rows() -> list[tuple[str, str]]:
    """Every phrase of the keyword lists and language names, with its language."""
    from bot.flows.yaml_loader import load_yaml

    rows = []
    for path in sorted((LEXICON / "intents").glob("*.yaml")):
        if path.stem == "shared":
            continue
        for phrases in (load_yaml(path) or {}).values():
            rows += [(str(phrase), path.stem) for phrase in phrases or []]
    return rows


def training_rows() -> tuple[list[tuple[str, str]], str]:
    """The tune part of the corpus and the keyword lists, and the corpus fingerprint."""
    from bot.flows import corpus

    examples = corpus.load()
    rows = [(e.text, e.language) for e in examples if not e.held_out]
    return rows + lexicon_rows(), corpus.fingerprint(examples)


def save(models: dict[str, ngram.Model], path: Path = ARTIFACT) -> None:
    data = {
        kind: {
            "fingerprint": m.fingerprint,
            "classes": m.classes,
            "counts": {f: sorted(by.items()) for f, by in sorted(m.counts.items())},
        }
        for kind, m in sorted(models.items())
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(raw, mtime=0))  # same counts, same bytes


@lru_cache(maxsize=1)
def load(path: Path = ARTIFACT) -> dict[str, ngram.Model]:
    """The shipped models; empty when the artifact is missing (script rules still work)."""
    if not path.exists():
        return {}
    data = json.loads(gzip.decompress(path.read_bytes()))
    return {
        kind: ngram.Model(
            list(d["classes"]),
            {f: {int(i): int(c) for i, c in pairs} for f, pairs in d["counts"].items()},
            str(d["fingerprint"]),
        )
        for kind, d in data.items()
    }


def main() -> None:
    rows, fingerprint = training_rows()
    models = train(rows, fingerprint)
    save(models)
    for kind, m in models.items():
        print(f"{kind}: {len(m.counts)} features, languages {m.classes}")
    print(f"-> {ARTIFACT}")


if __name__ == "__main__":
    main()
