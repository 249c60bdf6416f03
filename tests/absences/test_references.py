import threading

from sqlmodel import Session

from bot.absences import references


def test_parallel_writers_never_share_a_reference(file_engine, engine):
    target = engine if engine.dialect.name == "postgresql" else file_engine
    got: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            for _ in range(5):
                with Session(target) as s:
                    got.append(references.next_reference(s, prefix="S", year=2026))
                    s.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(got) == [f"S-2026-{n:06d}" for n in range(1, 21)]


def test_each_year_and_prefix_counts_on_its_own(engine):
    with Session(engine) as s:
        assert references.next_reference(s, prefix="S", year=2026) == "S-2026-000001"
        assert references.next_reference(s, prefix="S", year=2027) == "S-2027-000001"
        assert references.next_reference(s, prefix="H", year=2026) == "H-2026-000001"
        assert references.next_reference(s, prefix="S", year=2026) == "S-2026-000002"
        assert references.peek(s, prefix="S", year=2026) == 2
