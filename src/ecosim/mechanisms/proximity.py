"""Distance and its decay: every interaction's odds fall as exp(-d / reach).

Positions are numpy arrays of kilometres, so neighbour search is a vectorised distance
computation, never a Python loop over pairs.
"""

from __future__ import annotations

import numpy as np


def distances_km(origins: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Euclidean distances between every origin (n x 2, km) and every target (m x 2, km)."""
    origins = np.asarray(origins, dtype=float).reshape(-1, 2)
    targets = np.asarray(targets, dtype=float).reshape(-1, 2)
    diff = origins[:, None, :] - targets[None, :, :]
    return np.sqrt((diff**2).sum(axis=-1))


def decay(d_km: np.ndarray | float, reach_km: np.ndarray | float) -> np.ndarray:
    """Weight of an interaction at distance ``d_km`` with characteristic ``reach_km``."""
    return np.exp(-np.asarray(d_km, dtype=float) / np.asarray(reach_km, dtype=float))
