"""Every admin text has a Danish translation, and no SMS message id leaks into the admin catalog."""

from __future__ import annotations

from babel.messages.pofile import read_po

from admin.i18n import LOCALES_DIR


def _read(path):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return read_po(fh)


def test_every_admin_text_is_translated_to_danish() -> None:
    template = _read(LOCALES_DIR / "admin.pot")
    danish = _read(LOCALES_DIR / "da" / "LC_MESSAGES" / "admin.po")
    missing = [m.id for m in template if m.id and not (danish.get(m.id) and danish.get(m.id).string)]
    assert missing == []


def test_placeholders_survive_translation() -> None:
    import re

    danish = _read(LOCALES_DIR / "da" / "LC_MESSAGES" / "admin.po")
    for message in danish:
        if message.id:
            assert set(re.findall(r"\{\w+\}", message.id)) == set(re.findall(r"\{\w+\}", message.string)), (
                message.id
            )


def test_admin_texts_stay_out_of_the_sms_catalog() -> None:
    """The SMS extraction reads _ and N_ in every Python file; admin texts use T_ and tr()."""
    from pathlib import Path

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    admin_dir = LOCALES_DIR.parent
    found = set()
    for path in Path(admin_dir).rglob("*.py"):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=DEFAULT_KEYWORDS
        ):
            found.add(message)
    assert found == {"staff.message"}
