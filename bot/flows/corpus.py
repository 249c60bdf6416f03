"""The labelled corpus of messages as people write them, and its tune / held-out split.

The corpus lives in ``tests/understanding/corpus/<language>.yaml`` (``employer.yaml`` for company
contacts): each intent lists messages; ``traps`` lists ``[text, label]`` pairs that look like one
intent and mean another (negations, contrast, questions about sickness, someone else ill). The
label ``none`` means nothing to act on. Every third message of each list is held out: the model
is trained and the rules tuned on the rest, and the threshold is chosen and the accuracy
reported on the held-out part only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.flows.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parents[2] / "tests" / "understanding" / "corpus"
# Written apart from the corpus and never trained or tuned on: the closer estimate of real texts.
FRESH = ROOT.parent / "fresh"
HELD_OUT_EVERY = 3
CITIZEN_LANGUAGES = ("da", "en", "ar", "fa", "ps", "ti", "so", "uk", "ku")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    language: str
    trap: bool
    held_out: bool


def _examples(language: str, data: dict[str, list[object]]) -> list[Example]:
    out: list[Example] = []
    for key, values in data.items():
        for index, value in enumerate(values or []):
            held = index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
            if key == "traps":
                text, label = value if isinstance(value, list) else (value, "none")
                out.append(Example(str(text), str(label), language, True, held))
            else:
                out.append(Example(str(value), str(key), language, False, held))
    return out


def load(kind: str = "citizen", root: Path = ROOT) -> list[Example]:
    """Every example of the citizen corpus (nine languages) or the employer corpus."""
    if kind == "employer":
        return _examples("da/en", load_yaml(root / "employer.yaml"))
    out: list[Example] = []
    for language in CITIZEN_LANGUAGES:
        out += _examples(language, load_yaml(root / f"{language}.yaml"))
    return out


def fresh(kind: str = "citizen") -> list[Example]:
    """The fresh evaluation set (``tests/understanding/fresh``), every message held out."""
    return [
        Example(e.text, e.label, e.language, e.trap, True) for e in load(kind, FRESH)
    ]


def fingerprint(examples: list[Example]) -> str:
    """A hash of the training part, so a stale model artifact is noticed."""
    digest = hashlib.sha256()
    for example in examples:
        if not example.held_out:
            digest.update(f"{example.label}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
