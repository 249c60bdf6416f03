"""Error responses a person can act on: each problem names the field and says what is wrong.

Every 4xx that concerns input has the same shape::

    {"detail": [{"field": "phone", "message": "'123' is not a possible phone number"}]}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from bot.contacts.service import ContactInputError, NotFound, PhoneTaken


class Problem(BaseModel):
    field: str
    message: str


class Problems(BaseModel):
    """What was wrong with the request, one entry per field."""

    detail: list[Problem]


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    422: {"model": Problems, "description": "A value cannot be used; each problem names its field."},
    409: {"model": Problems, "description": "The value already belongs to another record, which is named."},
}

# Where a value came from is not part of its name for the person reading the error.
_LOCATIONS = {"body", "query", "path", "header", "cookie"}
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def field_name(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "body"


def readable_message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    for prefix in _PYDANTIC_PREFIXES:
        if message.startswith(prefix):
            message = message.removeprefix(prefix)
    if error.get("type") == "missing":
        return "This field is required."
    if error.get("type") == "extra_forbidden":
        return "This field is not known; remove it."
    return message


def problems(errors: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": field_name(err.get("loc", ())), "message": readable_message(err)} for err in errors]


def problem_response(status_code: int, field: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": [{"field": field, "message": message}]}, status_code=status_code)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": problems(exc.errors())}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _contact_input_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ContactInputError)
    code = status.HTTP_409_CONFLICT if isinstance(exc, PhoneTaken) else status.HTTP_422_UNPROCESSABLE_CONTENT
    return problem_response(code, exc.field, exc.message)


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)


async def _integrity_error(_: Request, exc: Exception) -> JSONResponse:
    # The checks in the services name the clash; this is the race they cannot see: two
    # requests saving the same number or email at the same moment. The database kept one.
    return problem_response(
        status.HTTP_409_CONFLICT,
        "body",
        "This clashes with a record saved at the same moment (for example the same phone number); "
        "fetch the current data and try again.",
    )


async def _out_of_range(_: Request, exc: Exception) -> JSONResponse:
    # Routes bound their numbers (bot.api.types); this catches one that slipped through, so a
    # value the database cannot hold is the caller's error, not a crash.
    return problem_response(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        "body",
        "A value is out of range for what can be stored (numbers must fit in 64 bits); "
        "check the ids and numbers sent.",
    )


async def _statement_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StatementError)
    if isinstance(exc.orig, OverflowError):
        return await _out_of_range(request, exc)
    raise exc  # anything else is a fault of ours: let it reach the server error handling


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ContactInputError, _contact_input_error)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(StatementError, _statement_error)
