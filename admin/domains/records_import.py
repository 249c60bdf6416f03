"""Appointments from a CSV file: a preview of every row first, then all or nothing.

The upload is always checked as a dry run (``csv_import.import_appointments(dry_run=True)``,
the check ``bot import appointments --dry-run`` and the API use), with citizens outside a
consultant's caseload counted as bad rows as in the API. The preview lists every row with its
reason; only a file without a bad row offers "import", which sends the same text back and is
checked again before anything is written. The importer writes no audit entry, so the route
records one for the import.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.i18n import T_
from admin.templating import render
from admin.visibility import Viewer
from bot.contacts import choices
from bot.deps import SessionDep
from bot.reminders import csv_import, recording
from bot.reminders.config import build_policy

router = APIRouter()
MAX_BYTES = 2_000_000
COLUMN_ERRORS = {
    "citizen_id": T_("No citizen in your caseload has this id."),
    "citizen_phone": T_("No citizen in your caseload has this phone number."),
    "kind": T_("Unknown kind of appointment; see the list of kinds below."),
    "starts_at": T_("The start is missing or is not a date and time like 2026-11-26 10:00."),
    "ends_at": T_("The end is not a date and time after the start."),
    "placement_id": T_("This citizen has no placement with this id."),
    "external_ref": T_("This reference was imported before or appears twice in the file."),
    "-": T_("The file is empty, has no rows, or is not readable as CSV."),
}
UNKNOWN_COLUMN = T_("Unknown column {name}.")
NOT_TEXT = T_("The file is not UTF-8 text or is larger than 2 MB; save it as CSV UTF-8.")


def _check(request: Request, session: Session, viewer: Viewer, content: str, now: datetime,
           dry_run: bool) -> csv_import.ImportResult:
    settings = common.settings(request)
    policy, region = build_policy(settings, session=session), settings.default_region
    result = csv_import.import_appointments(session, content, policy=policy, now=now, region=region,
                                            dry_run=True)
    if not common.changes_all(viewer):
        result.problems.extend(_outside_caseload(session, viewer, content, result, region))
        result.problems.sort(key=lambda problem: problem.line)
    if result.ok and not dry_run:
        result = recording.import_file(session=session, acting_staff=viewer, content=content, policy=policy,
                                       now=now, region=region, via="admin", address=client_address(request))
    return result


def _outside_caseload(session: Session, viewer: Viewer, content: str, result: csv_import.ImportResult,
                      region: str) -> list[csv_import.RowProblem]:
    """Rows about citizens outside a consultant's caseload, as the API counts them; listed
    beside the file's other problems so the preview shows every bad row at once."""
    mine = choices.caseload_ids(session, viewer.staff_id)
    if result.ok:
        pairs = csv_import.citizen_ids(session, content, region=region)
    else:  # rows naming a citizen by id; a phone is looked up once the file is otherwise clean
        bad = {p.line for p in result.problems if p.column in ("citizen_id", "citizen_phone")}
        pairs = [(row["line"], int(row["citizen_id"])) for row in _rows(content)
                 if row["line"] not in bad and row.get("citizen_id", "").strip().isdigit()]
    return [csv_import.RowProblem(line, "citizen_id", "not in the caseload")
            for line, citizen_id in pairs if citizen_id not in mine]


def _rows(content: str) -> list[dict[str, Any]]:
    """Every row as typed, with the line it ends on, for the preview table."""
    try:
        reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff"), newline=""))
        return [{"line": reader.line_num, **{(k or "").strip(): (v or "") for k, v in row.items() if k}}
                for row in reader]
    except csv.Error:
        return []


def _page(request: Request, viewer: Viewer, now: datetime, **values: Any) -> Response:
    status_code = values.pop("status_code", 200)
    return render(request, "records/import.html", {
        "viewer": viewer, "errors": {}, "kinds": csv_import.KINDS, "columns": csv_import.COLUMNS, **values,
    }, status_code=status_code, now=now)


def _reasons(result: csv_import.ImportResult, request: Request) -> dict[int, list[str]]:
    tr = common.translator(request)
    by_line: dict[int, list[str]] = {}
    for problem in result.problems:
        if problem.column in COLUMN_ERRORS:
            text = tr(COLUMN_ERRORS[problem.column])
        else:
            text = tr(UNKNOWN_COLUMN, name=problem.column)
        by_line.setdefault(problem.line, []).append(text)
    return by_line


@router.get("/import")
def import_form(request: Request, viewer: ViewerDep, now: NowDep) -> Response:
    common.require(common.changes_citizens(viewer))
    return _page(request, viewer, now)


@router.post("/import")
async def preview(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
                  file: UploadFile) -> Response:
    """Check the upload and show every row; nothing is written."""
    common.require(common.changes_citizens(viewer))
    raw = await file.read(MAX_BYTES + 1)
    content = _text(raw)
    if content is None:
        errors = {"file": common.translator(request)(NOT_TEXT)}
        return _page(request, viewer, now, errors=errors, status_code=422)
    result = _check(request, session, viewer, content, now, dry_run=True)
    session.rollback()
    return _show(request, viewer, now, content, result)


def _text(raw: bytes) -> str | None:
    """The upload as text, or None when it is too large or not UTF-8."""
    if len(raw) > MAX_BYTES:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _show(request: Request, viewer: Viewer, now: datetime, content: str,
          result: csv_import.ImportResult, imported: int | None = None) -> Response:
    return _page(request, viewer, now, content=content, rows=_rows(content),
                 reasons=_reasons(result, request), checked=result, imported=imported,
                 status_code=200 if result.ok else 422)


@router.post("/import/confirm")
def confirm(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
            content: Annotated[str, Form()] = "") -> Response:
    """Import the previewed text, checked again: a file with a bad row imports nothing."""
    common.require(common.changes_citizens(viewer))
    result = _check(request, session, viewer, content, now, dry_run=False)
    if not result.ok:
        session.rollback()
        return _show(request, viewer, now, content, result)
    return _show(request, viewer, now, content, result, imported=len(result.created_ids))
