"""The API says who shares a phone, lists a message's media and serves their bytes to those
who may read health data, and no one else."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.channels import media
from bot.channels.media import MediaStatus, MessageMedia
from bot.channels.models import Direction, Message, MessageStatus
from bot.contacts import service
from bot.contacts.service import PhoneTaken
from tests.api.conftest import User, app, client, consultant, make_user, other_consultant

__all__ = ["app", "client", "consultant", "make_user", "other_consultant"]
JPEG = b"\xff\xd8 note"


def _household(engine: Engine, consultant_id: int, now: datetime) -> int:
    with Session(engine) as session:
        service.create_citizen(session=session, name="Amal Hassan", phone="20 12 34 56",
                               consultant_id=consultant_id, now=now)
        service.create_citizen(session=session, name="Omar Hassan", phone="+4520123456",
                               consultant_id=consultant_id, nickname="Mo", now=now, shares_phone=True)
        message = Message(direction=Direction.inbound, phone="+4520123456", body="",
                          status=MessageStatus.processed, created_at=now)
        session.add(message)
        session.flush()
        assert message.id is not None
        row = MessageMedia(message_id=message.id, content_type="image/jpeg", size=len(JPEG),
                           sha256=media.digest(JPEG), data=JPEG, status=MediaStatus.stored)
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def test_a_household_shares_a_number_but_no_one_else_may(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        service.create_citizen(session=session, name="Amal Hassan", phone="+4520123456", now=now)
        service.create_citizen(session=session, name="Omar Hassan", phone="+4520123456", now=now,
                               shares_phone=True)
        try:
            service.create_staff(session=session, name="Mette", email="m@kommune.dk", phone="+4520123456",
                                 now=now)
        except PhoneTaken as refused:
            assert refused.owner_kind == "citizen"
        else:
            raise AssertionError("a staff member took a household's phone")


def test_messages_list_media_and_the_bytes_go_to_the_caseload_only(
    engine: Engine, client: TestClient, consultant: User, other_consultant: User, now: datetime
) -> None:
    media_id = _household(engine, consultant.id, now)
    listed = client.get("/api/v1/messages", params={"phone": "+4520123456"}, headers=consultant.headers)
    assert listed.status_code == 200
    [message] = listed.json()
    assert message["media"] == [
        {"id": media_id, "content_type": "image/jpeg", "size": len(JPEG), "sha256": media.digest(JPEG)}
    ]
    got = client.get(f"/api/v1/media/{media_id}", headers=consultant.headers)
    assert got.status_code == 200 and got.content == JPEG and got.headers["content-type"] == "image/jpeg"
    assert client.get(f"/api/v1/media/{media_id}", headers=other_consultant.headers).status_code == 404
    assert client.get(f"/api/v1/media/{media_id}").status_code == 401
    assert client.get("/api/v1/media/999999", headers=consultant.headers).status_code == 404
