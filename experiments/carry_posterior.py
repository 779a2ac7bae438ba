"""Carry a posterior's 90% intervals into the sensitivity specs.

The sensitivity specs (experiments/sensitivity.yaml, experiments/sensitivity_san_diego.yaml) vary
the fitted constants over their posterior's 90% intervals (results/posterior/marginals.csv), and a
test checks that they do. After a new posterior (or one with other free constants) this rewrites
each spec's ``group: constant`` lines from the marginals, one line a constant in name order, and
leaves every other line, comment included, as it was. ``experiments/regenerate.sh posterior``
runs it right after the posterior.

Usage:
    python experiments/carry_posterior.py [--marginals results/posterior/marginals.csv] [SPEC ...]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from ecosim import atomic

ROOT = Path(__file__).resolve().parents[1]
SPECS = (ROOT / "experiments" / "sensitivity.yaml", ROOT / "experiments" / "sensitivity_san_diego.yaml")
CONSTANT_LINE = re.compile(r"^\s+constants\.\w+: \{low: [^,]+, high: [^,]+, log: true, group: constant\}\s*$")


def yaml_number(value: float) -> str:
    """``value`` to four significant digits, written so YAML reads a number (1.0e-05, not 1e-05,
    which YAML 1.1 reads as a string)."""
    text = f"{value:.4g}"
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text


def interval_lines(marginals: pd.DataFrame, indent: str) -> list[str]:
    """One spec line a constant: its posterior's 5th to 95th percentile, on a log scale."""
    return [
        f"{indent}constants.{row.constant}: {{low: {yaml_number(row.posterior_p05)}, "
        f"high: {yaml_number(row.posterior_p95)}, log: true, group: constant}}"
        for row in marginals.sort_values("constant").itertuples(index=False)
    ]


def carried(text: str, marginals: pd.DataFrame) -> str:
    """``text`` (a spec) with its block of fitted-constant lines replaced by the marginals'.

    Raises:
        ValueError: the spec has no such block, or more than one.
    """
    lines = text.splitlines()
    at = [i for i, line in enumerate(lines) if "group: constant" in line]
    if not at or at != list(range(at[0], at[-1] + 1)) or not all(CONSTANT_LINE.match(lines[i]) for i in at):
        raise ValueError(
            "the fitted constants must be one block of lines, each "
            "'constants.NAME: {low: L, high: H, log: true, group: constant}'"
        )
    indent = lines[at[0]][: len(lines[at[0]]) - len(lines[at[0]].lstrip())]
    new = [*lines[: at[0]], *interval_lines(marginals, indent), *lines[at[-1] + 1 :]]
    return "\n".join(new) + ("\n" if text.endswith("\n") else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("specs", nargs="*", type=Path, default=list(SPECS))
    parser.add_argument("--marginals", type=Path, default=ROOT / "results" / "posterior" / "marginals.csv")
    args = parser.parse_args(argv)
    marginals = pd.read_csv(args.marginals)
    for spec in args.specs:
        try:
            text = carried(spec.read_text(encoding="utf-8"), marginals)
        except ValueError as error:
            parser.exit(2, f"error: {spec}: {error}\n")
        atomic.write_text(spec, text)
        print(f"{spec}: {len(marginals)} constants over their posterior's 90% intervals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
