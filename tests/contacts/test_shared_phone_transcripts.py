"""Golden transcripts of a household's shared phone, through the real pipeline and handlers.

Each file names the ``household`` (citizens sharing one number, oldest record first) and its
turns: what is sent and when (``at``), the replies by message id (``text`` where the words
matter), the sick notices and cancellations on record afterwards (``records``: whose, received
when: the first message's arrival must stand), who is opted out, and which items staff have.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.contacts.models import Citizen
from bot.flows.yaml_loader import load_yaml
from bot.i18n import render
from bot.items.models import OpenItem
from bot.sick_notices.models import Cancellation, SickNotice
from tests.contacts.conftest import PHONE, Post

FILES = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))


def _records(session: Session, names: dict[int, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for notice in session.exec(select(SickNotice).order_by(col(SickNotice.id))):
        found.append({"kind": "sick_notice", "person": names[notice.citizen_id],
                      "received_at": notice.received_at.isoformat()})
    for cancellation in session.exec(select(Cancellation).order_by(col(Cancellation.id))):
        found.append({"kind": "cancellation", "person": names[cancellation.citizen_id],
                      "received_at": cancellation.received_at.isoformat(), "reason": cancellation.reason})
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_shared_phone_transcript(path: Path, engine: Engine, post: Post) -> None:
    doc = load_yaml(path)
    with Session(engine) as session:
        people = [Citizen(name=name, phone=PHONE, language=doc.get("language", "da")) for name in doc["household"]]
        session.add_all(people)
        session.commit()
        names = {int(p.id or 0): p.name.split()[0] for p in people}
    for number, turn in enumerate(doc["turns"], start=1):
        where = f"{path.name} turn {number}"
        replies = post(str(turn["send"]), datetime.fromisoformat(turn["at"]))
        assert [m.template for m in replies] == list(turn["replies"]), where
        if "text" in turn:
            assert [render(m.template or "", m.locale or "da", m.params) for m in replies] == turn["text"], where
        with Session(engine) as session:
            if "records" in turn:
                got = _records(session, names)
                for want, have in zip(turn["records"], got, strict=True):
                    assert {k: have.get(k) for k in want} == want, where
            if "opted_out" in turn:
                stopped = session.exec(select(Citizen).where(col(Citizen.opted_out).is_(True))).all()
                assert sorted(names[c.id or 0] for c in stopped) == sorted(turn["opted_out"]), where
            if "items" in turn:
                kinds = [i.kind for i in session.exec(select(OpenItem).where(col(OpenItem.resolved_at).is_(None)))]
                assert sorted(kinds) == sorted(turn["items"]), where
