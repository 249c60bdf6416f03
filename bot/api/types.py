"""Parameter types the API routes share.

Ids are database integers: anything beyond a signed 64-bit integer cannot be a row, and would
otherwise reach the database driver and fail there (a 500) instead of being refused (a 422).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

INT64_MAX = 2**63 - 1

# A row id in a path: /citizens/{citizen_id}
PathId = Annotated[int, Path(ge=1, le=INT64_MAX, description="A record id.")]
# A reference to a row in a body or query: {"consultant_id": 3}
RowId = Annotated[int, Field(ge=1, le=INT64_MAX)]

__all__ = ["INT64_MAX", "PathId", "RowId"]
