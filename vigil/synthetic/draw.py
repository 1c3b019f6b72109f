"""Random draws shared by the synthetic generators (each takes the caller's seeded rng)."""

from __future__ import annotations

import math
import random

PNC_CHECK_LETTERS = "ABCDEFGHJKLMNPRTUVWXYZ"


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count with the given mean (a normal approximation above 30)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pnc_id(rng: random.Random) -> str:
    """A PNC ID in the YY/NNNNNNNC form (synthetic: the check letter is not computed)."""
    return (
        f"{rng.randint(0, 99):02d}/{rng.randint(1000000, 9999999)}{rng.choice(PNC_CHECK_LETTERS)}"
    )
