"""The regional labour pool: trained and released people that firms hire from."""

from __future__ import annotations


class LabourPool:
    """People available to hire in the region.

    Universities add graduates, closures and acquisitions release staff, firms hire. A firm
    that finds the pool empty still hires a share of what it wants from outside the region
    (relocation), so a young cluster grows, but slower than one with a deep pool.
    """

    OUTSIDE_SHARE = 0.25
    """Share of unfilled openings filled by people moving in (assumption)."""

    def __init__(self, people: float = 0.0) -> None:
        self.people = float(people)
        self.released_total = 0.0

    def add(self, people: float) -> None:
        """People join the pool (graduates)."""
        self.people += people

    def release(self, people: float) -> None:
        """Staff of a closed or acquired firm join the pool."""
        self.people += people
        self.released_total += people

    def take(self, wanted: int) -> int:
        """Hire up to ``wanted`` people; return how many were hired."""
        local = min(wanted, int(self.people))
        self.people -= local
        outside = int((wanted - local) * self.OUTSIDE_SHARE)
        return local + outside
