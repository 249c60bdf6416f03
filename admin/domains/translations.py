"""The translation review's words: why an approval was refused, in the reader's language.

The review itself (entries, approving, the catalogs' lock and the audit entry) is
``bot.translation_review``; the names below are the panel's way in.
"""

from __future__ import annotations

from admin.i18n import T_
from bot.translation_review import (
    CATALOGS,
    MAX_SEGMENTS,
    Entry,
    ReviewError,
    approve,
    catalog_path,
    entries,
    language_names,
    used_in,
)

REFUSALS = {
    "language": T_("There is no such language."),
    "msgid": T_("There is no such text."),
    "plural": T_("Texts with plural forms are reviewed in an exported file."),
    "empty": T_("Write the translation before approving it."),
    "placeholders": T_("The placeholders in braces must be the same as in the source."),
}


def refusal_text(error: ReviewError) -> str:
    """The admin catalog's id for why ``error`` refused the approval."""
    return REFUSALS.get(str(error), T_("The change could not be made."))


__all__ = [
    "CATALOGS", "MAX_SEGMENTS", "REFUSALS", "Entry", "ReviewError", "approve", "catalog_path", "entries",
    "language_names", "refusal_text", "used_in",
]
