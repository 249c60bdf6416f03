"""Run every benchmark in this folder: ``python -m bench`` (or ``make bench``).

Each module with a ``main(argv)`` runs in its own process, one after the other, so one that fails
does not hide the figures of the others. Those with PostgreSQL runs (``inbound_burst``,
``statements``, ``webhook_load``) make them too when ``BOT_BENCH_PG_URL`` (or the tests'
``BOT_TEST_DATABASE_URL``) names a server. ``python -m bench inbound_burst classify`` runs only
those; arguments after ``--`` go to each of them.

Every figure a benchmark prints beside its target (a line with ``target``) is repeated at the end,
so one screen holds the issue's table with the baselines and ratios measured in the same run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"__init__", "__main__", "apps", "harness", "timing"}


def benchmarks() -> list[str]:
    found = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem in HELPERS or path.stem.startswith("_"):
            continue
        if "def main(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
    return found


def run(name: str, args: list[str], summary: list[str]) -> bool:
    """Run one benchmark, echoing what it prints; keep its lines that name a target."""
    title = " ".join([name, *args])
    print(f"== bench.{title} ==", flush=True)
    process = subprocess.Popen(
        [sys.executable, "-m", f"bench.{name}", *args], cwd=HERE.parent,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    assert process.stdout is not None
    for line in process.stdout:
        print(line, end="", flush=True)
        if "target" in line:
            summary.append(f"[{title}] {line.strip()}")
    code = process.wait()
    print(flush=True)
    return code == 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in args:
        extra = args[args.index("--") + 1 :]
        args = args[: args.index("--")]
    names = args or benchmarks()
    unknown = sorted(set(names) - set(benchmarks()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(benchmarks())}")
        return 2
    runs = [(name, extra) for name in names]
    summary: list[str] = []
    failed = [" ".join([name, *more]) for name, more in runs if not run(name, more, summary)]
    print("== figures against their targets, each beside its baseline from the same run ==")
    for line in summary:
        print(line)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
