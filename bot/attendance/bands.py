"""Attendance rate and Helsingør's attendance bands. Pure: no database, no clock.

The bands are those Helsingør reports its results in (seeds 000:465): under 20 %, 20-39 %,
40-59 %, 60-99 % and 100 %. A rate of 99.9 % is in the 60-99 band: only full attendance is 100.
Which outcomes count is a policy, not a fact of nature (what is lawful absence is for staff to
assess), so it is a table the caller may replace. Staff choose it in the panel (the preference
``attendance.counts_against``); the default counts physical attendance: every absence counts
against the rate, with or without notice, except those staff excused and appointments the
municipality cancelled. Whatever the policy, the summary carries its breakdown, so a rate is
never shown without what it was made of.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bot.attendance.models import Counts, Outcome

DEFAULT_POLICY: Mapping[Outcome, Counts] = {
    Outcome.attended: Counts.present,
    Outcome.absent_with_notice: Counts.absent,
    Outcome.absent_with_late_notice: Counts.absent,
    Outcome.absent_without_notice: Counts.absent,
    Outcome.cancelled_by_municipality: Counts.not_counted,
    Outcome.excused_by_staff: Counts.not_counted,
}


# The choice staff have: attended always counts as present, absence without notice always counts
# against (a rate that ignores it measures nothing), and an appointment the municipality cancelled
# never does (there was nothing to attend). The rest is theirs to decide.
CHOOSABLE: tuple[Outcome, ...] = (
    Outcome.absent_with_notice,
    Outcome.absent_with_late_notice,
    Outcome.excused_by_staff,
)
ALWAYS_AGAINST = frozenset({Outcome.absent_without_notice})
DEFAULT_COUNTS_AGAINST = frozenset(o for o, c in DEFAULT_POLICY.items() if c is Counts.absent)


def policy_counting(counts_against: Iterable[Outcome]) -> dict[Outcome, Counts]:
    """The policy in which exactly ``counts_against`` count as absent (attended as present)."""
    against = set(counts_against)
    return {
        outcome: Counts.present if outcome is Outcome.attended
        else Counts.absent if outcome in against else Counts.not_counted
        for outcome in Outcome
    }


def parse_counts_against(value: object) -> frozenset[Outcome]:
    """A stored or submitted list of outcome names; raises ValueError naming what is wrong."""
    if not isinstance(value, list | tuple | set | frozenset):
        raise ValueError("give a list of outcomes")
    try:
        chosen = frozenset(Outcome(str(v)) for v in value)
    except ValueError as exc:
        raise ValueError(f"not an outcome: {exc}") from exc
    allowed = ALWAYS_AGAINST | set(CHOOSABLE)
    if chosen - allowed:
        names = ", ".join(sorted(o.value for o in chosen - allowed))
        raise ValueError(f"{names} cannot count against attendance")
    return chosen | ALWAYS_AGAINST


def dump_counts_against(value: frozenset[Outcome]) -> list[str]:
    """Stored in the order of the outcomes, so two equal settings are equal JSON too."""
    return [o.value for o in Outcome if o in value]


class Band(StrEnum):
    under_20 = "under_20"
    from_20_to_39 = "20_39"
    from_40_to_59 = "40_59"
    from_60_to_99 = "60_99"
    full = "100"
    no_appointments = "no_appointments"


# (lower bound inclusive, band); the first bound the rate reaches from the top wins.
_BANDS: tuple[tuple[Fraction, Band], ...] = (
    (Fraction(100), Band.full),
    (Fraction(60), Band.from_60_to_99),
    (Fraction(40), Band.from_40_to_59),
    (Fraction(20), Band.from_20_to_39),
    (Fraction(0), Band.under_20),
)

BAND_LABELS: Mapping[Band, str] = {
    Band.under_20: "under 20 %",
    Band.from_20_to_39: "20-39 %",
    Band.from_40_to_59: "40-59 %",
    Band.from_60_to_99: "60-99 %",
    Band.full: "100 %",
    Band.no_appointments: "no appointments",
}


def band_for(percent: Fraction | Decimal | int | float | str | None) -> Band:
    """The band of an attendance percentage (0-100); None means nothing to count."""
    if percent is None:
        return Band.no_appointments
    value = Fraction(percent)
    if value < 0 or value > 100:
        raise ValueError(f"an attendance percentage is between 0 and 100, not {percent}")
    for lower, band in _BANDS:
        if value >= lower:
            return band
    raise AssertionError("unreachable: every value >= 0 has a band")


@dataclass(frozen=True)
class BreakdownLine:
    outcome: Outcome
    count: int
    counts: Counts


@dataclass(frozen=True)
class AttendanceSummary:
    present: int
    absent: int
    not_counted: int
    without_outcome: int
    by_outcome: dict[str, int]
    policy: Mapping[Outcome, Counts] = field(default_factory=lambda: dict(DEFAULT_POLICY))

    @property
    def physical_attendance(self) -> bool:
        """True under the default policy: the rate is the share of appointments attended."""
        return dict(self.policy) == dict(DEFAULT_POLICY)

    @property
    def counted_against(self) -> list[Outcome]:
        return [o for o in Outcome if self.policy.get(o) is Counts.absent]

    @property
    def breakdown(self) -> list[BreakdownLine]:
        """Every outcome with its count and how it counted, zeros included: what the rate is."""
        return [
            BreakdownLine(o, self.by_outcome.get(o.value, 0), self.policy.get(o, Counts.not_counted))
            for o in Outcome
        ]

    @property
    def counted(self) -> int:
        return self.present + self.absent

    @property
    def percent(self) -> Fraction | None:
        if self.counted == 0:
            return None
        return Fraction(self.present * 100, self.counted)

    @property
    def band(self) -> Band:
        return band_for(self.percent)

    @property
    def percent_rounded(self) -> float | None:
        """One decimal for display; the band is taken from the exact value."""
        percent = self.percent
        return None if percent is None else round(float(percent), 1)


def summarise(
    outcomes: Iterable[Outcome | str | None], policy: Mapping[Outcome, Counts] = DEFAULT_POLICY
) -> AttendanceSummary:
    """Count outcomes (None: no outcome recorded yet, shown separately, never guessed)."""
    present = absent = not_counted = without = 0
    by_outcome: dict[str, int] = {}
    for raw in outcomes:
        if raw is None:
            without += 1
            continue
        outcome = Outcome(raw)
        by_outcome[outcome.value] = by_outcome.get(outcome.value, 0) + 1
        counts = policy.get(outcome, Counts.not_counted)
        if counts is Counts.present:
            present += 1
        elif counts is Counts.absent:
            absent += 1
        else:
            not_counted += 1
    return AttendanceSummary(present, absent, not_counted, without, by_outcome, dict(policy))
