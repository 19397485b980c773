"""How every benchmark ratio is reported: per interleaved round, then summed up."""

from __future__ import annotations

import statistics


def ratio(name: str, ours: list[float], theirs: list[float]) -> dict:
    """The median of the per-round ratios (ours over theirs, measured in the same
    round), and their spread as `<name>_spread`: [min, max]."""
    ratios = [a / b for a, b in zip(ours, theirs)]
    return {name: round(statistics.median(ratios), 3),
            f"{name}_spread": [round(min(ratios), 3), round(max(ratios), 3)]}
