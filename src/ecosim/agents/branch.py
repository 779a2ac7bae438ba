"""Branches of outside companies that a park-operating hub draws in."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ecosim.agents.firm import Firm, Origin

if TYPE_CHECKING:
    from ecosim.model import BioclusterModel


class Branch(Firm):
    """A lab or office of an established outside company (a CRO, device maker, service firm,
    VC, patent office or trading house) at a park a hub runs (Kobe, King Skyfront, Shonan,
    LINK-J). Its parent pays for it, so it neither raises money nor fails for lack of it.

    Its staff are counted in the region's employment, but it is not a parent of spinouts:
    Klepper's spinouts come from firms doing the industry's R&D, and a branch's people work for
    a company whose business is elsewhere (its liaison, sales or service office).
    """

    kind: ClassVar[str] = "branch"
    parents_spinouts: ClassVar[bool] = False

    def __init__(self, model: BioclusterModel, *, name: str, xy_km: np.ndarray, headcount: int) -> None:
        super().__init__(
            model,
            origin=Origin.BRANCH,
            xy_km=xy_km,
            quality=model.constants.quality_mean,  # recorded only: not a parent
            headcount=max(1, model.labour.take(headcount)),
            name=name,
        )
