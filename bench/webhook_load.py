"""The inbound webhook under a steady load: 10 s at 32 connections, beside a bare FastAPI endpoint.

    python -m bench.webhook_load                      # SQLite, one process each (and PostgreSQL
                                                      # when BOT_BENCH_PG_URL is set)
    python -m bench.webhook_load --postgres           # only two app instances on PostgreSQL
    python -m bench.webhook_load --seconds 3          # a quick run

A plain run covers SQLite, and PostgreSQL too when ``BOT_BENCH_PG_URL`` (or the tests'
``BOT_TEST_DATABASE_URL``) names a server.

A black-box measurement: each server is a uvicorn process on loopback, started here, driven for
the same time by the same client at the same concurrency with signed Twilio posts (each a new
message from one of the seeded citizens). The bare endpoint parses the same form and answers
empty TwiML without storing anything; the ratio of the two is the price of checking the
signature and storing the message before answering. Afterwards the database is counted: every
post answered 200 must be stored (the webhook answers only once the message is), so a run that
lost one says so. Figures only: nothing here passes or fails on timing.

Targets (issue 17): throughput at least 1/3 of the bare endpoint's on SQLite and 1/4 on
PostgreSQL with two instances; p99 under 50 ms, or within 1.5x of the bare endpoint's p99 in the
same run where even that is slower.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import (
    SAMPLE_BODIES,
    Connection,
    Server,
    citizen_phone,
    describe_statuses,
    inbound_fields,
    new_sid,
    percentile,
    seed_database,
    server_env,
    signed_post,
)

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("BOT_BENCH_PG_URL") or os.environ.get("BOT_TEST_DATABASE_URL")
WARMUP_SECONDS = 1.0
# New posts made ready per second of a run: more than the storing server answers here.
POSTS_PER_SECOND = 4_000

Post = tuple[bytes, dict[str, str]]


@dataclass
class Load:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    ran_out: bool = False

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000

    def line(self) -> str:
        return (
            f"{self.name:<32} {self.rps:>7.0f} req/s   p50 {self.p50_ms:6.1f} ms   p99 {self.p99_ms:6.1f} ms"
            f"   [{describe_statuses(self.statuses)}]"
            + (f"  errors: {dict(self.errors)}" if self.errors else "")
            + ("  (ran out of prepared posts)" if self.ran_out else "")
        )


def make_posts(count: int, citizens: int, seed: int) -> list[Post]:
    rng = random.Random(seed)
    return [
        signed_post(inbound_fields(sid=new_sid(), phone=citizen_phone(rng.randrange(citizens)),
                                   body=rng.choice(SAMPLE_BODIES)))
        for _ in range(count)
    ]


async def _drive(ports: list[int], posts: list[Post], concurrency: int, seconds: float, load: Load,
                 *, repeat: bool = False) -> None:
    """Post from ``posts`` over ``concurrency`` keep-alive connections until ``seconds`` have passed;
    with ``repeat`` (a server that stores nothing) the posts are sent again when they run out."""
    pending = itertools.cycle(posts) if repeat else iter(posts)
    deadline = time.monotonic() + seconds

    async def worker(port: int) -> None:
        connection = Connection(port)
        try:
            while time.monotonic() < deadline:
                post = next(pending, None)
                if post is None:
                    load.ran_out = True
                    return
                body, headers = post
                started = time.perf_counter()
                try:
                    response = await connection.request("POST", "/sms/inbound", body, headers)
                except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
                    load.errors[type(exc).__name__] += 1
                    continue
                load.latencies.append(time.perf_counter() - started)
                load.statuses[response.status] += 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(ports[i % len(ports)]) for i in range(concurrency)))
    load.elapsed = time.perf_counter() - started


def measure(name: str, servers: list[Server], args: argparse.Namespace, seed: int, *,
            stores: bool = True) -> Load:
    """A short warm-up (imports, caches, connection pools), then ``args.seconds`` of load.

    Every post to a server that ``stores`` is a new message (a repeated one would be answered as
    a duplicate); the bare endpoint stores nothing, so its posts may come round again.
    """
    ports = [server.port for server in servers]
    posts = make_posts(int((args.seconds + WARMUP_SECONDS) * POSTS_PER_SECOND), args.citizens, seed)
    asyncio.run(_drive(ports, posts, args.concurrency, WARMUP_SECONDS, Load("warm-up"), repeat=not stores))
    load = Load(name)
    rest = posts[int(WARMUP_SECONDS * POSTS_PER_SECOND):]
    asyncio.run(_drive(ports, rest, args.concurrency, args.seconds, load, repeat=not stores))
    return load


def stored_inbound(database_url: str) -> int:
    from sqlalchemy import text

    from bot.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            count = text("SELECT count(*) FROM message WHERE direction = 'inbound'")
            return int(conn.execute(count).scalar_one())
    finally:
        engine.dispose()


def run(args: argparse.Namespace, workdir: Path, database_url: str, instances: int) -> tuple[Load, Load, int]:
    bare = [Server("bench.apps:bare_app", server_env("sqlite://"), log_path=workdir / f"bare{i}.log").start()
            for i in range(instances)]
    try:
        bare_load = measure(f"bare FastAPI endpoint x{instances}", bare, args, seed=1, stores=False)
    finally:
        for server in bare:
            server.stop()
    seed_database(database_url, citizens=args.citizens)
    label = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    full = [Server("bench.apps:full_app", server_env(database_url), log_path=workdir / f"full{i}.log").start()
            for i in range(instances)]
    try:
        full_load = measure(f"webhook, {label} x{instances}", full, args, seed=2)
    finally:
        for server in full:
            server.stop()
    return bare_load, full_load, stored_inbound(database_url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhook_load", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load per server (default 10)")
    parser.add_argument("--concurrency", type=int, default=32, help="open connections (default 32)")
    parser.add_argument("--citizens", type=int, default=2_000, help="distinct senders (default 2,000)")
    parser.add_argument("--postgres", action="store_true", help="only two app instances on PostgreSQL")
    parser.add_argument("--pg-url", default=PG_URL or DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    lost = 0
    for postgres in [True] if args.postgres else [False] + ([True] if PG_URL else []):
        with tempfile.TemporaryDirectory(prefix="bench-webhook-") as tmp:
            workdir = Path(tmp)
            try:
                if postgres:
                    bare, full, stored = _run_postgres(args, workdir)
                else:
                    bare, full, stored = run(args, workdir, f"sqlite:///{workdir / 'bench.db'}", 1)
            except Exception:
                for log in sorted(workdir.glob("*.log")):
                    print(f"--- {log.name} ---\n{log.read_text()[-3000:]}")
                raise
        lost += report(args, bare, full, stored, floor=0.25 if postgres else 1 / 3)
    return 1 if lost else 0


def report(args: argparse.Namespace, bare: Load, full: Load, stored: int, *, floor: float) -> int:
    """Print one run's figures; how many answered posts were not stored (none, if all is well)."""
    answered = full.statuses.get(200, 0)
    print(f"webhook load: {args.seconds:g} s per server at {args.concurrency} connections")
    print(bare.line())
    print(full.line())
    ratio = full.rps / bare.rps if bare.rps else 0.0
    p99_goal = max(50.0, 1.5 * bare.p99_ms)
    print(f"{full.name}: ratio to bare {ratio:.2f} (target >= {floor:.2f}); p99 {full.p99_ms:.1f} ms "
          f"(target < {p99_goal:.0f} ms: 50 ms, or 1.5x the bare p99 of {bare.p99_ms:.1f} ms)")
    lost = max(0, answered - stored)
    print(f"stored before answering: {answered} answered 200, {stored} stored"
          + (f", {lost} LOST" if lost else ", none lost") + "\n")
    return lost


def _run_postgres(args: argparse.Namespace, workdir: Path) -> tuple[Load, Load, int]:
    from sqlalchemy import text

    from bot.db import make_engine

    schema = f"bench_webhook_{os.getpid()}"
    admin = make_engine(args.pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        return run(args, workdir, f"{args.pg_url}?options=-csearch_path%3D{schema}", 2)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
