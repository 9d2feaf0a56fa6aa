"""Integer arithmetic for exact sums: split a count of persons into parts that add up exactly."""
from __future__ import annotations

import random
from typing import Sequence


def split(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into ``len(weights)`` non-negative integers proportional to the weights
    (largest remainder); the parts always sum to ``total`` exactly."""
    if total < 0:
        raise ValueError(f"cannot split a negative count ({total})")
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("cannot split by weights that sum to zero")
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    short = total - sum(parts)
    by_remainder = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in by_remainder[:short]:
        parts[i] += 1
    return parts


def share(total: int, fraction: float) -> int:
    """``round(total * fraction)`` kept within 0..total."""
    return min(total, max(0, round(total * fraction)))


def jitter(rng: random.Random, weights: Sequence[float], amount: float) -> list[float]:
    """Each weight times a factor drawn uniformly from 1 +/- ``amount``."""
    return [w * (1 + rng.uniform(-amount, amount)) for w in weights]


def mix(low: Sequence[float], high: Sequence[float], t: float) -> list[float]:
    """The weights between two profiles: ``t`` = 0 gives ``low``, 1 gives ``high``."""
    return [a + (b - a) * t for a, b in zip(low, high)]
