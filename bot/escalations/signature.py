"""The staff signature is added once: a sign-off staff typed themselves is taken off the body.

Answers go out as "<body> /<first name>, kommunen (sag V-...)". Staff who end their answer
with "Mvh Mette" or "Kind regards, Mette Hansen" would otherwise be signed twice.
"""

from __future__ import annotations

import re

_CLOSINGS = (
    r"med venlig hilsen|venlig hilsen|de bedste hilsner|bedste hilsner|mange hilsner|hilsen|mvh|vh"
    r"|kind regards|best regards|regards|best wishes"
)


def without_own_sign_off(body: str, staff_name: str) -> str:
    """``body`` without a trailing sign-off naming the staff member (or a bare "/Mette")."""
    names = [re.escape(part) for part in staff_name.split() if part]
    if not names:
        return body.strip()
    name = rf"(?:{'|'.join(names)})(?:\s+(?:{'|'.join(names)}))*"
    tail = re.compile(
        rf"\s*[,;-]?\s*(?:\b(?:{_CLOSINGS})[\s,.;:!-]*(?:{name})?|[/-]\s*{name})[\s,.;:!]*(?:kommunen)?[\s.]*$",
        re.IGNORECASE,
    )
    stripped = tail.sub("", body.strip())
    return stripped.strip() or body.strip()
