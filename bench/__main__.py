"""Run every benchmark in this folder: ``python -m bench`` (or ``make bench``).

Each module with a ``main(argv)`` runs in its own process, one after the other, so one that fails
does not hide the figures of the others. ``python -m bench inbound_burst classify`` runs only
those; arguments after ``--`` go to each of them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"__init__", "__main__", "apps", "harness"}


def benchmarks() -> list[str]:
    found = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem in HELPERS or path.stem.startswith("_"):
            continue
        if "def main(" in path.read_text(encoding="utf-8"):
            found.append(path.stem)
    return found


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
    failed = []
    for name in names:
        print(f"== bench.{name} ==", flush=True)
        code = subprocess.call([sys.executable, "-m", f"bench.{name}", *extra], cwd=HERE.parent)
        if code != 0:
            failed.append(name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
