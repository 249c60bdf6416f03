"""How long does finding an open item by key take once items merge per person?

Fills a SQLite file with open sick-notice items, each standing for two notices of one citizen
(its own key and a merged one), then times ``items.by_key`` for the key an item holds (the
baseline: one indexed lookup), for a merged key (found through the stored JSON) and for a key
no item has (the search comes back empty).

    .venv/bin/python -m bench.item_keys                   # 500 and 20,000 open items
    .venv/bin/python -m bench.item_keys --items 2000 --calls 500
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

import bot.tables
from bot.contacts.models import Citizen
from bot.db import make_engine
from bot.items import service as items
from bot.items.models import OpenItem

NOW = datetime(2026, 11, 24, 7, tzinfo=UTC)


def _per_call(fn: Callable[[int], object], calls: int) -> float:
    start = time.perf_counter()
    for k in range(calls):
        fn(k)
    return (time.perf_counter() - start) / calls * 1000


def measure(count: int, calls: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'items.db'}")
        bot.tables.metadata.create_all(engine)
        with Session(engine) as s:
            s.add_all([Citizen(name=f"c{i}", phone=f"+45{20000000 + i}") for i in range(count)])
            s.commit()
            s.add_all([
                OpenItem(kind="sick_notice", citizen_id=i + 1, dedupe_key=f"sick_notice:{i}", created_at=NOW,
                         details={items.KEYS: [f"sick_notice:{i}", f"sick_notice:{count + i}"]})
                for i in range(count)
            ])
            s.commit()
        with Session(engine) as s:
            held = _per_call(lambda k: items.by_key(s, f"sick_notice:{k * 97 % count}"), calls)
            merged = _per_call(lambda k: items.by_key(s, f"sick_notice:{count + k * 97 % count}"), calls)
            unknown = _per_call(lambda k: items.by_key(s, f"sick_notice:{3 * count + k}"), calls)
        engine.dispose()
    return (f"{count} open items, ms per by_key: held key (baseline) {held:.2f}, merged key {merged:.2f}, "
            f"unknown key {unknown:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, action="append", help="open items (repeatable)")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    for count in args.items or [500, 20_000]:
        print(measure(count, args.calls), flush=True)


if __name__ == "__main__":
    main()
