"""Yearly shares as monthly odds: the model steps in months, its sources state shares a year.

A share ``p`` of a group that leaves (or closes, or is let go) in a year is not ``p / 12`` a
month: applied twelve times to what is left, ``p / 12`` removes ``1 - (1 - p / 12)^12`` a year
(0.148 of Walsh's 0.16, 0.40 of a 0.5). The monthly share that compounds to ``p`` in a year is
``1 - (1 - p)^(1/12)``.
"""

from __future__ import annotations

import math


def monthly_share(share_year: float) -> float:
    """The share a month that leaves ``share_year`` of a group gone after twelve months.

    Args:
        share_year: the share of the group gone in a year, in [0, 1].

    Returns:
        1 - (1 - share_year)^(1/12); 1.0 for a share of 1 or more (all gone within the month).
    """
    if share_year >= 1.0:
        return 1.0
    return -math.expm1(math.log1p(-share_year) / 12.0)
