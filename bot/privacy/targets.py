"""Records other than messages that hold free text about a person, and how to erase them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import SQLModel


@dataclass(frozen=True)
class TextRecords:
    """A table whose ``text_columns`` are set to NULL on erasure, stamped in ``erased_column``."""

    model: type[SQLModel]
    text_columns: tuple[str, ...]
    time_column: str
    citizen_column: str = "citizen_id"
    erased_column: str = "erased_at"


def text_record_kinds() -> list[TextRecords]:
    """Every kind of free-text record retention and erasure cover."""
    return []
