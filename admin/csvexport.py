"""CSV downloads that open cleanly in Excel and cannot smuggle in spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from starlette.responses import Response

# A cell Excel would run as a formula; a phone number like +4512345678 stays as it is.
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?!\d+$))")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _FORMULA.match(text) else text


def csv_response(header: list[str], rows: Iterable[Iterable[object]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
    # A byte-order mark so Excel, which most staff open CSV files with, reads UTF-8 correctly.
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
