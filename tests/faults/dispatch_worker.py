"""One outbox dispatcher process for the crash-while-sending test.

    python -m tests.faults.dispatch_worker <database url> <fake twilio url>

Sends through the real twilio client until nothing is due, then exits.
"""

from __future__ import annotations

import sys

from bot.channels.dispatcher import dispatch
from bot.channels.twilio_transport import TwilioTransport
from bot.clock import utcnow
from bot.composition import delivery_peers
from bot.config import Settings
from bot.db import make_engine
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN

PEERS = delivery_peers()

FROM_NUMBER = "+4570200000"


def main(database_url: str, twilio_url: str) -> int:
    settings = Settings(
        database_url=database_url, sms_transport="twilio", twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN, twilio_api_url=twilio_url, twilio_from_number=FROM_NUMBER,
        public_url="https://bot.example.dk", secret_key="test-secret", demo=True, scheduler_enabled=False,
        sms_max_per_second=1000, _env_file=None,  # type: ignore[call-arg]
    )
    transport = TwilioTransport(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_url=twilio_url,
                                from_number=FROM_NUMBER, timeout_seconds=5)
    engine = make_engine(database_url)
    try:
        while dispatch(engine, settings, transport, utcnow(), limit=20, peers=PEERS).handled:
            pass
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
