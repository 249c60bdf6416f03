from decimal import Decimal
from fractions import Fraction

import pytest

from bot.attendance.bands import (
    DEFAULT_COUNTS_AGAINST,
    Band,
    Counts,
    band_for,
    dump_counts_against,
    parse_counts_against,
    policy_counting,
    summarise,
)
from bot.attendance.models import Outcome


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, Band.under_20),
        (Decimal("19.99"), Band.under_20),
        (20, Band.from_20_to_39),
        (Decimal("39.99"), Band.from_20_to_39),
        (40, Band.from_40_to_59),
        (Decimal("59.99"), Band.from_40_to_59),
        (60, Band.from_60_to_99),
        (Decimal("99.99"), Band.from_60_to_99),
        (100, Band.full),
        (None, Band.no_appointments),
        ("19.99", Band.under_20),
        (Fraction(199, 2), Band.from_60_to_99),
    ],
)
def test_band_edges(percent, band):
    assert band_for(percent) is band


@pytest.mark.parametrize("bad", [-1, Decimal("100.01")])
def test_a_percentage_outside_0_to_100_is_refused(bad):
    with pytest.raises(ValueError, match="between 0 and 100"):
        band_for(bad)


def test_no_appointments_has_no_rate():
    summary = summarise([])
    assert summary.percent is None
    assert summary.band is Band.no_appointments


def test_only_cancelled_and_excused_appointments_have_no_rate():
    summary = summarise([Outcome.cancelled_by_municipality, Outcome.excused_by_staff])
    assert summary.percent is None
    assert summary.not_counted == 2


def test_one_absence_in_many_is_not_full_attendance():
    # 9999 of 10000 is 99.99 %: the 60-99 band, never 100.
    summary = summarise([Outcome.attended] * 9999 + [Outcome.absent_without_notice])
    assert summary.band is Band.from_60_to_99
    assert summary.percent_rounded == 100.0


def test_every_kind_of_absence_counts_against_attendance_and_missing_outcomes_are_shown():
    summary = summarise(
        [
            Outcome.attended,
            Outcome.absent_with_notice,
            Outcome.absent_with_late_notice,
            Outcome.absent_without_notice,
            Outcome.cancelled_by_municipality,
            None,
        ]
    )
    assert (summary.present, summary.absent, summary.not_counted, summary.without_outcome) == (1, 3, 1, 1)
    assert summary.percent == 25
    assert summary.band is Band.from_20_to_39
    assert summary.by_outcome["absent_with_notice"] == 1


def test_one_in_five_is_exactly_20_percent():
    summary = summarise(["attended"] + ["absent_without_notice"] * 4)
    assert summary.percent == 20
    assert summary.band is Band.from_20_to_39


WEEK = [
    Outcome.attended,
    Outcome.attended,
    Outcome.absent_with_notice,
    Outcome.absent_with_late_notice,
    Outcome.absent_without_notice,
    Outcome.excused_by_staff,
    Outcome.cancelled_by_municipality,
]


def test_the_default_counts_physical_attendance_and_says_what_counted():
    summary = summarise(WEEK)
    assert summary.physical_attendance
    assert summary.counted_against == [
        Outcome.absent_with_notice, Outcome.absent_with_late_notice, Outcome.absent_without_notice]
    assert [(b.outcome.value, b.count, b.counts.value) for b in summary.breakdown] == [
        ("attended", 2, "present"),
        ("absent_with_notice", 1, "absent"),
        ("absent_with_late_notice", 1, "absent"),
        ("absent_without_notice", 1, "absent"),
        ("cancelled_by_municipality", 1, "not_counted"),
        ("excused_by_staff", 1, "not_counted"),
    ]
    assert (summary.percent, summary.band) == (40, Band.from_40_to_59)


def test_counting_only_absence_without_notice_changes_the_rate_and_the_band():
    summary = summarise(WEEK, policy_counting({Outcome.absent_without_notice}))
    assert not summary.physical_attendance
    assert (summary.present, summary.absent, summary.not_counted) == (2, 1, 4)
    assert summary.band is Band.from_60_to_99  # 2 of 3: 66.7 %
    assert [b.counts for b in summary.breakdown if b.outcome is Outcome.absent_with_notice] == [Counts.not_counted]


def test_the_setting_always_counts_absence_without_notice_and_never_a_cancelled_appointment():
    assert parse_counts_against([]) == {Outcome.absent_without_notice}
    assert parse_counts_against(["excused_by_staff"]) == {Outcome.excused_by_staff, Outcome.absent_without_notice}
    with pytest.raises(ValueError, match="cancelled_by_municipality cannot count against"):
        parse_counts_against(["cancelled_by_municipality"])
    with pytest.raises(ValueError, match="attended cannot count against"):
        parse_counts_against(["attended"])
    with pytest.raises(ValueError, match="not an outcome"):
        parse_counts_against(["nap"])
    with pytest.raises(ValueError, match="list of outcomes"):
        parse_counts_against("absent_with_notice")
    assert dump_counts_against(DEFAULT_COUNTS_AGAINST) == [
        "absent_with_notice", "absent_with_late_notice", "absent_without_notice"]
    assert parse_counts_against(dump_counts_against(DEFAULT_COUNTS_AGAINST)) == DEFAULT_COUNTS_AGAINST
