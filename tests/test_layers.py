"""The panel's and the API's routes are thin: they call service actions, which query, write and audit.

A route module that builds its own ``select(...)``, commits, or writes an audit entry decides
on its own what the other interface decides elsewhere, and the two drift apart. ``PENDING`` and
``PENDING_API`` name the modules still to be moved to their domain's services; they only shrink.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTE_CODE = sorted(
    [*ROOT.glob("admin/routes/*.py"), *ROOT.glob("admin/domains/*.py"), ROOT / "admin/timeline.py"]
)
API_ROUTE_CODE = sorted(
    {*ROOT.glob("bot/**/routes.py"), *ROOT.glob("bot/**/*_routes.py"), *ROOT.glob("bot/api/*.py")}
)
# select( also catches sa_select( and session.exec(select(...)); audit.record( is the action's job.
FORBIDDEN = re.compile(r"\bselect\(|\bsa_select\(|\.commit\(|\baudit\.record\(")

PENDING: frozenset[str] = frozenset()


PENDING_API: frozenset[str] = frozenset()


def _offenders(code: list[Path] = ROUTE_CODE) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in code:
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


def test_api_route_code_neither_queries_nor_commits_nor_audits() -> None:
    new = {name: lines for name, lines in _offenders(API_ROUTE_CODE).items() if name not in PENDING_API}
    assert not new, "move these into the domain's service actions: " + repr(new)


def test_the_api_pending_list_names_only_modules_that_still_need_moving() -> None:
    done = sorted(PENDING_API - set(_offenders(API_ROUTE_CODE)))
    assert not done, f"these are thin now; take them off PENDING_API: {done}"


def test_only_conversations_read_the_engines_state() -> None:
    """Where a conversation stands is asked through ``conversations.flow_state.position``; a
    domain reading the state dict would break silently when the engine's state changes shape."""
    reading = re.compile(r"""\.get\(["']engine["']\)|\[["']engine["']\]""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("admin/**/*.py")]
        if not path.is_relative_to(ROOT / "bot/conversations") and not path.is_relative_to(ROOT / "bot/flows")
        and reading.search(path.read_text())
    ]
    assert not offenders, offenders


# What a domain may take from the citizen's responder: running a flow and its global commands.
# Starting, ending and asking where a flow stands go through ``conversations.flow_state``.
RESPONDER_PUBLIC = {"handle_global_command", "run_flow", "apply_result", "respond_citizen"}


def test_domains_move_conversations_only_through_flow_state() -> None:
    import ast

    offenders = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("admin/**/*.py")]:
        if path.is_relative_to(ROOT / "bot/conversations"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("bot.conversations"):
                continue
            names = {alias.name for alias in node.names}
            private = {name for name in names if name.startswith("_")}
            outside = names - RESPONDER_PUBLIC if node.module == "bot.conversations.responder" else set()
            if private | outside:
                offenders.append(f"{path.relative_to(ROOT)}: {node.module} {sorted(private | outside)}")
    assert not offenders, offenders


# The roots compose the app; everything else is handed what it needs (``bot.jobs.JobContext``,
# ``DeliveryPeers``), so a domain never reaches up into the list of domains it belongs to.
COMPOSITION_ROOTS = {
    "bot/composition.py", "bot/app.py", "bot/cli.py", "bot/chat_cli.py", "bot/wiring.py", "bot/jobs.py",
}


def test_only_the_roots_import_the_composition() -> None:
    import ast

    offenders = []
    for path in ROOT.glob("bot/**/*.py"):
        name = path.relative_to(ROOT).as_posix()
        if name in COMPOSITION_ROOTS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            if any(module == "bot.composition" or module.startswith("bot.composition.") for module in modules):
                offenders.append(f"{name}:{node.lineno}")
    assert not offenders, "hand these what they need instead of importing bot.composition: " + repr(offenders)
