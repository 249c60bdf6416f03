"""Text people and broken phones send: every script, emoji, bidi controls, joiners, control
characters, and lengths from nothing to 10,000 characters."""

from __future__ import annotations

from hypothesis import strategies as st

TRICKY = [
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f", "\u200e",  # bidi overrides, isolates
    "\u200d", "\u200c", "\u200b", "\ufeff", "\u2060",  # joiners, zero width
    "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\x7f", "\x85",  # control characters
    "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇩🇰", "🙂", "\U0001f9d5🏽‍♀️",  # emoji sequences
    "أنا مريض", "من مریض هستم", "ዛሬ ሓሚመ", "Я хворий", "Ez nexweş im", "Maanta waan jiranahay",
    "ana mareed", "syg", "١٢٣", "۱۲۳", "ﷺ", "𒐫", "Z̷̢̛a̸l̵g̷o̶", "\ufffd", "'; DROP TABLE citizen; --",
    "<script>alert(1)</script>", "{name}", "%s%s%n", "{{7*7}}", "STOP", "start",
]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
tricky = st.lists(st.sampled_from(TRICKY) | any_text, max_size=12).map("".join)
long_text = st.builds(lambda piece, n: (piece * (n // max(1, len(piece)) + 1))[:n],
                      st.sampled_from([*TRICKY, "a", "ب", "😀"]), st.integers(0, 10_000))
bodies = st.one_of(any_text, tricky, long_text)
