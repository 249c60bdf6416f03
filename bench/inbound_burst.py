"""Inbound burst: signed Twilio webhook posts against the real server and a bare FastAPI endpoint.

    python -m bench.inbound_burst                    # 20,000 posts from 2,000 citizens, SQLite
    python -m bench.inbound_burst --requests 2000    # a quick run
    python -m bench.inbound_burst --postgres         # only 2, then 4 app instances on PostgreSQL
    python -m bench.inbound_burst --postgres --instances 1,2,4

Both servers run as uvicorn processes on loopback, one after the other, driven by the same
client at the same concurrency. Prints requests per second, p50 and p99 latency, the ratio of
the full pipeline to the bare endpoint, and the peak resident memory of each serving process.
Figures only: nothing here passes or fails on timing. Targets (issue 8): ratio 1/3 or better,
p99 under 50 ms, peak memory under 250 MB.

The webhook answers once a message is stored; each server's inbound worker interprets it and
queues the replies afterwards, giving way to the webhook while posts arrive. So the run goes on
until every message is processed, and prints how long that took after the last post and the
processing rate over the whole run: the figures for the citizen waiting for an answer. The
last lines set that rate against the webhook's own rate in the same run (issue 17), and on
PostgreSQL each instance count against the first. A plain run covers SQLite, and PostgreSQL too
when ``BOT_BENCH_PG_URL`` (or the tests' ``BOT_TEST_DATABASE_URL``) names a server.

Where more instances stop helping: at two. On PostgreSQL interpreting is one stream whatever the
number of instances: the ledger is one hash chain in id order, so every transaction that writes
a message holds its lock from drawing the first id to its commit, and a batch writes replies and
receipts from its first message on (the sick notices' shared reference counter row would
serialise them too). Batches therefore take the lock before claiming and run one after the
other; instances add only the webhook's CPU work (parsing, signatures) beside it, plus lock
handoffs and idle batches asking for the lock, which on a machine with two cores cost more than
they bring. Interpreting in parallel would need a chain ordered at commit rather than by id.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from bench.harness import (
    SAMPLE_BODIES,
    Connection,
    Drain,
    Server,
    citizen_phone,
    describe_statuses,
    inbound_counts,
    inbound_fields,
    new_sid,
    percentile,
    rss_of_tree,
    seed_database,
    server_env,
    signed_post,
    wait_processed,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# With one of these set, a plain run (``make bench``) also runs the PostgreSQL instances.
PG_URL = os.environ.get("BOT_BENCH_PG_URL") or os.environ.get("BOT_TEST_DATABASE_URL")
WARMUP = 200
MB = 1024 * 1024


@dataclass
class LoadResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    peak_rss: dict[int, int] = field(default_factory=dict)
    drain: Drain | None = None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def line(self) -> str:
        p50 = percentile(self.latencies, 0.50) * 1000
        p99 = percentile(self.latencies, 0.99) * 1000
        memory = " + ".join(f"{rss / MB:.0f}" for rss in self.peak_rss.values())
        return (
            f"{self.name:<28} {self.rps:>8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   "
            f"peak RSS {memory} MB   [{describe_statuses(self.statuses)}]"
            + (f"  errors: {dict(self.errors)}" if self.errors else "")
            + (f"\n{'':<28} {self.drain.line(self.elapsed)}" if self.drain else "")
        )


def make_posts(count: int, citizens: int, seed: int) -> list[tuple[bytes, dict[str, str]]]:
    rng = random.Random(seed)
    posts = []
    for _ in range(count):
        fields = inbound_fields(
            sid=new_sid(), phone=citizen_phone(rng.randrange(citizens)), body=rng.choice(SAMPLE_BODIES)
        )
        posts.append(signed_post(fields))
    return posts


class MemorySampler:
    """Samples the resident memory of the serving processes until stopped; keeps the peak."""

    def __init__(self, pids: list[int], interval: float = 0.05) -> None:
        self.peak = dict.fromkeys(pids, 0)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in self.peak:
                self.peak[pid] = max(self.peak[pid], rss_of_tree(pid))
            self._stop.wait(self._interval)


async def drive(
    ports: list[int], posts: list[tuple[bytes, dict[str, str]]], concurrency: int, deadline: float,
    result: LoadResult,
) -> None:
    """Send every post over ``concurrency`` keep-alive connections spread across ``ports``."""
    queue: asyncio.Queue[tuple[bytes, dict[str, str]]] = asyncio.Queue()
    for post in posts:
        queue.put_nowait(post)

    async def worker(port: int) -> None:
        connection = Connection(port)
        try:
            while not queue.empty() and time.monotonic() < deadline:
                body, headers = queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await connection.request("POST", "/sms/inbound", body, headers)
                except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
                    result.errors[type(exc).__name__] += 1
                    continue
                result.latencies.append(time.perf_counter() - started)
                result.statuses[response.status] += 1
        finally:
            await connection.close()

    await asyncio.gather(*(worker(ports[i % len(ports)]) for i in range(concurrency)))


def measure(
    name: str, servers: list[Server], posts: list[tuple[bytes, dict[str, str]]], concurrency: int,
    time_limit: float, database_url: str | None = None,
) -> LoadResult:
    """Warm up, then send the rest; with ``database_url``, also wait until all is processed."""
    ports = [server.port for server in servers]
    warmup = LoadResult(name)
    asyncio.run(drive(ports, posts[:WARMUP], concurrency, time.monotonic() + 60, warmup))
    before = wait_processed(database_url, time_limit) if database_url else None
    result = LoadResult(name)
    with MemorySampler([server.pid for server in servers]) as sampler:
        started = time.perf_counter()
        asyncio.run(drive(ports, posts[WARMUP:], concurrency, time.monotonic() + time_limit, result))
        result.elapsed = time.perf_counter() - started
        if database_url and before:
            during = inbound_counts(database_url).get("processed", 0) - before.processed
            after = wait_processed(database_url, time_limit)
            result.drain = replace(after, processed=after.processed - before.processed,
                                   failed=after.failed - before.failed, processed_during_burst=during)
    result.peak_rss = dict(sampler.peak)
    return result


def _extra_env(args: argparse.Namespace) -> dict[str, str]:
    return {k: v for k, v in (item.split("=", 1) for item in args.env)}


def run_sqlite(args: argparse.Namespace, workdir: Path) -> tuple[LoadResult, list[LoadResult]]:
    total = args.requests + WARMUP
    bare_posts = make_posts(total, args.citizens, seed=1)
    full_posts = make_posts(total, args.citizens, seed=2)
    bare = Server("bench.apps:bare_app", server_env("sqlite://"), log_path=workdir / "bare.log").start()
    try:
        bare_result = measure("bare FastAPI form endpoint", [bare], bare_posts, args.concurrency,
                              args.time_limit)
    finally:
        bare.stop()
    url = f"sqlite:///{workdir / 'bench.db'}"
    seed_database(url, citizens=args.citizens)
    env = server_env(url, **_extra_env(args))
    full = Server("bench.apps:full_app", env, log_path=workdir / "full.log").start()
    try:
        full_result = measure("full inbound (SQLite)", [full], full_posts, args.concurrency, args.time_limit,
                              database_url=url)
    finally:
        full.stop()
    return bare_result, [full_result]


def run_postgres(args: argparse.Namespace, workdir: Path) -> tuple[LoadResult, list[LoadResult]]:
    """Two bare processes, then the full app with each of ``--instances`` (a fresh schema each)."""
    total = args.requests + WARMUP
    bare_posts = make_posts(total, args.citizens, seed=1)
    bare = [
        Server("bench.apps:bare_app", server_env("sqlite://"), log_path=workdir / f"bare{i}.log").start()
        for i in range(2)
    ]
    try:
        bare_result = measure("bare FastAPI, 2 processes", bare, bare_posts, args.concurrency,
                              args.time_limit)
    finally:
        for server in bare:
            server.stop()
    results = []
    for count in args.instances:
        results.append(_full_on_postgres(args, workdir, count, make_posts(total, args.citizens, seed=2)))
    return bare_result, results


def _full_on_postgres(
    args: argparse.Namespace, workdir: Path, count: int, posts: list[tuple[bytes, dict[str, str]]]
) -> LoadResult:
    from sqlalchemy import text

    from bot.db import make_engine

    schema = f"bench_{os.getpid()}_{count}"
    admin = make_engine(args.pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{args.pg_url}?options=-csearch_path%3D{schema}"
    try:
        seed_database(url, citizens=args.citizens)
        full = [
            Server("bench.apps:full_app", server_env(url, **_extra_env(args)),
                   log_path=workdir / f"full{count}_{i}.log").start()
            for i in range(count)
        ]
        try:
            return measure(f"full inbound, {count} x PostgreSQL", full, posts, args.concurrency,
                           args.time_limit, database_url=url)
        finally:
            for server in full:
                server.stop()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _interpreting(full: LoadResult, bare: LoadResult, baseline: LoadResult | None) -> str:
    """The keep-pace figures (issue 17): interpreted per second against the webhook's own rate."""
    if full.drain is None:
        return ""
    rate = full.drain.rate(full.elapsed)
    line = (f"  {full.name}: interpreted and answered {rate:.0f} msg/s = {rate / full.rps:.2f} of its "
            f"webhook's {full.rps:.0f} req/s ({rate / bare.rps:.2f} of the bare endpoint's)")
    if baseline is not None and baseline.drain is not None and baseline is not full:
        first = baseline.drain.rate(baseline.elapsed)
        line += f"; x{rate / first:.2f} the rate of {baseline.name}" if first else ""
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inbound_burst", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000, help="signed posts to send (default 20,000)")
    parser.add_argument("--citizens", type=int, default=2_000, help="distinct senders (default 2,000)")
    parser.add_argument("--concurrency", type=int, default=32, help="open connections (default 32)")
    parser.add_argument("--time-limit", type=float, default=600.0, help="stop after this many seconds")
    parser.add_argument("--env", action="append", default=[], metavar="BOT_X=value",
                        help="extra setting for the full server (repeatable)")
    parser.add_argument("--postgres", action="store_true", help="only the PostgreSQL runs")
    parser.add_argument("--instances", type=lambda v: [int(n) for n in v.split(",")], default=[2, 4],
                        help="app instances per PostgreSQL run, comma-separated (default 2,4)")
    parser.add_argument("--pg-url", default=PG_URL or DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    runs = [run_postgres] if args.postgres else [run_sqlite] + ([run_postgres] if PG_URL else [])
    for runner in runs:
        with tempfile.TemporaryDirectory(prefix="bench-inbound-") as tmp:
            workdir = Path(tmp)
            try:
                bare, fulls = runner(args, workdir)
            except Exception:
                for log in sorted(workdir.glob("*.log")):
                    print(f"--- {log.name} ---\n{log.read_text()[-3000:]}")
                raise
        report(args, bare, fulls)
    return 0


def report(args: argparse.Namespace, bare: LoadResult, fulls: list[LoadResult]) -> None:
    print(f"inbound burst: {args.requests} signed posts, {args.citizens} citizens, "
          f"{args.concurrency} connections, {os.cpu_count()} CPUs")
    print(bare.line())
    for full in fulls:
        print(full.line())
    for full in fulls:
        ratio = full.rps / bare.rps if bare.rps else 0.0
        print(f"{full.name}: ratio full/bare {ratio:.2f} (target >= 0.33); p99 "
              f"{percentile(full.latencies, 0.99) * 1000:.1f} ms (target < 50 ms); peak RSS per process "
              f"{max(full.peak_rss.values(), default=0) / MB:.0f} MB (target < 250 MB)")
    print("keeping pace (targets: SQLite >= 600 msg/s and >= 0.5 of the webhook's rate; "
          "PostgreSQL >= 300 msg/s):")
    for full in fulls:
        print(_interpreting(full, bare, fulls[0]))
    print()


if __name__ == "__main__":
    raise SystemExit(main())
