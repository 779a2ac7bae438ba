"""Build src/ecosim/data/land_tiles.npz: which ~1 km cells of the world are land.

The source is the `global-land-mask` package (Toby Murray, MIT licence), a 30-arc-second land
mask derived from NOAA's GLOBE digital elevation model (Hastings & Dunbar 1999). That package
decompresses its whole 21,600 x 43,200 mask (about 1 GB) on import, which would cost every run
5 s and a gigabyte, so this script cuts it once into 5-degree tiles: a tile that is all land or
all water is one number, a mixed tile is its bits packed (numpy.packbits). The result is a few
megabytes that load a tile at a time.

Run it only to rebuild the data file (it is committed):

    pip install global-land-mask
    python scripts/build_land_tiles.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

TILE_DEG = 5
CELLS_PER_DEG = 120
OUT = Path(__file__).resolve().parents[1] / "src" / "ecosim" / "data" / "land_tiles.npz"


def main() -> int:
    """Cut the global mask into tiles and write them."""
    try:
        from global_land_mask import globe
    except ImportError:
        print(
            "error: this script needs the global-land-mask package (pip install global-land-mask)",
            file=sys.stderr,
        )
        return 2
    # The package's array marks the ocean (is_ocean reads it, is_land negates it); its rows
    # run from north to south, ours from south to north.
    mask, lat = ~globe._mask, globe._lat
    if lat[0] > lat[-1]:
        mask = mask[::-1]
    tile = TILE_DEG * CELLS_PER_DEG
    rows, cols = mask.shape[0] // tile, mask.shape[1] // tile
    kind = np.zeros((rows, cols), dtype=np.int8)  # 0 water, 1 land, 2 mixed
    arrays: dict[str, np.ndarray] = {}
    for i in range(rows):
        for j in range(cols):
            block = mask[i * tile : (i + 1) * tile, j * tile : (j + 1) * tile]
            land = int(block.sum())
            if land == 0:
                continue
            if land == block.size:
                kind[i, j] = 1
                continue
            kind[i, j] = 2
            arrays[f"t{i}_{j}"] = np.packbits(block, axis=None)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT, kind=kind, tile_deg=np.array(TILE_DEG), cells_per_deg=np.array(CELLS_PER_DEG), **arrays
    )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB, {len(arrays)} mixed tiles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
