"""A local fake of Twilio's REST API: a real HTTP server on 127.0.0.1, in a thread.

It speaks just enough of ``/2010-04-01/Accounts/{sid}/Messages`` for the official twilio
client (and serves inbound media files added with ``add_media``, behind Basic auth): create (form post, Basic auth) and fetch (``GET .../Messages/{MessageSid}.json``, which
answers the status a test set with ``set_status``). Every request is recorded. A test can have
it report a status before it answers a create (``before_create_answer``), as Twilio's callback
sometimes overtakes its own HTTP answer. A test can tell it
to answer the next requests with a throttle (429), a server error (500), a refusal with a
Twilio error code (21211 invalid number, 21610 unsubscribed), or to stall past the client's
timeout.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from bot.channels.twilio_transport import TwilioTransport
from bot.config import Settings

ACCOUNT_SID = "AC" + "f" * 32
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC\w+)/Messages(?:/(?P<sid>\w+))?\.json$")

ERROR_TEXT = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    form: dict[str, str]
    headers: dict[str, str]
    authorised: bool


@dataclass
class Fault:
    kind: str  # "http" or "stall"
    status: int = 500
    code: int | None = None
    stall_seconds: float = 0.0
    # After a stall: True = Twilio took the message although the caller gave up waiting.
    accept_after_stall: bool = False


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    requests: list[RecordedRequest] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    _faults: deque[Fault] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)
    # Called with each created message before the create call is answered.
    before_create_answer: Callable[[dict[str, Any]], None] | None = None
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    # Files served at /2010-04-01/Accounts/{sid}/Messages/{MM}/Media/{ME} (Basic auth, as Twilio).
    media: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    # -- control -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, count: int = 1, *, status: int = 500, code: int | None = None) -> None:
        """Answer the next ``count`` requests with ``status`` (and a Twilio error ``code``)."""
        with self._lock:
            for _ in range(count):
                self._faults.append(Fault("http", status=status, code=code))

    def refuse_next(self, code: int, count: int = 1) -> None:
        """A 400 refusal of the message, e.g. 21211 (invalid number) or 21610 (unsubscribed)."""
        self.fail_next(count, status=400, code=code)

    def stall_next(self, count: int = 1, *, seconds: float = 5.0, accept: bool = False) -> None:
        """Hold the next requests open for ``seconds`` (or until stop).

        Then drop them unanswered and unstored, or with ``accept`` store the message as Twilio
        may do when the caller has timed out (the ambiguous case).
        """
        with self._lock:
            for _ in range(count):
                self._faults.append(Fault("stall", stall_seconds=seconds, accept_after_stall=accept))

    def add_media(self, content_type: str, data: bytes) -> str:
        """Serve ``data`` as an inbound message's media file; returns the URL Twilio would post."""
        path = f"/2010-04-01/Accounts/{self.account_sid}/Messages/MM{uuid.uuid4().hex}/Media/ME{uuid.uuid4().hex}"
        with self._lock:
            self.media[path] = (content_type, data)
        return self.url + path

    def media_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if "/Media/" in r.path]

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> None:
        with self._lock:
            self.messages[sid]["status"] = status
            self.messages[sid]["error_code"] = error_code

    def fetch_requests(self) -> list[RecordedRequest]:
        """The ``GET`` of single messages: the client's ``messages(sid).fetch()``."""
        with self._lock:
            return [r for r in self.requests if r.method == "GET"]

    def created(self) -> list[dict[str, Any]]:
        """The messages the fake accepted, oldest first."""
        with self._lock:
            return list(self.messages.values())

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        return [m for m in self.created() if m["to"] == to]

    def create_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == "POST"]

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeTwilio:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_GET(self) -> None:
                fake._handle(self, "GET")

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- the API -----------------------------------------------------------------------------
    def _authorised(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == self.account_sid and password == self.auth_token

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode() if length else ""
        form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        path = handler.path.split("?", 1)[0]
        authorised = self._authorised(handler.headers.get("Authorization"))
        with self._lock:
            self.requests.append(
                RecordedRequest(method, path, form, dict(handler.headers.items()), authorised)
            )
            fault = self._faults.popleft() if self._faults else None
        if fault is not None and fault.kind == "stall":
            self._release.wait(fault.stall_seconds)
            if not fault.accept_after_stall:
                handler.close_connection = True
                return
            fault = None
        if fault is not None:
            self._error(handler, fault.status, fault.code or fault.status)
            return
        if "/Media/" in path:
            self._serve_media(handler, path, authorised)
            return
        match = _MESSAGES.match(path)
        if match is None:
            self._error(handler, 404, 20404)
            return
        if not authorised or match["account"] != self.account_sid:
            self._error(handler, 401, 20003)
            return
        if method == "POST" and match["sid"] is None:
            self._create(handler, form)
        elif method == "GET" and match["sid"] is not None:
            with self._lock:
                found = self.messages.get(match["sid"])
            if found is None:
                self._error(handler, 404, 20404)
            else:
                self._json(handler, 200, dict(found, date_updated=formatdate(usegmt=True)))
        else:
            self._error(handler, 405, 20004)

    def _create(self, handler: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        to = form.get("To", "")
        sender = form.get("From") or ""
        service = form.get("MessagingServiceSid")
        if not to:
            self._error(handler, 400, 21604, "A 'To' phone number is required.")
            return
        if not (sender or service):
            self._error(handler, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required")
            return
        if not form.get("Body"):
            self._error(handler, 400, 21602, "Message body is required.")
            return
        sid = "SM" + uuid.uuid4().hex
        now = formatdate(usegmt=True)
        message = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender or None,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service else "queued",
            "status_callback": form.get("StatusCallback"),
            "subresource_uris": {
                "media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media.json"
            },
            "to": to,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self.messages[sid] = message
        if self.before_create_answer is not None:
            self.before_create_answer(dict(message))
        self._json(handler, 201, message)

    def _serve_media(self, handler: BaseHTTPRequestHandler, path: str, authorised: bool) -> None:
        if not authorised:
            self._error(handler, 401, 20003)
            return
        with self._lock:
            found = self.media.get(path)
        if found is None:
            self._error(handler, 404, 20404)
            return
        content_type, data = found
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        try:
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def _error(self, handler: BaseHTTPRequestHandler, status: int, code: int, text: str = "") -> None:
        self._json(
            handler,
            status,
            {
                "code": code,
                "message": text or ERROR_TEXT.get(code, "Error"),
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
        )

    @staticmethod
    def _json(handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        try:
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The caller gave up (a timeout test): nobody is left to read the answer.
            handler.close_connection = True


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Callers that time out close their socket; that is the test, not a failure.
        pass


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    try:
        yield fake
    finally:
        fake.stop()


# The number our app sends from in tests that talk to the fake.
FROM_NUMBER = "+4570102030"


@pytest.fixture
def twilio_settings(fake_twilio: FakeTwilio) -> Settings:
    """Settings for the twilio transport, pointed at the fake."""
    return Settings(
        database_url="sqlite://",
        sms_transport="twilio",
        twilio_account_sid=fake_twilio.account_sid,
        twilio_auth_token=fake_twilio.auth_token,
        twilio_api_url=fake_twilio.url,
        twilio_from_number=FROM_NUMBER,
        public_url="https://bot.example.dk",
        secret_key="test-secret",
        demo=True,
        scheduler_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def twilio_transport(fake_twilio: FakeTwilio) -> TwilioTransport:
    # A short client timeout, so a stalled Twilio costs a test a fraction of a second.
    return TwilioTransport(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        api_url=fake_twilio.url,
        from_number=FROM_NUMBER,
        timeout_seconds=0.3,
    )
