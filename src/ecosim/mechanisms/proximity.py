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


def settle_near(
    rng: np.random.Generator, centre_km: np.ndarray, radius_km: float, size_km: tuple[float, float]
) -> np.ndarray:
    """Draw a location near ``centre_km`` (exponential distance, uniform bearing), kept inside."""
    distance = rng.exponential(radius_km)
    bearing = rng.uniform(0.0, 2.0 * np.pi)
    point = np.asarray(centre_km, dtype=float) + distance * np.array(
        [np.cos(bearing), np.sin(bearing)]
    )
    return np.clip(point, 0.0, np.asarray(size_km) - 1e-6)
