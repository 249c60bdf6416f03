"""A character n-gram model with a linear scorer: the reading of words no list has.

People write "3ayyan", "mrid", "xanuunsan ahay", "хворiю" with a Latin i: forms a keyword list
never holds them all. Character n-grams inside word boundaries (as Rasa's ``char_wb``
featuriser) share most of their pieces with the forms the model was trained on, so a new
spelling still lands near its intent. The scorer is multinomial naive Bayes: linear in the
n-gram counts, trained by counting (so training is one pass and the artifact is just counts),
and fast to apply in pure Python. Training data is the tune part of the labelled corpus
(``python -m bot.flows.train`` writes ``lexicon/model.json.gz``); nothing is fetched at run time.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.flows.normalize import normalise

ARTIFACT = Path(__file__).parent / "lexicon" / "model.json.gz"
NGRAMS = (2, 3, 4)
SMOOTHING = 0.1
# Naive Bayes adds up overlapping n-grams as if independent, which makes its raw posteriors
# extreme; scores are averaged per feature and sharpened by this factor before the softmax, so
# the probability means something a threshold can be set on (bench/classify.py).
SHARPNESS = 8.0
MAX_CHARS = 200


def features(norm: str) -> list[str]:
    """Character n-grams within word boundaries, and the words themselves."""
    out: list[str] = []
    for word in norm[:MAX_CHARS].split():
        out.append(f"w:{word}")
        padded = f" {word} "
        for n in NGRAMS:
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


@dataclass(frozen=True)
class Guess:
    intent: str
    probability: float
    runner_up: str | None = None


class Model:
    """Per-class n-gram counts turned into linear weights."""

    def __init__(self, classes: list[str], counts: dict[str, dict[int, int]], fingerprint: str = "") -> None:
        self.classes = classes
        self.fingerprint = fingerprint
        self.counts = counts
        vocabulary = len(counts)
        totals = [0.0] * len(classes)
        for by_class in counts.values():
            for index, count in by_class.items():
                totals[index] += count
        # score_c = sum over known features of log((count+a)/(total_c+a*V)): the part every
        # feature shares is a per-class constant, the rest is sparse.
        self.base = [math.log(SMOOTHING / (t + SMOOTHING * vocabulary)) for t in totals]
        self.weights: dict[str, tuple[tuple[int, float], ...]] = {
            feature: tuple((i, math.log((c + SMOOTHING) / SMOOTHING)) for i, c in by_class.items())
            for feature, by_class in counts.items()
        }

    def guess(self, norm: str) -> Guess | None:
        scores = [0.0] * len(self.classes)
        known = 0
        weights = self.weights
        for feature in features(norm):
            entry = weights.get(feature)
            if entry is None:
                continue
            known += 1
            for index, weight in entry:
                scores[index] += weight
        if not known:
            return None
        logits = [SHARPNESS * (s / known + b) for s, b in zip(scores, self.base, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        ranked = sorted(range(len(exps)), key=lambda i: -exps[i])
        runner = self.classes[ranked[1]] if len(ranked) > 1 else None
        return Guess(self.classes[ranked[0]], exps[ranked[0]] / total, runner)


def train(rows: Iterable[tuple[str, str]], fingerprint: str = "") -> Model:
    """Count n-grams per label over (text, label) rows."""
    classes: list[str] = []
    counts: dict[str, dict[int, int]] = {}
    for text, label in rows:
        if label not in classes:
            classes.append(label)
        index = classes.index(label)
        for feature in features(normalise(text)):
            by_class = counts.setdefault(feature, {})
            by_class[index] = by_class.get(index, 0) + 1
    return Model(classes, counts, fingerprint)


def save(model: Model, path: Path = ARTIFACT) -> None:
    data = {
        "fingerprint": model.fingerprint,
        "classes": model.classes,
        "counts": {f: [[i, c] for i, c in sorted(by.items())] for f, by in sorted(model.counts.items())},
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    # mtime=0: the same counts give the same bytes, so the artifact only changes with its data.
    path.write_bytes(gzip.compress(raw, mtime=0))


def load(path: Path = ARTIFACT) -> Model:
    data = json.loads(gzip.decompress(path.read_bytes()))
    counts = {f: {int(i): int(c) for i, c in pairs} for f, pairs in data["counts"].items()}
    return Model(list(data["classes"]), counts, str(data.get("fingerprint", "")))


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The trained model, or None when the artifact is missing (the keyword lists still work)."""
    return load() if ARTIFACT.exists() else None
