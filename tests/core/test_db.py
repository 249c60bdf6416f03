from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from bot.channels.models import Direction, Message, MessageStatus
from bot.config import ConfigError, Settings


def test_timestamps_come_back_aware_utc(engine):
    local = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    with Session(engine) as s:
        s.add(Message(direction=Direction.inbound, phone="+4520123456",
                      status=MessageStatus.received, created_at=local))
        s.commit()
    with Session(engine) as s:
        row = s.exec(select(Message)).one()
    assert row.created_at == local
    assert row.created_at.tzinfo is not None
    assert row.created_at.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused(engine):
    with Session(engine) as s:
        s.add(Message(direction=Direction.inbound, phone="+4520123456",
                      status=MessageStatus.received, created_at=datetime(2026, 1, 1)))
        with pytest.raises(Exception, match="naive datetime"):
            s.commit()


@pytest.mark.parametrize(
    ("missing", "variable"),
    [
        ("twilio_account_sid", "BOT_TWILIO_ACCOUNT_SID"),
        ("twilio_auth_token", "BOT_TWILIO_AUTH_TOKEN"),
        ("twilio_from_number", "BOT_TWILIO_FROM_NUMBER"),
        ("secret_key", "BOT_SECRET_KEY"),
    ],
)
def test_twilio_transport_refuses_to_start_without_credentials(missing, variable):
    values = {
        "sms_transport": "twilio",
        "twilio_account_sid": "AC" + "1" * 32,
        "twilio_auth_token": "token",
        "twilio_from_number": "+4570000000",
        "secret_key": "s3cret",
    }
    values[missing] = ""
    with pytest.raises(ConfigError) as err:
        Settings(_env_file=None, **values).check()  # type: ignore[call-arg]
    assert variable in str(err.value)
    assert "\n" not in str(err.value)


def test_now_fixture_is_utc(now):
    assert now.tzinfo is UTC
