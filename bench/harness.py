"""What the benchmarks and the fault tests share: a real server process, signed Twilio posts,
seeded citizens and a small keep-alive HTTP client.

The client is a few lines of asyncio rather than httpx: on a two-core machine the load generator
shares the CPU with the server, and a lean client keeps the figures about the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "b" * 32
PUBLIC_URL = "https://bot.example.dk"
INBOUND_PATH = "/sms/inbound"
SERVICE_NUMBER = "+4570200000"

# What citizens write, in the scripts they write it in.
SAMPLE_BODIES = (
    "Jeg er syg i dag",
    "I am sick today, I cannot come",
    "ana mareed alyoom",
    "أنا مريض اليوم ولا أستطيع الحضور",
    "من امروز مریض هستم",
    "ዛሬ ሓሚመ ኣለኹ",
    "Maanta waan jiranahay",
    "Я сьогодні хворий",
    "Ez îro nexweş im",
    "ja",
    "nej",
    "kommer 🙂",
    "١٢",
    "Hvornår er mit næste møde?",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def citizen_phone(index: int) -> str:
    return f"+4521{index:06d}"


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def inbound_fields(*, sid: str, phone: str, body: str) -> dict[str, str]:
    """A Twilio inbound SMS webhook form, as Twilio sends it."""
    return {
        "ToCountry": "DK",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": SERVICE_NUMBER,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": phone,
        "ApiVersion": "2010-04-01",
    }


def signature(
    fields: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    path: str = INBOUND_PATH,
    token: str = AUTH_TOKEN,
    public_url: str = PUBLIC_URL,
) -> str:
    """X-Twilio-Signature for a post of ``fields`` to ``public_url + path``."""
    from bot.channels.routes import Fields  # the form as the webhook reads it

    pairs = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
    multi = Fields()
    for name, value in pairs:
        multi.setdefault(name, []).append(value)
    return str(RequestValidator(token).compute_signature(public_url.rstrip("/") + path, multi))


def signed_post(
    fields: Mapping[str, str] | Iterable[tuple[str, str]], *, path: str = INBOUND_PATH,
    token: str = AUTH_TOKEN, public_url: str = PUBLIC_URL,
) -> tuple[bytes, dict[str, str]]:
    pairs = list(fields.items()) if isinstance(fields, Mapping) else list(fields)
    body = urlencode(pairs).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(pairs, path=path, token=token, public_url=public_url),
    }
    return body, headers


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for ``bench.apps:full_app``: simulator, scheduler off, quiet logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(
        {
            "BOT_DATABASE_URL": database_url,
            "BOT_SMS_TRANSPORT": "simulator",
            "BOT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "BOT_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "BOT_PUBLIC_URL": PUBLIC_URL,
            "BOT_SECRET_KEY": "bench-secret-key-not-for-production",
            "BOT_SCHEDULER_ENABLED": "false",
            "BOT_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def seed_database(database_url: str, *, citizens: int, schema: str | None = None) -> None:
    """Create every table and ``citizens`` citizens with distinct phones and mixed languages."""
    import bot.tables
    from bot.contacts.models import Citizen
    from bot.db import make_engine

    languages = ("da", "ar", "fa", "ti", "so", "uk", "ku", "en", "ps")
    engine = make_engine(database_url, schema=schema)
    try:
        bot.tables.metadata.create_all(engine)
        from sqlmodel import Session

        with Session(engine) as session:
            session.add_all(
                Citizen(name=f"Borger {i}", phone=citizen_phone(i), language=languages[i % len(languages)])
                for i in range(citizens)
            )
            session.commit()
    finally:
        engine.dispose()


@dataclass
class Server:
    """One uvicorn process serving ``factory`` on a loopback port."""

    factory: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, *, ready_timeout: float = 30.0) -> Server:
        command = [
            sys.executable, "-m", "uvicorn", "--factory", self.factory,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "5",
        ]
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        self.wait_ready(ready_timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if sock.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"server on port {self.port} not ready after {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what a power cut or OOM kill does."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@dataclass
class Response:
    status: int
    body: bytes


class Connection:
    """One keep-alive HTTP/1.1 connection (Content-Length and chunked bodies)."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.port = port
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def request(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> Response:
        try:
            return await asyncio.wait_for(self._request(method, path, body, headers), self.timeout)
        except BaseException:
            await self.close()
            raise

    async def _request(self, method: str, path: str, body: bytes, headers: Mapping[str, str]) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self._reader is not None and self._writer is not None
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        head.extend(f"{k}: {v}" for k, v in headers.items())
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self._writer.drain()
        status_line = await self._reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before a response")
        status = int(status_line.split()[1])
        response_headers: dict[str, str] = {}
        while True:
            line = await self._reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            response_headers[name.strip().lower()] = value.strip()
        if "content-length" in response_headers:
            payload = await self._reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding", "").lower() == "chunked":
            payload = await self._read_chunked()
        else:
            payload = await self._reader.read()
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, payload)

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self._reader.readline()
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readline()


@dataclass
class Drain:
    """What the inbound workers did with the burst: counted in the database, not by the client."""

    seconds_after_burst: float
    processed: int
    failed: int
    waiting: int
    # Processed when the last post was answered: the rest was interpreted with the webhook idle.
    processed_during_burst: int = 0

    def rate(self, burst_seconds: float) -> float:
        """Messages interpreted and answered per second, over the whole run."""
        total = burst_seconds + self.seconds_after_burst
        return self.processed / total if total else 0.0

    def line(self, burst_seconds: float) -> str:
        done = "all processed" if not self.waiting else "stopped waiting"
        after = self.processed - self.processed_during_burst
        alone = after / self.seconds_after_burst if self.seconds_after_burst else 0.0
        return (
            f"processed {self.processed}, failed {self.failed}, still waiting {self.waiting}; "
            f"{done} {self.seconds_after_burst:.1f} s after the last post "
            f"({self.rate(burst_seconds):.0f} messages/s over the whole run; {self.processed_during_burst} "
            f"during the burst, then {alone:.0f}/s with the webhook idle)"
        )


def inbound_counts(database_url: str) -> dict[str, int]:
    """Inbound messages by status, right now."""
    from sqlalchemy import text

    from bot.db import make_engine

    engine = make_engine(database_url)
    count = text("SELECT status, count(*) FROM message WHERE direction = 'inbound' GROUP BY status")
    try:
        with engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(count)}
    finally:
        engine.dispose()


def wait_processed(database_url: str, time_limit: float) -> Drain:
    """Poll until no inbound message is left ``received``; how long that took, and the counts."""
    started = time.perf_counter()
    while True:
        counts = inbound_counts(database_url)
        waiting = counts.get("received", 0)
        elapsed = time.perf_counter() - started
        if waiting == 0 or elapsed > time_limit:
            return Drain(elapsed, counts.get("processed", 0), counts.get("process_failed", 0), waiting)
        time.sleep(0.25)


def rss_of_tree(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (0 once it is gone)."""
    import psutil

    try:
        process = psutil.Process(pid)
        total = int(process.memory_info().rss)
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += int(child.memory_info().rss)
        return total
    except psutil.Error:
        return 0


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def describe_statuses(statuses: Mapping[int, int]) -> str:
    return ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
