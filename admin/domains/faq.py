"""The employer FAQ in the panel: every entry, the ones the municipality still has to fill, and
an editor for questions and answers in Danish and English.

Team leads and admins keep the FAQ true. An entry whose answer still holds a
``[KOMMUNEN UDFYLDER ...]`` placeholder is never sent (the service skips it and the employer
gets the consultant), so the list shows it as "not sent until filled" and puts it on the
"to fill" list first. A refused form comes back with what was typed and the reason beside the
field, because retyping a three-SMS answer is what makes staff give up on an editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.i18n import T_, pick_language
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.deps import SessionDep
from bot.escalations import faq
from bot.escalations.models import FaqEntry

router = APIRouter()

EDITED_LANGUAGES = ("da", "en")  # the languages employers write in and the seed answers


@dataclass(frozen=True)
class EntryLine:
    """An entry as the list shows it: its question in the reader's language and whether it is sent."""

    slug: str
    question: str
    placeholders: list[str]
    active: bool
    updated_at: datetime | None

    @property
    def state(self) -> str:
        if not self.active:
            return T_("Switched off")
        if self.placeholders:
            return T_("Not sent until filled")
        return T_("Sent to employers")


def may_edit(viewer: Viewer) -> bool:
    return viewer.is_lead or viewer.is_admin


def _editor(viewer: Viewer) -> None:
    if not may_edit(viewer):
        raise HTTPException(status_code=404)


def _question(entry: FaqEntry, language: str) -> str:
    for lang in (language, "da", "en", *entry.questions):
        variants = entry.questions.get(lang)
        if variants:
            return variants[0]
    return entry.slug


def _lines(entries: list[FaqEntry], language: str) -> list[EntryLine]:
    return [
        EntryLine(e.slug, _question(e, language), faq.placeholders(e), e.active, e.updated_at)
        for e in entries
    ]


@router.get("/faq")
def faq_list(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    _editor(viewer)
    lines = _lines(faq.all_entries(session), pick_language(request))
    to_fill = [line for line in lines if line.placeholders]
    saved = next((line for line in lines if line.slug == request.query_params.get("saved")), None)
    context = {"viewer": viewer, "lines": lines, "to_fill": to_fill, "saved": saved}
    return render(request, "faq/list.html", context, now=now)


def _form_values(entry: FaqEntry | None) -> dict[str, str]:
    """An entry as the editor's fields: one question variant per line."""
    if entry is None:
        return {"slug": "", "topic": "", "active": "on"}
    values = {"slug": entry.slug, "topic": entry.topic, "active": "on" if entry.active else ""}
    for lang in EDITED_LANGUAGES:
        values[f"questions_{lang}"] = "\n".join(entry.questions.get(lang, []))
        values[f"answers_{lang}"] = entry.answers.get(lang, "")
    return values


def _edit_page(
    request: Request,
    viewer: Viewer,
    now: datetime,
    *,
    values: dict[str, str],
    is_new: bool,
    entry: FaqEntry | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "faq/edit.html",
        {
            "viewer": viewer,
            "values": values,
            "is_new": is_new,
            "languages": EDITED_LANGUAGES,
            "placeholders": faq.placeholders(entry) if entry is not None else [],
            "errors": errors or {},
            "max_parts": faq.MAX_SMS_PARTS,
        },
        status_code=422 if errors else 200,
        now=now,
    )


@router.get("/faq/new")
def faq_new(request: Request, viewer: ViewerDep, now: NowDep) -> Response:
    _editor(viewer)
    return _edit_page(request, viewer, now, values=_form_values(None), is_new=True)


@router.get("/faq/{slug}")
def faq_edit(request: Request, slug: str, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    _editor(viewer)
    entry = faq.get(session, slug)
    if entry is None:
        raise HTTPException(status_code=404)
    return _edit_page(request, viewer, now, values=_form_values(entry), is_new=False, entry=entry)


def _error_text(error: faq.FaqInputError, values: dict[str, str]) -> str:
    if error.field == "slug":
        if error.message == "taken":
            return T_("An entry with this name exists already; choose another or edit that one.")
        return T_("Use 2 to 61 lower-case letters, digits and dashes, e.g. internship-length.")
    if error.field == "questions":
        return T_("Write at least one question, one per line.")
    if any(values.get(f"answers_{lang}", "").strip() for lang in EDITED_LANGUAGES):
        return T_("An answer would be longer than {max_parts} SMS; shorten it.")
    return T_("Write the answer in at least one language.")


@router.post("/faq")
def faq_save(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    slug: Annotated[str, Form()] = "",
    is_new: Annotated[str, Form()] = "",
    topic: Annotated[str, Form()] = "",
    active: Annotated[str, Form()] = "",
    questions_da: Annotated[str, Form()] = "",
    questions_en: Annotated[str, Form()] = "",
    answers_da: Annotated[str, Form()] = "",
    answers_en: Annotated[str, Form()] = "",
) -> Response:
    """Save what was written for Danish and English; other languages of the entry stay as they were."""
    _editor(viewer)
    values = {"slug": slug, "topic": topic, "active": active, "questions_da": questions_da,
              "questions_en": questions_en, "answers_da": answers_da, "answers_en": answers_en}
    existing = faq.get(session, slug)
    questions: dict[str, list[str]] = dict(existing.questions) if existing else {}
    answers: dict[str, str] = dict(existing.answers) if existing else {}
    questions.update(da=questions_da.splitlines(), en=questions_en.splitlines())
    answers.update(da=answers_da, en=answers_en)
    try:
        if is_new and existing is not None:
            raise faq.FaqInputError("slug", "taken")
        entry = faq.save(session, slug=slug, questions=questions, answers=answers, now=now,
                         staff_id=viewer.staff_id, topic=topic.strip(), active=bool(active),
                         address=client_address(request))
    except faq.FaqInputError as error:
        session.rollback()
        return _edit_page(request, viewer, now, values=values, is_new=bool(is_new), entry=existing,
                          errors={error.field: _error_text(error, values)})
    return redirect(request, f"/admin/faq?saved={entry.slug}")
