"""The panel's routes are thin: they call service actions, which query, write and audit.

A route module that builds its own ``select(...)``, commits, or writes an audit entry decides
on its own what the API decides elsewhere, and the two drift apart. ``PENDING`` names the modules
still to be moved to their domain's services; it only shrinks.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTE_CODE = sorted(
    [*ROOT.glob("admin/routes/*.py"), *ROOT.glob("admin/domains/*.py"), ROOT / "admin/timeline.py"]
)
# select( also catches sa_select( and session.exec(select(...)); audit.record( is the action's job.
FORBIDDEN = re.compile(r"\bselect\(|\bsa_select\(|\.commit\(|\baudit\.record\(")

PENDING = frozenset({
    "admin/domains/records_common.py",
})


def _offenders() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in ROUTE_CODE:
        lines = [f"{number}: {line.strip()}" for number, line in enumerate(path.read_text().splitlines(), 1)
                 if FORBIDDEN.search(line) and not line.lstrip().startswith("#")]
        if lines:
            found[str(path.relative_to(ROOT))] = lines
    return found


def test_admin_route_code_neither_queries_nor_commits_nor_audits() -> None:
    new = {name: lines for name, lines in _offenders().items() if name not in PENDING}
    assert not new, "move these into the domain's service actions: " + repr(new)


def test_the_pending_list_names_only_modules_that_still_need_moving() -> None:
    done = sorted(PENDING - set(_offenders()))
    assert not done, f"these are thin now; take them off PENDING: {done}"
