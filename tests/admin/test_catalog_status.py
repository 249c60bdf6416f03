"""The translations page counts what a translator has to do: texts sent by SMS, not the printed
evidence summary, which exists in Danish and English only."""

from __future__ import annotations

from admin.catalog_status import catalog_status


def test_the_printed_summary_is_not_missing_in_arabic() -> None:
    status = {s.language: s for s in catalog_status()}
    arabic = status["ar"]
    assert not [key for key in arabic.missing + arabic.fuzzy if key.startswith("hearing.letter.export.")]
    assert "hearing.letter.export.title" not in status["da"].missing
    assert status["da"].total > arabic.total  # Danish still counts the summary's texts
