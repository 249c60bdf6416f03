"""Train the n-gram model from the tune part of the labelled corpus and write the artifact.

    python -m bot.flows.train

Training is counting (``ngram.train``), so it takes well under a second; the artifacts are
gzip'd counts, reproducible byte for byte. ``tests/understanding`` fails when the artifact is
older than the corpus it was trained on.
"""

from __future__ import annotations

from bot.flows import corpus, ngram


def lexicon_rows() -> list[tuple[str, str]]:
    """The keyword lists are training examples too: every phrase with its intent."""
    from bot.flows.keywords import lexicon

    rows = []
    for phrase, readings in lexicon().exact.items():
        for intent, _ in readings:
            if intent in ("start", "language"):
                continue  # exact commands only; the model never guesses them
            rows.append((phrase, intent))
    return rows


def build() -> ngram.Model:
    examples = corpus.load()
    rows = [(e.text, e.label) for e in examples if not e.held_out] + lexicon_rows()
    return ngram.train(rows, corpus.fingerprint(examples))


def main() -> None:
    model = build()
    ngram.save(model)
    print(f"{len(model.counts)} features, classes {model.classes} -> {ngram.ARTIFACT}")


if __name__ == "__main__":
    main()
