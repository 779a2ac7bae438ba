"""pyabc's parts for the posterior's inference, answering the same numbers faster.

On the posterior's emulator the inference's time went to pyabc's bookkeeping, not to the
emulator: its local kernel proposes about 20 points for each particle it keeps, most outside the
prior's box, and every proposal asks scipy for the model prior's mass and fourteen uniform
densities (about 45 microseconds each, for argument handling), then draws with
``numpy.random.choice`` (checking the weights anew) and ``numpy.random.multivariate_normal``
(a singular value decomposition of the particle's covariance each time). These classes compute the
same numbers by the same rules, from the same draws of numpy's global generator in the same order,
with what does not change within a generation computed once: an inference's particles are the
same to the last bit (tests/test_posterior.py checks it against pyabc's own parts).
Imported only when an inference starts: pyabc is an optional extra (``ecosim[analysis]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyabc
from pyabc.parameters import Parameter


class BoxUniform(pyabc.RV):
    """scipy's ``uniform(low, high - low)`` with its density computed directly: ``1 / scale``
    where ``0 <= (x - loc) / scale <= 1`` (scipy's rule), else 0; drawn by scipy as before.

    Args:
        low: the box's lower end.
        high: its upper end.
    """

    def __init__(self, low: float, high: float) -> None:
        super().__init__("uniform", low, high - low)
        self.loc = low
        self.scale = high - low

    def pdf(self, x: Any, *args: Any, **kwargs: Any) -> np.float64:
        """The density at one value ``x``."""
        standard = (x - self.loc) / self.scale
        return np.float64(1.0 / self.scale) if 0.0 <= standard <= 1.0 else np.float64(0.0)

    def copy(self) -> BoxUniform:
        """A copy (pyabc copies its priors)."""
        return BoxUniform(self.loc, self.loc + self.scale)

    def __setstate__(self, state: Any) -> None:
        """Restore from pyabc's pickled state (name, (loc, scale), kwargs)."""
        super().__setstate__(state)
        self.loc, self.scale = state[1]


class OneModel(pyabc.RV):
    """The model prior of an inference with one model: scipy's ``randint(0, 1)``, whose mass is 1
    at 0 and 0 elsewhere, answered directly (drawn by scipy as before).
    """

    def __init__(self) -> None:
        super().__init__("randint", 0, 1)

    def pmf(self, x: Any, *args: Any, **kwargs: Any) -> np.float64:
        """The mass at model ``x``."""
        return np.float64(1.0) if x == 0 else np.float64(0.0)

    def copy(self) -> OneModel:
        """A copy."""
        return OneModel()


class CachedLocalTransition(pyabc.LocalTransition):
    """pyabc's LocalTransition whose draws reuse, within a generation, what numpy's legacy
    ``choice`` and ``multivariate_normal`` compute from the weights and each particle's
    covariance: the cumulative weights, and each covariance's factor ``sqrt(s)[:, None] * v`` of
    its singular value decomposition. A draw takes one uniform and then ``d`` standard normals
    from numpy's global generator, as those functions do, and combines them as they do.
    """

    def fit(self, particles: pd.DataFrame, w: np.ndarray | None = None) -> None:
        """Fit as pyabc does, then keep the cumulative weights and the covariances' factors."""
        super().fit(particles, w)
        cdf = np.asarray(self.w, dtype=float).cumsum()
        cdf /= cdf[-1]
        self._cdf = cdf
        factors = []
        for cov in self.covs:
            _, s, v = np.linalg.svd(np.asarray(cov, dtype=np.double))
            factors.append(np.sqrt(s)[:, None] * v)
        self._factors = factors

    def rvs_single(self) -> Parameter:
        """One proposal: a particle by weight, then a normal draw around it."""
        support = int(self._cdf.searchsorted(np.random.random_sample(), side="right"))
        mean = self.X_arr[support]
        x = np.random.standard_normal([mean.shape[0]]).reshape(-1, mean.shape[0])
        x = np.dot(x, self._factors[support])
        x += mean
        return Parameter(dict(zip(self.X.columns, x.reshape(mean.shape[0]), strict=True)))


def box_prior(box: dict[str, tuple[float, float]]) -> pyabc.Distribution:
    """The product of uniform boxes, one a parameter (name -> (low, high))."""
    return pyabc.Distribution(**{name: BoxUniform(low, high) for name, (low, high) in box.items()})
