"""One counter numbers every kind of reference; concurrent issuers never share a number."""

import threading

from sqlmodel import Session

from bot import references


def _issue_in_parallel(target, prefix: str, *, threads: int = 4, each: int = 5) -> list[str]:  # type: ignore[no-untyped-def]
    got: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(each):
                with Session(target) as s:
                    got.append(references.next_reference(s, prefix=prefix, year=2026))
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=take) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert not errors
    return got


def test_parallel_writers_never_share_a_reference(file_engine, engine):
    target = engine if engine.dialect.name == "postgresql" else file_engine
    got = _issue_in_parallel(target, references.SICK_NOTICE)
    assert sorted(got) == [f"S-2026-{n:06d}" for n in range(1, 21)]


def test_parallel_ticket_references_are_unique_and_gapless(file_engine, engine):
    target = engine if engine.dialect.name == "postgresql" else file_engine
    got = _issue_in_parallel(target, references.TICKET, threads=3, each=4)
    assert sorted(got) == [f"V-2026-{n:06d}" for n in range(1, 13)]


def test_each_year_and_prefix_counts_on_its_own(engine):
    with Session(engine) as s:
        assert references.next_reference(s, prefix="S", year=2026) == "S-2026-000001"
        assert references.next_reference(s, prefix="S", year=2027) == "S-2027-000001"
        assert references.next_reference(s, prefix="H", year=2026) == "H-2026-000001"
        assert references.next_reference(s, prefix="V", year=2026) == "V-2026-000001"
        assert references.next_reference(s, prefix="S", year=2026) == "S-2026-000002"
        assert references.peek(s, prefix="S", year=2026) == 2


def test_the_kinds_have_distinct_prefixes():
    prefixes = [references.SICK_NOTICE, references.HEARING, references.CANCELLATION,
                references.DOCUMENT, references.TICKET]
    assert len(set(prefixes)) == len(prefixes)


def test_ticket_numbers_continue_after_the_move_to_the_one_counter(tmp_path):
    """A municipality's 45th ticket of 2026 is followed by the 46th, not by a second first."""
    from sqlalchemy import text

    from bot.db import make_engine
    from bot.migrations import upgrade

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url, revision="a0b1c2d3e4f5")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO ticket_sequence (year, last) VALUES (2026, 45)"))
        upgrade(url, revision="b7c4d1e9f203")
        with Session(engine) as s:
            assert references.next_reference(s, prefix=references.TICKET, year=2026) == "V-2026-000046"
    finally:
        engine.dispose()
