"""Per-call timings of a reader (classification, language detection) next to its baselines."""

from __future__ import annotations

import os
import statistics

from bench.harness import percentile

TARGET_P99_US = 1000.0


def report(timings: dict[str, list[float]], measured: str, heading: str) -> None:
    """Print p50/p99/mean in microseconds for each call, the load average, and whether
    ``measured`` keeps its p99 under the target (the machine is shared: read the ratios)."""
    print(f"\n{heading}; load average {os.getloadavg()[0]:.2f}")
    for name, values in timings.items():
        print(f"{name:<14} p50 {percentile(values, 0.5):>7.1f} us  p99 {percentile(values, 0.99):>7.1f} us  "
              f"mean {statistics.fmean(values):>7.1f} us")
    p99 = percentile(timings[measured], 0.99)
    print(f"target p99 < {TARGET_P99_US:.0f} us:", "met" if p99 < TARGET_P99_US else "NOT met")
