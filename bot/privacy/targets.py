"""Records other than messages that hold free text about a person, and how to erase them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import SQLModel

from bot.sick_notices.models import SickNotice


@dataclass(frozen=True)
class TextRecords:
    """A table whose ``text_columns`` are set to NULL on erasure.

    ``erased_column`` stamps the time when the table has one; without it a NULL text is the mark.
    """

    model: type[SQLModel]
    text_columns: tuple[str, ...]
    time_column: str
    citizen_column: str = "citizen_id"
    erased_column: str | None = None


def text_record_kinds() -> list[TextRecords]:
    """Every kind of free-text record retention and erasure cover."""
    # The free text of a sick notice is health data; the notice itself (dates, reference,
    # receipt) stays, as the municipality's record of the absence.
    return [TextRecords(SickNotice, ("text",), "received_at")]
