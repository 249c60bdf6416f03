"""Photos and documents: fetched through the real Twilio client from the local fake (Basic auth),
bounded in size and type, receipted, filed on the open sick notice, sealed in the ledger, erased
like bodies."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import ledger
from bot.channels.media import MediaStatus, MessageMedia
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.privacy.service import erase_expired
from tests.contacts.conftest import PHONE, inbound, post_with
from tests.fakes.twilio_api import FakeTwilio

JPEG = b"\xff\xd8\xff\xe0" + b"doctor's note" * 100
PDF = b"%PDF-1.4 note"


def _payload(url: str, content_type: str) -> dict[str, str]:
    return {"NumMedia": "1", "MediaUrl0": url, "MediaContentType0": content_type}


def _citizen(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(Citizen(name="Amal Hassan", phone=PHONE, language="da"))
        session.commit()


def _media(engine: Engine) -> list[MessageMedia]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.exec(select(MessageMedia).order_by(col(MessageMedia.id))).all())


def test_a_photo_during_a_sick_notice_is_fetched_sealed_receipted_and_filed(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    _citizen(engine)
    post = post_with(engine, twilio_settings)
    post("jeg er syg", now)
    url = fake_twilio.add_media("image/jpeg", JPEG)
    replies = post("", now + timedelta(minutes=5), payload=_payload(url, "image/jpeg"))
    assert [m.template for m in replies] == ["media.photo_attached"]
    assert replies[0].params["record"].startswith("S-2026-")
    [row] = _media(engine)
    assert row.status == MediaStatus.stored and row.data == JPEG and row.size == len(JPEG)
    assert row.sick_notice_id is not None and row.citizen_id is not None and row.reference
    assert [r.authorised for r in fake_twilio.media_requests()] == [True]
    with Session(engine) as session:
        assert ledger.check(session).ok


def test_oversized_and_wrong_types_are_refused_and_not_kept(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    _citizen(engine)
    small = twilio_settings.model_copy(update={"media_max_bytes": 100})
    post = post_with(engine, small)
    big = post("", now, payload=_payload(fake_twilio.add_media("image/jpeg", JPEG), "image/jpeg"))
    html = post("", now, payload=_payload(fake_twilio.add_media("text/html", b"<html>"), "text/html"))
    pdf = post("", now, payload=_payload(fake_twilio.add_media("application/pdf", PDF), "application/pdf"))
    assert [m.template for m in big] == ["media.refused"]
    assert [m.template for m in html] == ["media.refused"]
    assert [m.template for m in pdf] == ["media.document_received"]
    assert [(r.status, r.data is None) for r in _media(engine)] == [
        (MediaStatus.too_large, True), (MediaStatus.wrong_type, True), (MediaStatus.stored, False),
    ]


def test_media_only_from_the_provider_host_and_never_twice(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    _citizen(engine)
    post = post_with(engine, twilio_settings)
    post("", now, payload=_payload("http://198.51.100.7/steal", "image/jpeg"))
    assert [r.status for r in _media(engine)] == [MediaStatus.failed]
    assert fake_twilio.media_requests() == []


def test_changed_bytes_break_the_ledger_and_erasure_keeps_it_whole(
    engine: Engine, wired: None, fake_twilio: FakeTwilio, twilio_settings: Settings, now: datetime
) -> None:
    _citizen(engine)
    post = post_with(engine, twilio_settings)
    post("", now, payload=_payload(fake_twilio.add_media("image/jpeg", JPEG), "image/jpeg"))
    [row] = _media(engine)
    with Session(engine) as session:
        session.execute(update(MessageMedia).values(data=JPEG + b"x"))
        verdict = ledger.check(session)
        assert verdict.broken_id == row.id and "media" in (verdict.reason or "")
        session.rollback()
    with Session(engine) as session:
        erase_expired(session, now=now + timedelta(days=800), retention_days=730)
        session.commit()
    [erased] = _media(engine)
    assert erased.data is None and erased.erased_at is not None and erased.sha256 == row.sha256
    assert all(m.erased_at is not None for m in inbound(engine))
    with Session(engine) as session:
        assert ledger.check(session).ok
