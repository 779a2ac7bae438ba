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
        self.month[key] += amount
        self.total[key] += amount

    def count(self, key: str) -> None:
        """Count one event of kind ``key``."""
        self.add(key, 1)
