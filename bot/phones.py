"""Phone numbers in one form (E.164), whatever way a person or a provider wrote them."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

# Digits people type on phones with other keyboards: Eastern Arabic and Persian.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class InvalidPhone(ValueError):
    """The text is not a phone number we can send to."""


def split_channel(address: str) -> tuple[str, str]:
    """``whatsapp:+4520123456`` -> ("whatsapp", "+4520123456"); plain numbers are SMS."""
    address = address.strip()
    if address.lower().startswith("whatsapp:"):
        return "whatsapp", address.split(":", 1)[1]
    return "sms", address


def normalise(raw: str, region: str = "DK") -> str:
    """The E.164 form of ``raw``: "+45 20 12 34 56", "0045 20123456", "20123456" are equal."""
    text = (raw or "").translate(_DIGITS).strip()
    if not text:
        raise InvalidPhone("phone number is empty")
    _, text = split_channel(text)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"'{raw}' is not a phone number") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhone(f"'{raw}' is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# People write from the same few thousand numbers again and again, and parsing one costs more
# than storing the message it came with: the answers (pure) are kept for the busiest numbers.
@lru_cache(maxsize=8192)
def try_normalise(raw: str, region: str = "DK") -> str | None:
    """The E.164 form of ``raw``, or None when it is not a phone number."""
    try:
        return normalise(raw, region)
    except InvalidPhone:
        return None
