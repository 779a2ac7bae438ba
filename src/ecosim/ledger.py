"""Monthly flow counters: what happened this month (foundings by channel, exits, money)."""

from __future__ import annotations

from collections import Counter


class Ledger:
    """Counts events within the current month and in total since the start."""

    def __init__(self) -> None:
        self.month: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def new_month(self) -> None:
        """Start counting a new month."""
        self.month = Counter()

    def add(self, key: str, amount: float) -> None:
        """Add ``amount`` to ``key``."""
        # A Counter reads a missing key as 0 and adds floats as well as ints (vc_invested is
        # USD m); its stubs declare int values only.
        # get: a Counter's 0 for a missing key, without its __missing__ call.
        self.month[key] = self.month.get(key, 0) + amount  # type: ignore[assignment]
        self.total[key] = self.total.get(key, 0) + amount  # type: ignore[assignment]

    def count(self, key: str) -> None:
        """Count one event of kind ``key``."""
        self.add(key, 1)
